/** Builders of contract v1 payloads for tests, with timestamps in the estate's +08:00 offset. */
export function isoAt(ms: number, offsetMinutes = 480): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

let seq = 0;
const next = () => seq++;

export const face = (id: string, ms: number, person: string, known = false, direction: 'in' | 'out' = 'in') => ({
  id,
  seq: next(),
  ts: isoAt(ms),
  type: 'face',
  person,
  known,
  direction,
  score: 0.93,
});

export const access = (id: string, ms: number, credential: string | undefined, method = 'fingerprint', ok = true) => ({
  id,
  seq: next(),
  ts: isoAt(ms),
  type: 'access',
  method,
  ...(credential === undefined ? {} : { credential }),
  ok,
});

export const alarm = (id: string, ms: number, kind: string, active: boolean) => ({
  id,
  seq: next(),
  ts: isoAt(ms),
  type: 'alarm',
  alarm: kind,
  active,
});

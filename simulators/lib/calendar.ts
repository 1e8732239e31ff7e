/**
 * Local days of the estate. Routines are written in local clock time (leave at 08:00), events carry the
 * estate's UTC offset, and the span [start, start + days) is cut into local calendar days for generation.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Calendar = {
  startMs: number;
  endMs: number;
  /** Requested length of the span in 24-hour days. */
  days: number;
  /** Number of local calendar days the span touches (one more than `days` unless it starts at midnight). */
  calendarDays: number;
  /** Local midnight (epoch ms) of calendar day `k`, counted from the day holding `startMs`. */
  dayStart(k: number): number;
  weekday(k: number): number;
  /** `YYYY-MM-DD` of calendar day `k`. */
  date(k: number): string;
  /** RFC 3339 with the estate's offset, whole seconds: `2026-11-26T07:41:09+08:00`. */
  format(ms: number): string;
};

/** UTC offset of a zone at an instant, in minutes (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(timeZone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(atMs);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

export function formatOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The offset is taken once at the start of the span: right for zones without daylight saving (all of China),
 * and off by an hour across a DST change elsewhere, which a simulation can live with.
 */
export function createCalendar(timeZone: string, startMs: number, days: number): Calendar {
  const offsetMin = zoneOffsetMinutes(timeZone, startMs);
  const offsetMs = offsetMin * MINUTE_MS;
  const suffix = formatOffset(offsetMin);
  const firstMidnight = Math.floor((startMs + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const endMs = startMs + days * DAY_MS;
  const dayStart = (k: number) => firstMidnight + k * DAY_MS;
  return {
    startMs,
    endMs,
    days,
    calendarDays: Math.ceil((endMs - firstMidnight) / DAY_MS),
    dayStart,
    weekday: (k) => new Date(dayStart(k) + offsetMs).getUTCDay(),
    date: (k) => new Date(dayStart(k) + offsetMs).toISOString().slice(0, 10),
    format: (ms) => `${new Date(ms + offsetMs).toISOString().slice(0, 19)}${suffix}`,
  };
}

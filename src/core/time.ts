/**
 * Event-time helpers. Windows are whole local days of the estate, so a day number is the unit of window maths;
 * the estate's time zone, not the device's offset, decides which day an event belongs to.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Zones change offset at whole quarter hours of UTC (Lord Howe's half-hour shifts included), so an offset
// computed for a quarter hour holds for all of it.
const QUARTER_MS = HOUR_MS / 4;

/** Offset of `timeZone` from UTC at `epochMs`, in ms, cached per quarter hour. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const quarter = Math.floor(epochMs / QUARTER_MS);
  const cacheKey = `${timeZone}|${quarter}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(quarter * QUARTER_MS)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = asUtc - quarter * QUARTER_MS;
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(cacheKey, offset);
  return offset;
}

/** Days since 1970-01-01 in the estate's local calendar. */
export function localDay(epochMs: number, timeZone: string): number {
  return Math.floor((epochMs + zoneOffsetMs(epochMs, timeZone)) / DAY_MS);
}

/** Hour of day (0–23) in the estate's local time; night activity is judged on it. */
export function localHour(epochMs: number, timeZone: string): number {
  const local = epochMs + zoneOffsetMs(epochMs, timeZone);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** Calendar date (YYYY-MM-DD) of a local day number, for evidence text. */
export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

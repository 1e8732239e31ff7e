/**
 * Door faces and openings are kept in ZSETs of one hour of event time each (keys.ts doorHour), in a ring
 * of as many hours as the link retention and two more: a building never has more of them, whatever hours it was
 * quiet in, and an hour's ZSET drops what it held a ring ago as it is written again.
 */
export const HOUR_MS = 3_600_000;

export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS);

/** The ring slot of the hour of `ms`, for a link retention of `retentionMs`. */
export const hourSlotOf = (ms: number, retentionMs: number): number =>
  hourOf(ms) % (Math.ceil(retentionMs / HOUR_MS) + 2);

import { HOUR_MS } from '../../core/time.js';

/**
 * Door faces and openings are kept in ZSETs of one hour of event time each (keys.ts doorHour), in a ring
 * of as many hours as the link retention and two more: a building never has more of them, whatever hours it was
 * quiet in, and an hour's ZSET drops what it held a ring ago as it is written again.
 */

/** The ring slot of the hour of `ms`, for a link retention of `retentionH` hours. */
export const hourSlotOf = (ms: number, retentionH: number): number => Math.floor(ms / HOUR_MS) % (retentionH + 2);

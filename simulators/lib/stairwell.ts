import type { Estate } from '../../src/core/estate.js';
import type { DraftEvent, StairStep } from './model.js';

/**
 * Stairwell people counters: each floor's counter sums the people who entered and left the floor through its
 * stairwell door during a 15-minute period and reports at the end of the period, skipping empty periods.
 */

export const PASSAGE_PERIOD_S = 900;
const PERIOD_MS = PASSAGE_PERIOD_S * 1000;

/** `${buildingId}:${floor}` → stairwell-sensor device id. */
export function stairwellSensors(estate: Estate): Map<string, string> {
  const sensors = new Map<string, string>();
  for (const d of estate.devices.values()) {
    if (d.kind !== 'stairwell-sensor' || d.buildingId === undefined || d.floor === undefined) continue;
    const key = `${d.buildingId}:${d.floor}`;
    if (!sensors.has(key)) sensors.set(key, d.deviceId);
  }
  return sensors;
}

/** Counts one day's steps into periods aligned on the local quarter hours; `ts` is the end of the period. */
export function passageEvents(
  steps: readonly StairStep[],
  dayStartMs: number,
  sensors: ReadonlyMap<string, string>,
): DraftEvent[] {
  const counts = new Map<string, { deviceId: string; endMs: number; in: number; out: number }>();
  for (const step of steps) {
    const deviceId = sensors.get(`${step.buildingId}:${step.floor}`);
    if (!deviceId) continue;
    const period = Math.floor((step.tsMs - dayStartMs) / PERIOD_MS);
    const key = `${deviceId}@${period}`;
    let count = counts.get(key);
    if (!count) {
      count = { deviceId, endMs: dayStartMs + (period + 1) * PERIOD_MS, in: 0, out: 0 };
      counts.set(key, count);
    }
    count[step.direction]++;
  }
  return [...counts.values()].map((c) => ({
    tsMs: c.endMs,
    deviceId: c.deviceId,
    body: { type: 'passage', in: c.in, out: c.out, periodS: PASSAGE_PERIOD_S },
  }));
}

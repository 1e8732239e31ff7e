import type { Estate } from '../../src/core/estate.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Random } from './random.js';

/**
 * Occasional device alarms: a lock's battery running low (cleared when the family changes it a few days
 * later), a smoke alarm from cooking that clears within minutes, a face gate knocked by a trolley.
 */

const LOW_BATTERY_PER_LOCK_DAY = 0.0015;
const SMOKE_PER_DETECTOR_DAY = 0.01;
const TAMPER_PER_GATE_DAY = 0.002;

export type AlarmDevices = { locks: string[]; gates: string[]; others: string[] };

export function alarmDevices(estate: Estate): AlarmDevices {
  const out: AlarmDevices = { locks: [], gates: [], others: [] };
  for (const d of estate.devices.values()) {
    if (d.kind === 'door-lock') out.locks.push(d.deviceId);
    else if (d.kind === 'face-gate') out.gates.push(d.deviceId);
    else if (d.kind !== 'stairwell-sensor') out.others.push(d.deviceId);
  }
  return out;
}

/** Clears may fall on a later day; the day engine carries them until their day comes. */
export function simulateAlarms(sink: DaySink, rng: Random, devices: AlarmDevices, dayStartMs: number): void {
  const anyTime = () => dayStartMs + rng.float(0, DAY_MS);
  for (const lock of devices.locks) {
    if (!rng.chance(LOW_BATTERY_PER_LOCK_DAY)) continue;
    const raised = anyTime();
    sink.alarm(raised, lock, 'low-battery', true);
    const changedOn = Math.floor((raised - dayStartMs) / DAY_MS) + rng.int(1, 4);
    sink.alarm(dayStartMs + changedOn * DAY_MS + rng.float(9, 20) * HOUR_MS, lock, 'low-battery', false);
  }
  // Detectors of kinds the contract does not name (smoke detectors) send only alarms.
  for (const detector of devices.others) {
    if (!rng.chance(SMOKE_PER_DETECTOR_DAY)) continue;
    // Kitchens smoke at meal times.
    const raised = dayStartMs + rng.pick([11.5, 12, 17.5, 18, 18.5, 19]) * HOUR_MS + rng.float(0, 40) * MINUTE_MS;
    sink.alarm(raised, detector, 'smoke', true);
    sink.alarm(raised + rng.float(2, 12) * MINUTE_MS, detector, 'smoke', false);
  }
  for (const gate of devices.gates) {
    if (!rng.chance(TAMPER_PER_GATE_DAY)) continue;
    const raised = anyTime();
    sink.alarm(raised, gate, 'tamper', true);
    sink.alarm(raised + rng.float(0.5, 2) * MINUTE_MS, gate, 'tamper', false);
  }
}

import type { AlertDraft } from '../alerts.js';
import type { RateLimit } from '../device-rate.js';
import type { DeviceBinding } from '../estate.js';

/** Subject of the flood alert about an estate's unregistered devices (they share one bucket); no device id has a dot. */
export const UNREGISTERED_SUBJECT = 'unregistered.devices';

export type FloodReading = {
  /** Events a second that arrived from the device since the previous reading. */
  ratePerSecond: number;
  limit: RateLimit;
  /** Events dropped since the flood began. */
  dropped: number;
  sinceMs: number;
  clearAfterMs: number;
};

/**
 * A device sending more than its limit: its excess is dropped before it is parsed and dead-lettered (aggregated)
 * as `device-flood`. `binding` is undefined for the estate's unregistered devices, which share one limit.
 */
export function deviceFloodDraft(estateId: string, binding: DeviceBinding | undefined, r: FloodReading): AlertDraft {
  const rate = Math.round(r.ratePerSecond * 10) / 10;
  const since = new Date(r.sinceMs).toISOString();
  const who = binding
    ? `Device ${binding.deviceId} (${binding.kind}) at ${placeOf(binding)}`
    : `Devices not in the registry of estate ${estateId}`;
  return {
    kind: 'device-flood',
    subject: binding ? binding.deviceId : UNREGISTERED_SUBJECT,
    estateId,
    buildingId: binding?.buildingId,
    unitId: binding?.unitId,
    floor: binding?.floor,
    deviceId: binding?.deviceId,
    severity: 'medium',
    rule:
      `A device may send ${r.limit.perSecond} events a second, ${r.limit.burst} at once; what it sends beyond that ` +
      `is dropped unread and dead-lettered as device-flood. The alert clears once the device has stayed within ` +
      `its limit for ${Math.round(r.clearAfterMs / 1000)} s.`,
    summary: `${who} sends ${rate} events/s against a limit of ${r.limit.perSecond}/s: ${r.dropped} events dropped since ${since}.`,
    evidence: [
      {
        signal: 'observed-rate',
        label: 'Events a second arriving',
        value: rate,
        threshold: r.limit.perSecond,
        text: `${rate} events/s arrived at the gateway (arrival time), against a limit of ${r.limit.perSecond}/s with bursts of ${r.limit.burst}.`,
      },
      {
        signal: 'dropped',
        label: 'Events dropped',
        value: r.dropped,
        text: `${r.dropped} events over the limit were dropped and dead-lettered as device-flood since ${since}.`,
      },
    ],
  };
}

function placeOf(b: DeviceBinding): string {
  if (b.unitId) return `unit ${b.unitId}`;
  if (b.buildingId) return `building ${b.buildingId}${b.floor !== undefined ? ` floor ${b.floor}` : ''}`;
  return 'estate entrance';
}

import type { AlertDecision, AlertDraft, Severity } from '../alerts.js';
import { type DeviceHealth, formatDuration } from '../device-health.js';
import type { DeviceBinding } from '../estate.js';

/** A building's door gate going blind loses the face links of every unit behind it; one lock or floor loses less. */
const SEVERITY: Record<string, Severity> = {
  'face-gate': 'medium',
  'stairwell-sensor': 'low',
  'door-lock': 'low',
};

const KIND_WORDS: Record<string, string> = {
  'face-gate': 'Face gate',
  'stairwell-sensor': 'Stairwell counter',
  'door-lock': 'Door lock',
};

const RULE =
  "A device is offline while its last will (the broker's notice that its connection dropped) is the newest thing heard from it, or once it has sent nothing for longer than its kind's expected cadence, measured in its estate's event time. It clears when the device is heard again.";

const iso = (ms: number) => new Date(ms).toISOString();

function placeOf(b: DeviceBinding): string {
  if (b.unitId) return `unit ${b.unitId}`;
  if (b.buildingId) return `building ${b.buildingId}${b.floor !== undefined ? ` floor ${b.floor}` : ''}`;
  return 'estate entrance';
}

/** The draft of an offline or silent device's alert; its subject is the device itself. */
export function deviceOfflineDraft(
  binding: DeviceBinding,
  health: Extract<DeviceHealth, { state: 'offline' | 'silent' }>,
): AlertDraft {
  const what = `${KIND_WORDS[binding.kind] ?? `Device (${binding.kind})`} ${binding.deviceId} at ${placeOf(binding)}`;
  const base = {
    kind: 'device-offline' as const,
    subject: binding.deviceId,
    estateId: binding.estateId,
    buildingId: binding.buildingId,
    unitId: binding.unitId,
    floor: binding.floor,
    deviceId: binding.deviceId,
    severity: SEVERITY[binding.kind] ?? 'medium',
    rule: RULE,
  };
  if (health.state === 'offline') {
    const last =
      health.lastEventMs === undefined
        ? 'no event from it is known'
        : `its last event was at ${iso(health.lastEventMs)}`;
    return {
      ...base,
      summary: `${what} is offline: last will since ${iso(health.sinceMs)}.`,
      evidence: [
        {
          signal: 'last-will',
          label: 'Last will: offline',
          value: 1,
          text: `Last will: offline since ${iso(health.sinceMs)} (the broker published the device's "online": false when its connection dropped); ${last}, and nothing newer has been heard.`,
        },
      ],
    };
  }
  const silent = formatDuration(health.silentForMs);
  const limit = formatDuration(health.limitMs);
  return {
    ...base,
    summary: `${what} has sent nothing for ${silent}, expected at most ${limit}.`,
    evidence: [
      {
        signal: 'silence',
        label: 'Hours without an event',
        value: Math.round((health.silentForMs / 3_600_000) * 10) / 10,
        threshold: health.limitMs / 3_600_000,
        text: `Silent for ${silent}, expected at most ${limit}: its last event was at ${iso(health.lastEventMs)}, and the estate's newest event (its clock) is at ${iso(health.lastEventMs + health.silentForMs)}.`,
      },
    ],
  };
}

/**
 * The alert decision for one device's health. The fingerprint names the will or the last event the verdict rests
 * on, so the same verdict reached again (a retained will delivered on every reconnect, two instances sweeping at
 * once, each sweep while the silence lasts) is a repeat, never a second raise or a new occurrence.
 */
export function deviceOfflineDecision(
  binding: DeviceBinding,
  health: DeviceHealth,
  estateNowMs: number | undefined,
): AlertDecision {
  if (health.state === 'offline' || health.state === 'silent') {
    const fingerprint = health.state === 'offline' ? `will|${health.sinceMs}` : `silent|${health.lastEventMs}`;
    const at = health.state === 'offline' ? health.sinceMs : health.lastEventMs + health.silentForMs;
    return {
      action: 'raise',
      draft: deviceOfflineDraft(binding, health),
      eventMs: Math.max(at, estateNowMs ?? at),
      fingerprint,
    };
  }
  return {
    action: 'clear',
    kind: 'device-offline',
    estateId: binding.estateId,
    subject: binding.deviceId,
    eventMs: estateNowMs ?? 0,
  };
}

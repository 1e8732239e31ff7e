import type { AlertDraft, Severity } from '../alerts.js';
import type { DeviceBinding } from '../estate.js';
import type { AlarmKind } from '../events.js';

const SEVERITY: Record<AlarmKind, Severity> = {
  smoke: 'critical',
  'forced-open': 'high',
  tamper: 'high',
  'held-open': 'medium',
  obstruction: 'medium',
  'low-battery': 'low',
};

const WORDS: Record<AlarmKind, string> = {
  smoke: 'smoke detected',
  'forced-open': 'door forced open',
  tamper: 'device tampered with',
  'held-open': 'door held open',
  obstruction: 'passage obstructed',
  'low-battery': 'battery low',
};

/** Each alarm type of each device is its own subject, so a low battery never hides a smoke alarm. */
export const alarmSubject = (deviceId: string, alarm: AlarmKind): string => `${deviceId}.${alarm}`;

export function deviceAlarmDraft(binding: DeviceBinding, alarm: AlarmKind, eventIso: string): AlertDraft {
  const where = binding.unitId
    ? `unit ${binding.unitId}`
    : binding.buildingId
      ? `building ${binding.buildingId}${binding.floor !== undefined ? ` floor ${binding.floor}` : ''}`
      : 'estate entrance';
  return {
    kind: 'device-alarm',
    subject: alarmSubject(binding.deviceId, alarm),
    estateId: binding.estateId,
    buildingId: binding.buildingId,
    unitId: binding.unitId,
    floor: binding.floor,
    deviceId: binding.deviceId,
    alarm,
    severity: SEVERITY[alarm],
    rule: `A device alarm is raised at once and cleared when the device reports it cleared.`,
    summary: `${WORDS[alarm]} at ${where} (device ${binding.deviceId}).`,
    evidence: [
      {
        signal: 'device-alarm',
        label: `Alarm: ${alarm}`,
        value: 1,
        text: `Device ${binding.deviceId} (${binding.kind}) at ${where} reported "${alarm}" active at ${eventIso}.`,
      },
    ],
  };
}

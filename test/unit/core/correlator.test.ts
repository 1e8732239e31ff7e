import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../src/core/alerts.js';
import { decide, decideForAlarm, decideForUnit } from '../../../src/core/correlator.js';
import type { DeviceBinding } from '../../../src/core/estate.js';
import { ALARM_KINDS } from '../../../src/core/events.js';
import { alarmSubject, deviceAlarmDraft } from '../../../src/core/rules/device-alarm.js';
import {
  accept,
  accessPayload,
  alarmPayload,
  at,
  DAY0,
  detection,
  signals,
  tinyEstate,
} from '../../helpers/core-fixtures.js';

const estate = tinyEstate();
const binding = (deviceId: string) => estate.devices.get(deviceId) as DeviceBinding;
const raised = (ds: AlertDecision[]) => ds.filter((d) => d.action === 'raise');
const kinds = (ds: AlertDecision[]) => ds.map((d) => `${d.action}:${d.action === 'raise' ? d.draft.kind : d.kind}`);
const fingerprintOf = (d: AlertDecision | undefined) => (d?.action === 'raise' ? d.fingerprint : undefined);

describe('device-alarm drafts', () => {
  it.each([
    ['smoke', 'critical'],
    ['forced-open', 'high'],
    ['tamper', 'high'],
    ['held-open', 'medium'],
    ['obstruction', 'medium'],
    ['low-battery', 'low'],
  ] as const)('rates a %s alarm as %s', (alarm, severity) => {
    expect(deviceAlarmDraft(binding('lock-b1-101'), alarm, '2026-11-26T00:00:00.000Z').severity).toBe(severity);
  });

  it('covers every alarm kind of the contract', () => {
    for (const alarm of ALARM_KINDS) {
      expect(deviceAlarmDraft(binding('gate-main'), alarm, '2026-11-26T00:00:00.000Z').alarm).toBe(alarm);
    }
  });

  it('places an alarm at its unit, building floor or the estate entrance', () => {
    const iso = '2026-11-25T18:12:40.000Z';
    expect(deviceAlarmDraft(binding('smoke-b1-101'), 'smoke', iso)).toMatchObject({
      kind: 'device-alarm',
      subject: 'smoke-b1-101.smoke',
      unitId: 'b1-101',
      buildingId: 'b1',
      floor: 1,
      summary: 'smoke detected at unit b1-101 (device smoke-b1-101).',
    });
    expect(deviceAlarmDraft(binding('stair-b1-1'), 'obstruction', iso).summary).toBe(
      'passage obstructed at building b1 floor 1 (device stair-b1-1).',
    );
    expect(deviceAlarmDraft(binding('gate-main'), 'tamper', iso).summary).toBe(
      'device tampered with at estate entrance (device gate-main).',
    );
    expect(deviceAlarmDraft(binding('gate-main'), 'tamper', iso).evidence[0]?.text).toMatchInlineSnapshot(
      `"Device gate-main (face-gate) at estate entrance reported "tamper" active at 2026-11-25T18:12:40.000Z."`,
    );
  });

  it('gives each alarm kind of a device its own subject', () => {
    expect(alarmSubject('lock-b1-101', 'low-battery')).not.toBe(alarmSubject('lock-b1-101', 'forced-open'));
  });
});

describe('decideForUnit relapse watch', () => {
  it('marks a group-rental breach at the lower watch level as watch-only, and a full breach as a plain raise', () => {
    const d = detection(); // margin 2, watch margin 1: b1-102 (capacity 2, 2 registered) breaks the watch level at 3
    const [watch] = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 3 } }), d, at(13));
    expect(watch).toMatchObject({
      action: 'raise',
      persistence: { watchOnly: true, watchMs: d.watchDays * 86_400_000 },
    });
    const [full] = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 4 } }), d, at(13));
    expect(full?.action).toBe('raise');
    expect(full?.persistence?.watchOnly).toBeUndefined();
    const [quiet] = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 2 } }), d, at(13));
    expect(quiet?.action).toBe('clear');
  });
});

describe('decideForUnit', () => {
  // the decision mechanics, shown with a margin of 1 so that a single extra person makes a breach
  const d = detection({ overCapacityMargin: 1 });

  it('clears both occupancy alerts of a unit within its limits', () => {
    const ds = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 2 } }), d, at(13));
    expect(kinds(ds)).toEqual(['clear:group-rental-suspected', 'clear:unregistered-occupants']);
    expect(ds[0]).toEqual({
      action: 'clear',
      kind: 'group-rental-suspected',
      estateId: 'tiny',
      subject: 'b1-102',
      eventMs: at(13),
      persistence: { day: DAY0 + 13, confirmDays: d.confirmDaysAtThreshold, clearAfterDays: d.clearAfterDays },
    });
  });

  it('gives occupancy decisions the hysteresis of the detection settings, for the day of the window', () => {
    const custom = detection({
      confirmDays: 3,
      confirmDaysAtThreshold: 6,
      unregisteredConfirmDays: 9,
      clearAfterDays: 5,
    });
    const persistenceOf = (active: number) =>
      decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active }, toDay: DAY0 + 4 }), custom, at(4)).map(
        (decision) => decision.persistence,
      );
    // 8 people in b1-102 (capacity 2, 2 registered) is well past the threshold; 4 is just at it
    expect(persistenceOf(8)).toEqual([
      { day: DAY0 + 4, confirmDays: 3, clearAfterDays: 5 },
      { day: DAY0 + 4, confirmDays: 9, clearAfterDays: 5 },
    ]);
    expect(persistenceOf(4)[0]).toEqual({ day: DAY0 + 4, confirmDays: 6, clearAfterDays: 5 });
  });

  it('raises group rental and clears unregistered occupants when only the capacity is exceeded', () => {
    // b1-102: capacity 2, 2 registered; 3 people is over capacity but below 2 + 2
    const ds = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 3 } }), d, at(13));
    expect(kinds(ds)).toEqual(['raise:group-rental-suspected', 'clear:unregistered-occupants']);
  });

  it('raises both alerts when the unit is over capacity and over its registered count', () => {
    const ds = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 4 } }), d, at(13));
    expect(kinds(ds)).toEqual(['raise:group-rental-suspected', 'raise:unregistered-occupants']);
    expect(raised(ds)[0]).toMatchObject({ eventMs: at(13), fingerprint: `high|4|${DAY0 + 13}` });
  });

  it('keeps the fingerprint while the estimate, severity and day stay the same', () => {
    const s = signals({ unitId: 'b1-102', credentials: { active: 3 } });
    const first = decideForUnit(estate, s, d, at(13, '08:00:00'))[0];
    const later = decideForUnit(estate, s, d, at(13, '21:00:00'))[0];
    expect(fingerprintOf(later)).toBe(fingerprintOf(first));
  });

  it('changes the fingerprint on a new day of the window', () => {
    const today = decideForUnit(
      estate,
      signals({ unitId: 'b1-102', toDay: DAY0 + 13, credentials: { active: 3 } }),
      d,
      0,
    );
    const tomorrow = decideForUnit(
      estate,
      signals({ unitId: 'b1-102', toDay: DAY0 + 14, credentials: { active: 3 } }),
      d,
      0,
    );
    expect(fingerprintOf(tomorrow[0])).not.toBe(fingerprintOf(today[0]));
  });

  it('changes the fingerprint when the severity changes', () => {
    const low = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 3 } }), d, 0)[0];
    const high = decideForUnit(estate, signals({ unitId: 'b1-102', credentials: { active: 4 } }), d, 0)[0];
    expect(fingerprintOf(low)?.startsWith('low|')).toBe(true);
    expect(fingerprintOf(high)?.startsWith('high|')).toBe(true);
  });

  it('decides nothing for a unit the estate does not know', () => {
    expect(decideForUnit(estate, signals({ unitId: 'b9-999', credentials: { active: 9 } }), d, 0)).toEqual([]);
  });
});

describe('decideForAlarm', () => {
  const smoke = (active: boolean) => accept('smoke-b1-101', alarmPayload('a-1', at(0, '02:12:40'), 'smoke', active));

  it('raises an active alarm with the time of the state it follows', () => {
    const sinceMs = at(0, '02:12:40');
    const [decision] = decideForAlarm(smoke(true), { active: true, sinceMs });
    expect(decision).toMatchObject({ action: 'raise', eventMs: sinceMs, fingerprint: `active|${sinceMs}` });
    expect(decision?.action === 'raise' && decision.draft.evidence[0]?.text).toContain('2026-11-25T18:12:40.000Z');
  });

  it('clears when the newest state is cleared, even if this event reported the alarm active', () => {
    const sinceMs = at(0, '03:00:00');
    expect(decideForAlarm(smoke(true), { active: false, sinceMs })).toEqual([
      {
        action: 'clear',
        kind: 'device-alarm',
        estateId: 'tiny',
        subject: 'smoke-b1-101.smoke',
        eventMs: sinceMs,
        police: {
          type: 'alarm',
          at: new Date(sinceMs).toISOString(),
          estateId: 'tiny',
          buildingId: 'b1',
          unitId: 'b1-101',
          floor: 1,
          deviceId: 'smoke-b1-101',
          alarm: 'smoke',
          active: false,
          severity: 'critical',
        },
      },
    ]);
  });

  it('tells the police of safety alarms only, at unit level', () => {
    const lowBattery = accept('smoke-b1-101', alarmPayload('a-2', at(0), 'low-battery', true));
    const [battery] = decideForAlarm(lowBattery, { active: true, sinceMs: at(0) });
    expect(battery?.police).toBeUndefined();
    const [raised] = decideForAlarm(smoke(true), { active: true, sinceMs: at(0) });
    expect(raised?.police).toMatchObject({ type: 'alarm', alarm: 'smoke', active: true, unitId: 'b1-101' });
    expect(Object.keys(raised?.police ?? {}).sort()).toEqual(
      ['active', 'alarm', 'at', 'buildingId', 'deviceId', 'estateId', 'floor', 'severity', 'type', 'unitId'].sort(),
    );
  });

  it('keeps raising while a newer active state is stored, even for a late clear', () => {
    const [decision] = decideForAlarm(smoke(false), { active: true, sinceMs: at(0, '04:00:00') });
    expect(decision?.action).toBe('raise');
  });

  it('decides nothing for an event that is not an alarm', () => {
    const opening = accept('lock-b1-101', accessPayload('o-1', at(0), 'slot-1'));
    expect(decideForAlarm(opening, { active: true, sinceMs: at(0) })).toEqual([]);
  });
});

describe('decide', () => {
  const opening = accept('lock-b1-102', accessPayload('o-1', at(13), 'slot-1'));
  const over = signals({ unitId: 'b1-102', credentials: { active: 3 } });

  it('decides again on a duplicate so that a crash between commit and decision is repaired', () => {
    expect(decide(opening, { status: 'duplicate', units: [over] }, detection())).toHaveLength(2);
  });

  it('decides nothing for an event outside the window or a failed store call', () => {
    expect(decide(opening, { status: 'outside-window', windowFromDay: DAY0 }, detection())).toEqual([]);
    expect(decide(opening, { status: 'failed', detail: 'x' }, detection())).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type AlertChangeLike,
  openIntervals,
  scoreSeed,
  type TruthLike,
  type TruthUnitLike,
} from '../../../simulators/evaluation/score.js';

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00+08:00');
const iso = (day: number) => new Date(START + day * DAY).toISOString();
const at = (day: number) => START + day * DAY;

const unit = (unitId: string, over: Partial<TruthUnitLike> = {}): TruthUnitLike => ({
  unitId,
  household: 'family',
  groupRental: false,
  occupants: 3,
  registered: 3,
  capacity: 4,
  ...over,
});
const rental = (
  unitId: string,
  fromDay: number,
  toDay: number | null = null,
  kind: 'group-rental' | 'relapse' = 'group-rental',
) =>
  unit(unitId, {
    household: 'group-rental',
    groupRental: true,
    occupants: 12,
    periods: [{ kind, fromTs: iso(fromDay), toTs: toDay === null ? null : iso(toDay) }],
  });
const truth = (units: TruthUnitLike[]): TruthLike => ({ seed: 1, start: iso(0), end: iso(21), units });
const raised = (unitId: string, day: number, kind = 'group-rental-suspected'): AlertChangeLike => ({
  change: 'raised',
  kind,
  unitId,
  atMs: at(day),
});
const cleared = (unitId: string, day: number): AlertChangeLike => ({
  change: 'cleared',
  kind: 'group-rental-suspected',
  unitId,
  atMs: at(day),
});

describe('scoreSeed', () => {
  it('counts detected, missed and false alarms, with precision, recall and F1', () => {
    const s = scoreSeed(truth([rental('a', 2), rental('b', 3), unit('c'), unit('d')]), [
      raised('a', 5),
      raised('c', 7),
    ]);
    expect(s).toMatchObject({ positives: 2, truePositives: 1, falsePositives: 1, missed: ['b'], falseAlarms: ['c'] });
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(0.5);
    expect(s.f1).toBe(0.5);
  });

  it('measures time to detect from move-in to the first open alert, and its median', () => {
    const s = scoreSeed(truth([rental('a', 2), rental('b', 4), rental('c', 1)]), [
      raised('a', 5),
      raised('b', 5),
      raised('c', 7),
    ]);
    expect(s.timeToDetectDays).toEqual([3, 1, 6]);
    expect(s.medianTimeToDetectDays).toBe(3);
  });

  it('does not ask for a group rental that lived there less than the minimum presence', () => {
    const s = scoreSeed(truth([rental('late', 19)]), [], { minPresenceDays: 4 });
    expect(s.positives).toBe(0);
    expect(s.recall).toBe(1);
  });

  it('does not credit an alert raised only after the group rental had left', () => {
    const s = scoreSeed(truth([rental('a', 2, 8)]), [raised('a', 10)]);
    expect(s.missed).toEqual(['a']);
  });

  it('counts a relapse as detected only by an alert raised after the return', () => {
    const relapsing = unit('r', {
      household: 'group-rental',
      groupRental: true,
      periods: [
        { kind: 'group-rental', fromTs: iso(1), toTs: iso(6) },
        { kind: 'relapse', fromTs: iso(13), toTs: null },
      ],
    });
    const stillOpen = scoreSeed(truth([relapsing]), [raised('r', 3)]);
    expect(stillOpen.relapses).toEqual([{ unitId: 'r', detected: false, daysToDetect: null }]);
    const reRaised = scoreSeed(truth([relapsing]), [raised('r', 3), cleared('r', 9), raised('r', 15)]);
    expect(reRaised.relapses).toEqual([{ unitId: 'r', detected: true, daysToDetect: 2 }]);
  });

  it('groups false alarms by household and confounder, and names alerts on lawful families', () => {
    const s = scoreSeed(
      truth([unit('x', { confounders: ['visiting-relatives'] }), unit('y', { household: 'short-term-let' })]),
      [raised('x', 4), raised('y', 4, 'unregistered-occupants')],
    );
    expect(s.falsePositivesByConfounder).toEqual({ family: 1, 'visiting-relatives': 1 });
    expect(s.alertsOnLawfulFamilies.sort()).toEqual(['x', 'y']);
  });
});

describe('openIntervals', () => {
  it('pairs raises with clears and leaves the last alert open until the end', () => {
    const m = openIntervals([raised('a', 1), cleared('a', 3), raised('a', 5)], 'group-rental-suspected', at(9));
    expect(m.get('a')).toEqual([
      { from: at(1), to: at(3) },
      { from: at(5), to: at(9) },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { EstateProfile, unitMetrics } from '../../../src/core/estate-profile.js';
import { occupancyEvidence } from '../../../src/core/rules/evidence.js';
import { detection, signals } from '../../helpers/core-fixtures.js';

// 14-day windows: 14 × n identified openings make n a day
const unit = (id: string, perDay: number, nightShare = 0) =>
  signals({ unitId: id, openings: { identified: 14 * perDay, night: Math.round(14 * perDay * nightShare) } });

describe('EstateProfile', () => {
  it('ranks a unit against the rest of its estate', () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 100; i++) profile.observe('e', unit(`u${i}`, i % 10));
    expect(profile.percentile('e', 'openingsPerDay', 9)).toBe(100);
    expect(profile.percentile('e', 'openingsPerDay', 4)).toBe(50);
    expect(profile.percentile('e', 'openingsPerDay', -1)).toBe(0);
  });

  it('keeps estates apart and says nothing about a sample under 20 units', () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 30; i++) profile.observe('busy', unit(`u${i}`, 20));
    for (let i = 0; i < 10; i++) profile.observe('small', unit(`u${i}`, 1));
    expect(profile.percentile('busy', 'openingsPerDay', 5)).toBe(0);
    expect(profile.percentile('small', 'openingsPerDay', 5)).toBeUndefined();
  });

  it('follows a unit whose figures change rather than counting it twice', () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 40; i++) profile.observe('e', unit(`u${i}`, 1));
    for (let i = 0; i < 40; i++) profile.observe('e', unit(`u${i}`, 3));
    expect(profile.percentile('e', 'openingsPerDay', 2)).toBe(0);
  });

  it('computes the night-time share of openings', () => {
    expect(unitMetrics(unit('x', 2, 0.5))).toEqual({ openingsPerDay: 2, nightShare: 0.5 });
    expect(unitMetrics(unit('quiet', 0))).toEqual({ openingsPerDay: 0, nightShare: 0 });
  });
});

describe('traffic evidence', () => {
  it("words door traffic and night activity against the estate's distribution", () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 50; i++) profile.observe('e', unit(`u${i}`, 2, 0.05));
    const evidence = occupancyEvidence(unit('busy', 12, 0.4), detection(), profile.view('e'));
    expect(evidence.find((e) => e.signal === 'openings-per-day')?.text).toMatch(
      /^12 door openings a day in the 14 days .*, percentile 100 of the estate's units\.$/,
    );
    expect(evidence.find((e) => e.signal === 'night-activity')).toMatchObject({ value: 40 });
    expect(
      occupancyEvidence(unit('busy', 12), detection()).find((e) => e.signal === 'openings-per-day')?.text,
    ).not.toContain('estate');
  });
});

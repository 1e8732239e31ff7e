import { describe, expect, it } from 'vitest';
import { EstateProfile, openingsPerPersonOf, unitMetrics } from '../../../src/core/estate-profile.js';
import { occupancyEvidence } from '../../../src/core/rules/evidence.js';
import { ruleContext, signals, tinyEstate } from '../../helpers/core-fixtures.js';

// 14-day windows: 14 × n identified openings make n a day
const unit = (id: string, perDay: number, nightShare = 0) =>
  signals({ unitId: id, openings: { identified: 14 * perDay, night: Math.round(14 * perDay * nightShare) } });

describe('EstateProfile', () => {
  it('ranks a unit against the rest of its estate', () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 100; i++) profile.observe('e', unit(`u${i}`, i % 10));
    // ten units at each of 0..9 a day: below, plus half of the ties
    expect(profile.percentile('e', 'openingsPerDay', 9)).toBe(95);
    expect(profile.percentile('e', 'openingsPerDay', 4)).toBe(45);
    expect(profile.percentile('e', 'openingsPerDay', 4.5)).toBe(50);
    expect(profile.percentile('e', 'openingsPerDay', 12)).toBe(100);
    expect(profile.percentile('e', 'openingsPerDay', -1)).toBe(0);
  });

  it('ranks a figure every unit shares in the middle, not at the top', () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 30; i++) profile.observe('e', unit(`u${i}`, 2, 0));
    expect(profile.percentile('e', 'nightShare', 0)).toBe(50);
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
    expect(unitMetrics(unit('x', 2, 0.5))).toMatchObject({ openingsPerDay: 2, nightShare: 0.5 });
    expect(unitMetrics(unit('quiet', 0))).toMatchObject({ openingsPerDay: 0, nightShare: 0 });
  });

  it('reads recent traffic over complete days only', () => {
    const s = signals({ openings: { identified: 70 }, recent: { identified: 30, anonymous: 10 } });
    expect(unitMetrics(s)).toEqual({ openingsPerDay: 5, nightShare: 0, recentOpeningsPerDay: 10 });
  });

  it("learns openings per person from the units whose lock names who opens, the estate's median", () => {
    const profile = new EstateProfile();
    const household = (id: string, people: number, identified: number, anonymous = 0) =>
      signals({ unitId: id, credentials: { active: people }, recent: { identified, anonymous } });
    for (let i = 0; i < 25; i++) profile.observe('e', household(`u${i}`, 2, 8 + (i % 5) * 4)); // 1–3 a day each
    for (let i = 0; i < 25; i++) profile.observe('e', household(`p${i}`, 1, 0, 200)); // password doors: no sample
    expect(openingsPerPersonOf(household('x', 2, 16))).toBe(2);
    expect(openingsPerPersonOf(household('p', 1, 0, 200))).toBeUndefined();
    expect(profile.openingsPerPerson('e')).toBe(2);
    expect(profile.view('e').openingsPerPerson()).toBe(2);
    expect(new EstateProfile().openingsPerPerson('e')).toBeUndefined();
  });
});

describe('traffic evidence', () => {
  it("words door traffic and night activity against the estate's distribution", () => {
    const profile = new EstateProfile();
    for (let i = 0; i < 50; i++) profile.observe('e', unit(`u${i}`, 2, 0.05));
    const estate = tinyEstate();
    const evidence = occupancyEvidence(
      ruleContext(estate, 'b1-101', unit('busy', 12, 0.4), { profile: profile.view('e') }),
    );
    expect(evidence.find((e) => e.signal === 'openings-per-day')?.text).toMatch(
      /^12 door openings a day in the 14 days .*, percentile 100 of the estate's units\.$/,
    );
    expect(evidence.find((e) => e.signal === 'night-activity')).toMatchObject({ value: 40 });
    expect(
      occupancyEvidence(ruleContext(estate, 'b1-101', unit('busy', 12))).find((e) => e.signal === 'openings-per-day')
        ?.text,
    ).not.toContain('estate');
  });
});

import { describe, expect, it } from 'vitest';
import type { Unit } from '../../../src/core/estate.js';
import { EstateProfile } from '../../../src/core/estate-profile.js';
import { groupRentalRule } from '../../../src/core/rules/group-rental.js';
import type { UnitRuleContext } from '../../../src/core/rules/unit-rule.js';
import { unregisteredOccupantsRule } from '../../../src/core/rules/unregistered-occupants.js';
import type { UnitSignals } from '../../../src/core/signals.js';
import { DAY0, detection, ruleContext, signals, tinyEstate } from '../../helpers/core-fixtures.js';

const estate = tinyEstate();
const unit = (id: string): Unit => estate.units.get(id) as Unit;

const context = (u: Unit, s: UnitSignals, overrides = {}): UnitRuleContext =>
  ruleContext(estate, u, s, { detection: detection(overrides) });
const people = (n: number) => signals({ credentials: { active: n, distinct: n } });

describe('group-rental-suspected rule', () => {
  // b1-102: 1 room, 35 m² → capacity 2, 2 registered; b1-101: 2 rooms, 58.4 m² → capacity 4, 3 registered;
  // b1-201: 3 rooms, 92 m² → capacity 6, 4 registered. The default margin is 2 over both.
  it.each([
    { unitId: 'b1-102', estimate: 3, severity: undefined },
    { unitId: 'b1-102', estimate: 4, severity: 'high' },
    { unitId: 'b1-101', estimate: 5, severity: undefined },
    { unitId: 'b1-101', estimate: 6, severity: 'low' },
    { unitId: 'b1-101', estimate: 7, severity: 'low' },
    { unitId: 'b1-101', estimate: 8, severity: 'high' },
    { unitId: 'b1-201', estimate: 9, severity: 'low' },
    { unitId: 'b1-201', estimate: 10, severity: 'medium' },
    { unitId: 'b1-201', estimate: 12, severity: 'high' },
  ])('for $unitId with an estimate of $estimate gives severity $severity', ({ unitId, estimate, severity }) => {
    const draft = groupRentalRule.evaluate(context(unit(unitId), people(estimate)));
    expect(draft?.severity).toBe(severity);
  });

  it('waits for capacity + overCapacityMargin when the margin is larger', () => {
    const u = unit('b1-102');
    expect(groupRentalRule.evaluate(context(u, people(4), { overCapacityMargin: 3 }))).toBeUndefined();
    expect(groupRentalRule.evaluate(context(u, people(5), { overCapacityMargin: 3 }))?.severity).toBe('high');
  });

  it('does not suspect a group rental when the people over capacity are registered there', () => {
    // 7 people in b1-101 (capacity 4) of whom 6 are registered: overcrowded, but by its own registered household
    const registeredFamily: Unit = { ...unit('b1-101'), registered: 6 };
    expect(groupRentalRule.evaluate(context(registeredFamily, people(7)))).toBeUndefined();
    expect(groupRentalRule.evaluate(context(registeredFamily, people(8)))?.severity).toBe('high');
  });

  it('asks a breach just at the threshold to last longer than a clear one', () => {
    const u = unit('b1-101');
    expect(groupRentalRule.confirmDays(context(u, people(6)))).toBe(detection().confirmDaysAtThreshold);
    expect(groupRentalRule.confirmDays(context(u, people(7)))).toBe(detection().confirmDays);
  });

  it('rates any occupants of a unit with no living room as high severity', () => {
    const noRooms: Unit = { ...unit('b1-102'), rooms: 0 };
    expect(groupRentalRule.evaluate(context(noRooms, people(4)))?.severity).toBe('high');
  });

  it('explains the estimate, the capacity and the window in its evidence', () => {
    const s = signals({
      toDay: DAY0 + 13,
      credentials: { active: 4, distinct: 5, enrolled: 1, removed: 0 },
      faces: { knownResidents: 1, unknownResidents: 1, unknownLinked: 2 },
      openings: { identified: 30, anonymous: 4, failed: 2 },
    });
    const draft = groupRentalRule.evaluate(context(unit('b1-102'), s));
    expect(draft).toMatchObject({
      kind: 'group-rental-suspected',
      subject: 'b1-102',
      estateId: 'tiny',
      buildingId: 'b1',
      unitId: 'b1-102',
      floor: 1,
      estimate: { people: 4, basis: 'credentials', capacity: 2, registered: 2 },
    });
    expect(draft?.summary).toBe('Unit b1-102: about 4 people for a legal capacity of 2.');
    expect(draft?.evidence[0]?.text).toMatchInlineSnapshot(
      `"About 4 people live here (from fingerprints/cards in regular use (+2 over the next signal), confidence 0.7); the legal capacity is 2 (1 room, 35 m²: min(2 × 1, floor(35 / 5))) and 2 are registered; an alert needs 2 or more beyond both."`,
    );
    const credentials = draft?.evidence.find((e) => e.signal === 'active-credentials');
    expect(credentials).toMatchObject({
      value: 4,
      threshold: 2,
      window: { days: 14, from: '2026-11-26', to: '2026-12-09' },
    });
    expect(credentials?.text).toMatchInlineSnapshot(
      `"4 different fingerprints/cards opened the door on 2 or more days in the 14 days 2026-11-26 to 2026-12-09 (5 used at least once)."`,
    );
    const openings = draft?.evidence.find((e) => e.signal === 'openings');
    expect(openings?.text).toContain('30 openings by fingerprint/card/app, 4 by password or key');
    expect(openings?.text).toContain('2 failed attempts in the 14 days 2026-11-26 to 2026-12-09');
    expect(draft?.evidence.find((e) => e.signal === 'unregistered-faces')?.text).toBe(
      '2 unregistered faces were linked to this door on 2 or more days in the 14 days 2026-11-26 to 2026-12-09.',
    );
  });

  it('says how many days linked make a linked face: two, or one when one day is enough to live there', () => {
    const s = signals({ toDay: DAY0 + 13, credentials: { active: 4, distinct: 4 }, faces: { unknownLinked: 3 } });
    const draft = groupRentalRule.evaluate(context(unit('b1-102'), s, { minLinkDays: 1 }));
    expect(draft?.evidence.find((e) => e.signal === 'unregistered-faces')?.text).toMatch(
      /^3 unregistered faces were linked to this door on 1 or more days /,
    );
  });
});

describe('group-rental-suspected from door traffic', () => {
  // an estate whose two-person households open their doors about twice a day per person
  const profile = new EstateProfile();
  for (let i = 0; i < 60; i++) {
    profile.observe(
      'tiny',
      signals({ unitId: `u${i}`, credentials: { active: 2 }, recent: { identified: 16 + (i % 3) } }),
    );
  }
  // b1-101: capacity 4, 3 registered; a password door opened 16 times a day over the last 4 days: ~7 people
  const passwordDoor = (night = 0) =>
    signals({ credentials: { active: 1 }, openings: { anonymous: 200, night }, recent: { anonymous: 64 } });
  const ctxOf = (s: UnitSignals) => ruleContext(estate, 'b1-101', s, { profile: profile.view('tiny') });

  it('does not raise on traffic alone: a count nobody names needs a corroborating signal', () => {
    const ctx = ctxOf(passwordDoor());
    expect(ctx.estimate).toMatchObject({ people: 7, basis: 'traffic', confidence: 0.4 });
    expect(groupRentalRule.evaluate(ctx)).toBeUndefined();
  });

  it('raises when night-time activity corroborates the traffic, and waits longer to open it', () => {
    const ctx = ctxOf(passwordDoor(90));
    const draft = groupRentalRule.evaluate(ctx);
    expect(draft?.estimate).toMatchObject({ people: 7, basis: 'traffic', confidence: 0.5, overCapacity: 3 });
    expect(draft?.evidence.find((e) => e.signal === 'door-traffic')?.text).toMatch(
      /^16 openings a day over the 4 complete days before 2026-12-09, percentile 100 of the estate's units; at 2.1 openings a day per person that is what 7 people make; it counts here because 100% of the openings were by password or key/,
    );
    expect(draft?.evidence.find((e) => e.signal === 'confidence')?.text).toMatch(
      /^Confidence 0.5: counted from door traffic alone/,
    );
    expect(groupRentalRule.confirmDays(ctx)).toBe(detection().confirmDaysAtThreshold);
  });

  it('does not slow an alert whose named people are clearly over just because traffic sees even more', () => {
    // 8 active credentials in b1-101 (capacity 4, 3 registered) and traffic that reads as more
    const s = signals({
      credentials: { active: 8 },
      openings: { anonymous: 300 },
      recent: { identified: 8, anonymous: 150 },
    });
    const ctx = ctxOf(s);
    expect(ctx.estimate.basis).toBe('traffic');
    expect(groupRentalRule.confirmDays(ctx)).toBe(detection().confirmDays);
  });

  it('rests on the named people when they alone cross the threshold: uncorroborated traffic never weakens an alert', () => {
    // 6 credentials in b1-101 cross capacity 4 + 2; a shared card makes the traffic read higher, uncorroborated
    const s = signals({ credentials: { active: 6 }, openings: { identified: 300 }, recent: { identified: 180 } });
    const ctx = ctxOf(s);
    expect(ctx.estimate).toMatchObject({ basis: 'traffic', confidence: 0.4 });
    const draft = groupRentalRule.evaluate(ctx);
    expect(draft?.estimate).toMatchObject({ people: 6, basis: 'credentials', confidence: 0.8 });
    expect(draft?.evidence.find((e) => e.signal === 'door-traffic')?.text).toContain(
      'the people credentials and faces name are enough on their own',
    );
  });

  it('follows the configured minimum confidence', () => {
    const ctx = ruleContext(estate, 'b1-101', passwordDoor(), {
      profile: profile.view('tiny'),
      detection: detection({ minConfidence: 0.4 }),
    });
    expect(groupRentalRule.evaluate(ctx)?.estimate?.basis).toBe('traffic');
  });
});

describe('unregistered-occupants rule', () => {
  // b1-102 has 2 registered occupants; the default margin is 2
  it.each([
    { estimate: 3, severity: undefined },
    { estimate: 4, severity: 'low' },
    { estimate: 5, severity: 'low' },
    { estimate: 6, severity: 'medium' },
  ])('with an estimate of $estimate against 2 registered gives severity $severity', ({ estimate, severity }) => {
    const draft = unregisteredOccupantsRule.evaluate(context(unit('b1-102'), people(estimate)));
    expect(draft?.severity).toBe(severity);
  });

  it('does not take unregistered faces alone as evidence while the estimate is within the registered count', () => {
    // registered residents may decline face enrolment, so their faces show up as unregistered
    const s = signals({ faces: { unknownResidents: 3, unknownLinked: 3 } });
    expect(unregisteredOccupantsRule.evaluate(context(unit('b1-101'), s))).toBeUndefined();
  });

  it('raises when unregistered faces bring the estimate to registered + margin', () => {
    const s = signals({ faces: { knownResidents: 1, unknownResidents: 4 } });
    const draft = unregisteredOccupantsRule.evaluate(context(unit('b1-101'), s));
    expect(draft).toMatchObject({ kind: 'unregistered-occupants', subject: 'b1-101', severity: 'low' });
    expect(draft?.estimate).toMatchObject({
      people: 5,
      basis: 'faces',
      capacity: 4,
      registered: 3,
      overCapacity: 1,
      overRegistered: 2,
      confidence: 0.7,
      counts: [
        { signal: 'active-credentials', people: 0, counts: true, lift: 0 },
        { signal: 'resident-faces', people: 5, counts: true, lift: 5 },
      ],
    });
  });

  it('stays quiet with one unregistered resident face', () => {
    const s = signals({ faces: { unknownResidents: 1, knownResidents: 1 } });
    expect(unregisteredOccupantsRule.evaluate(context(unit('b1-101'), s))).toBeUndefined();
  });

  it('names the registered count, the margin and the window in its evidence', () => {
    const draft = unregisteredOccupantsRule.evaluate(context(unit('b1-102'), people(4)));
    expect(draft?.summary).toBe('Unit b1-102: about 4 people, 2 registered.');
    expect(draft?.evidence[0]).toMatchObject({ signal: 'estimate-over-registered', value: 4, threshold: 4 });
    expect(draft?.evidence[0]?.text).toMatchInlineSnapshot(
      `"About 4 people live here (from fingerprints/cards in regular use (+4 over the next signal), confidence 0.7); 2 are registered, and an alert needs 2 or more beyond that."`,
    );
    const faces = draft?.evidence.find((e) => e.signal === 'resident-faces');
    expect(faces?.text).toContain('in the 14 days 2026-11-26 to 2026-12-09');
  });
});

import { describe, expect, it } from 'vitest';
import { legalCapacity } from '../../../src/core/capacity.js';
import { EstateProfile } from '../../../src/core/estate-profile.js';
import { estimateOccupancy, type OccupancyContext } from '../../../src/core/occupancy.js';
import { detection, signals } from '../../helpers/core-fixtures.js';

describe('legalCapacity', () => {
  it.each([
    { rooms: 1, areaM2: 35, capacity: 2, why: 'rooms limit (2 per room) below the area limit (7)' },
    { rooms: 2, areaM2: 58.4, capacity: 4, why: 'rooms limit 4, area limit floor(11.68) = 11' },
    { rooms: 3, areaM2: 12, capacity: 2, why: 'area limit floor(12 / 5) = 2 below the rooms limit 6' },
    { rooms: 0, areaM2: 40, capacity: 0, why: 'no room designed for living means nobody may live there' },
    { rooms: 2, areaM2: 9.99, capacity: 1, why: 'area is floored, never rounded up' },
    { rooms: 5, areaM2: 50, capacity: 10, why: 'both limits equal' },
  ])('gives $capacity for $rooms rooms and $areaM2 m² ($why)', ({ rooms, areaM2, capacity }) => {
    expect(legalCapacity({ rooms, areaM2 })).toBe(capacity);
  });
});

const ctx = (over: Partial<OccupancyContext> = {}): OccupancyContext => ({
  detection: detection(),
  stairwellCounted: false,
  ...over,
});

/** An estate profile whose households open their doors `perDay` times a day per person, two people each. */
function estateOf(units = 60, perPersonPerDay = 2): EstateProfile {
  const profile = new EstateProfile();
  for (let i = 0; i < units; i++) {
    const opens = 4 * 2 * perPersonPerDay + (i % 3); // 4 complete days, 2 people, a little spread
    profile.observe('e', signals({ unitId: `u${i}`, credentials: { active: 2 }, recent: { identified: opens } }));
  }
  return profile;
}

describe('estimateOccupancy', () => {
  it('estimates nobody, with no confidence, when no signal is present', () => {
    expect(estimateOccupancy(signals(), ctx())).toMatchObject({
      people: 0,
      basis: 'none',
      fromCredentials: 0,
      fromFaces: 0,
      traffic: undefined,
      confidence: 0,
      factors: [],
    });
  });

  it('takes the larger of active credentials and resident faces instead of adding them', () => {
    const s = signals({ credentials: { active: 3, distinct: 5 }, faces: { knownResidents: 1, unknownResidents: 1 } });
    expect(estimateOccupancy(s, ctx())).toMatchObject({
      people: 3,
      basis: 'credentials',
      fromCredentials: 3,
      fromFaces: 2,
      counts: [
        { signal: 'active-credentials', people: 3, lift: 1 },
        { signal: 'resident-faces', people: 2, lift: 0 },
      ],
    });
  });

  it('counts registered and unregistered resident faces together', () => {
    const s = signals({ credentials: { active: 1 }, faces: { knownResidents: 2, unknownResidents: 3 } });
    expect(estimateOccupancy(s, ctx())).toMatchObject({ people: 5, basis: 'faces', fromCredentials: 1, fromFaces: 5 });
  });

  it('prefers credentials as the basis when both signals agree, and is most confident then', () => {
    const s = signals({ credentials: { active: 2 }, faces: { knownResidents: 3 } });
    const e = estimateOccupancy(s, ctx());
    expect(e.basis).toBe('faces');
    expect(e.confidence).toBe(0.9);
    expect(e.factors.map((f) => f.factor)).toEqual(['credentials-and-faces-agree']);
    expect(estimateOccupancy(signals({ credentials: { active: 2 }, faces: { knownResidents: 2 } }), ctx()).basis).toBe(
      'credentials',
    );
  });

  it('is less confident when one identified signal sees far more people than the other', () => {
    const e = estimateOccupancy(signals({ credentials: { active: 6 }, faces: { knownResidents: 1 } }), ctx());
    expect(e.confidence).toBe(0.7);
    expect(e.factors[0]).toMatchObject({ factor: 'credentials-only' });
    expect(e.factors[0]?.text).toContain('the other signal sees 1');
  });

  it('ignores credentials used once and faces linked on too few days', () => {
    const s = signals({
      credentials: { distinct: 6, active: 0 },
      faces: { knownLinked: 4, unknownLinked: 4 },
      openings: { identified: 40, anonymous: 9 },
    });
    expect(estimateOccupancy(s, ctx()).people).toBe(0);
  });
});

describe('door traffic in the estimate', () => {
  const profile = estateOf().view('e');
  // estate: 2 people per unit, 16–18 openings over 4 days: about 2 openings a day per person
  it("learns the estate's openings per person from units whose lock names who opens", () => {
    expect(profile.openingsPerPerson()).toBeCloseTo(2.125, 3);
  });

  it('counts people from traffic at a password door whose traffic is exceptional for the estate', () => {
    const s = signals({ credentials: { active: 1 }, recent: { identified: 4, anonymous: 60 } }); // 16 a day
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.traffic).toMatchObject({ people: 7, openingsPerDay: 16, percentile: 100, counts: true });
    expect(e.traffic?.blindSpot).toBe('94% of the openings were by password or key, which name nobody');
    expect(e).toMatchObject({ people: 7, basis: 'traffic', confidence: 0.4 });
    expect(e.counts.find((c) => c.signal === 'door-traffic')).toMatchObject({ people: 7, counts: true, lift: 6 });
  });

  it('counts people from traffic when one card opens the door for several people', () => {
    const s = signals({ credentials: { active: 1 }, recent: { identified: 64 } });
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.traffic?.counts).toBe(true);
    expect(e.traffic?.blindSpot).toMatch(
      /^each fingerprint\/card in use opened the door 16 times a day, 3 or more times/,
    );
    expect(e.people).toBe(7);
  });

  it('does not read the traffic of people whose credentials were all removed as one shared card', () => {
    // a rectified rental: every credential removed, the openings of the days before still in the recent days
    const s = signals({ credentials: { active: 0, distinct: 16, removed: 16 }, recent: { identified: 92 } });
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.traffic).toMatchObject({ counts: false, blindSpot: undefined });
    expect(e.people).toBe(0);
  });

  it('never counts traffic where the lock names the people who open it: a busy family is not a crowd', () => {
    const s = signals({ credentials: { active: 4 }, recent: { identified: 64 } }); // 4 a day each
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.traffic).toMatchObject({ people: 7, counts: false, blindSpot: undefined });
    expect(e).toMatchObject({ people: 4, basis: 'credentials' });
    // traffic that agrees with the identified count corroborates it
    expect(e.factors.map((f) => f.factor)).toContain('door-traffic');
  });

  it('never counts traffic that is ordinary for the estate, password door or not', () => {
    const s = signals({ recent: { anonymous: 16 } }); // 4 a day, as many of the estate's units
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.traffic).toMatchObject({ people: 1, percentile: 17, counts: false });
    expect(e.people).toBe(0);
  });

  it('does not count from traffic without an estate to compare with, unless the rate is configured', () => {
    const s = signals({ recent: { anonymous: 64 } });
    expect(estimateOccupancy(s, ctx()).traffic).toBeUndefined();
    const small = estateOf(10).view('e');
    expect(estimateOccupancy(s, ctx({ profile: small })).traffic).toBeUndefined();
    const configured = estimateOccupancy(s, ctx({ detection: detection({ openingsPerPersonDay: 2 }) }));
    expect(configured.traffic).toMatchObject({ people: 8, percentile: undefined, counts: false });
  });
});

describe('corroboration of the estimate', () => {
  const profile = (() => {
    const p = estateOf();
    return p.view('e');
  })();

  it('adds night-time activity exceptional for the estate', () => {
    const s = signals({
      credentials: { active: 1 },
      openings: { anonymous: 200, night: 80 },
      recent: { anonymous: 64 },
    });
    const e = estimateOccupancy(s, ctx({ profile }));
    expect(e.factors.map((f) => f.factor)).toEqual(['traffic-only', 'night-activity']);
    expect(e.confidence).toBe(0.5);
  });

  it('adds a floor whose stairwell sees many more people than door openings, only where it is counted', () => {
    const s = signals({ credentials: { active: 1 }, recent: { anonymous: 64 }, floor: { stairsIn: 90, openings: 40 } });
    const counted = estimateOccupancy(s, ctx({ profile, stairwellCounted: true }));
    expect(counted.factors.map((f) => f.factor)).toEqual(['traffic-only', 'stairwell']);
    expect(counted.factors[1]?.text).toContain('90 people coming in for 40 door openings (2.3 per opening)');
    expect(estimateOccupancy(s, ctx({ profile })).factors.map((f) => f.factor)).toEqual(['traffic-only']);
    const fewer = signals({
      credentials: { active: 1 },
      recent: { anonymous: 64 },
      floor: { stairsIn: 50, openings: 40 },
    });
    expect(estimateOccupancy(fewer, ctx({ profile, stairwellCounted: true })).factors).toHaveLength(1);
  });

  it('caps the confidence below certainty', () => {
    const s = signals({
      credentials: { active: 6 },
      faces: { knownResidents: 6 },
      openings: { identified: 300, night: 150 },
      recent: { identified: 120 },
      floor: { stairsIn: 90, openings: 40 },
    });
    const e = estimateOccupancy(s, ctx({ profile, stairwellCounted: true }));
    expect(e.factors).toHaveLength(4);
    expect(e.confidence).toBe(0.95);
  });
});

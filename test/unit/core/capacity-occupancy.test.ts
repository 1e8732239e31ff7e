import { describe, expect, it } from 'vitest';
import { legalCapacity } from '../../../src/core/capacity.js';
import { estimateOccupancy } from '../../../src/core/occupancy.js';
import { signals } from '../../helpers/core-fixtures.js';

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

describe('estimateOccupancy', () => {
  it('estimates nobody when no signal is present', () => {
    expect(estimateOccupancy(signals())).toEqual({ people: 0, basis: 'none', fromCredentials: 0, fromFaces: 0 });
  });

  it('takes the larger of active credentials and resident faces instead of adding them', () => {
    const s = signals({ credentials: { active: 3, distinct: 5 }, faces: { knownResidents: 1, unknownResidents: 1 } });
    expect(estimateOccupancy(s)).toEqual({ people: 3, basis: 'credentials', fromCredentials: 3, fromFaces: 2 });
  });

  it('counts registered and unregistered resident faces together', () => {
    const s = signals({ credentials: { active: 1 }, faces: { knownResidents: 2, unknownResidents: 3 } });
    expect(estimateOccupancy(s)).toEqual({ people: 5, basis: 'faces', fromCredentials: 1, fromFaces: 5 });
  });

  it('prefers credentials as the basis when both signals agree', () => {
    const s = signals({ credentials: { active: 2 }, faces: { knownResidents: 2 } });
    expect(estimateOccupancy(s).basis).toBe('credentials');
  });

  it('ignores credentials used once and faces linked on too few days', () => {
    const s = signals({
      credentials: { distinct: 6, active: 0 },
      faces: { knownLinked: 4, unknownLinked: 4 },
      openings: { identified: 40, anonymous: 9 },
    });
    expect(estimateOccupancy(s).people).toBe(0);
  });
});

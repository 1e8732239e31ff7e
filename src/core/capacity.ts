import type { Unit } from './estate.js';

/** Shanghai rule: at most 2 people per room designed for living, and at least 5 m² of living area per person. */
export const PEOPLE_PER_ROOM = 2;
export const MIN_AREA_PER_PERSON_M2 = 5;

export function legalCapacity(unit: Pick<Unit, 'rooms' | 'areaM2'>): number {
  return Math.min(PEOPLE_PER_ROOM * unit.rooms, Math.floor(unit.areaM2 / MIN_AREA_PER_PERSON_M2));
}

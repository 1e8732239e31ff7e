import type { UnitSignals } from './signals.js';

/** Which signal carried the estimate: they are lower bounds of the same people, so the larger one wins. */
export type EstimateBasis = 'credentials' | 'faces' | 'none';

export type OccupancyEstimate = {
  people: number;
  basis: EstimateBasis;
  fromCredentials: number;
  fromFaces: number;
};

/**
 * People living in a unit. Each active credential is one person who comes home on several days; each face
 * linked on several days is one person. A person usually shows up in both, so the signals are not added:
 * each is a lower bound and the estimate is the larger of the two.
 */
export function estimateOccupancy(signals: UnitSignals): OccupancyEstimate {
  const fromCredentials = signals.credentials.active;
  const fromFaces = signals.faces.knownResidents + signals.faces.unknownResidents;
  const people = Math.max(fromCredentials, fromFaces);
  const basis: EstimateBasis = people === 0 ? 'none' : fromCredentials >= fromFaces ? 'credentials' : 'faces';
  return { people, basis, fromCredentials, fromFaces };
}

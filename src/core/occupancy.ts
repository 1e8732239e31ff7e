import type { Detection } from './detection.js';
import { type Estate, floorKey, type Unit } from './estate.js';
import type { ProfileView } from './estate-profile.js';
import type { UnitSignals } from './signals.js';

/** Which signal carried the estimate. */
export type EstimateBasis = 'credentials' | 'faces' | 'traffic' | 'none';
export type CountingSignal = 'active-credentials' | 'resident-faces' | 'door-traffic';

/** One signal's own count of the people living in the unit, and how far it lifted the estimate above the others. */
export type SignalCount = { signal: CountingSignal; people: number; counts: boolean; lift: number };

/** One reason for (or against) trusting the estimate, with its share of the confidence. */
export type ConfidenceFactor = { factor: string; weight: number; text: string };

/** Door traffic read as people: openings a day over the estate's openings per person a day. */
export type TrafficReading = {
  people: number;
  openingsPerDay: number;
  openingsPerPerson: number;
  /** Percentile of the unit's openings a day among the estate's units; undefined while the estate is too small. */
  percentile: number | undefined;
  /** Why the identified signals may not see everyone (password/key doors, one credential for many), if they may not. */
  blindSpot: string | undefined;
  /** Whether traffic counts people here: only where the locks cannot name them and the traffic is exceptional. */
  counts: boolean;
  /** false for the estimate of named people only, where traffic may corroborate but never counts. */
  considered: boolean;
};

export type OccupancyEstimate = {
  people: number;
  basis: EstimateBasis;
  fromCredentials: number;
  fromFaces: number;
  traffic: TrafficReading | undefined;
  counts: SignalCount[];
  /** 0–1: how much independent evidence agrees. A grade for ordering and gating, not a probability. */
  confidence: number;
  factors: ConfidenceFactor[];
};

export type OccupancyContext = {
  detection: Detection;
  profile?: ProfileView | undefined;
  /** The unit's floor has a stairwell counter and is above the ground floor (whose counter watches the lobby). */
  stairwellCounted: boolean;
  /** false: count only the people credentials and faces name; door traffic still corroborates. Default true. */
  withTraffic?: boolean;
};

/** The context of one unit: its floor's stairwell counts only above the ground floor, whose counter watches the lobby. */
export function occupancyContextOf(
  estate: Estate,
  unit: Unit,
  detection: Detection,
  profile?: ProfileView,
): OccupancyContext {
  const stairwellCounted = unit.floor > 1 && estate.stairwellFloors.has(floorKey(unit.buildingId, unit.floor));
  return { detection, profile, stairwellCounted };
}

const BASE_CONFIDENCE = { agree: 0.9, single: 0.7, traffic: 0.4 } as const;
const CORROBORATION_WEIGHT = 0.1;
const MAX_CONFIDENCE = 0.95;
/** Below this many openings a day a share or a ratio says nothing. */
const MIN_OPENINGS_PER_DAY = 1;

/**
 * People living in a unit. Each active credential is one person who comes home on several days; each face linked
 * on several days is one person. A person usually shows up in both, so these are not added: each is a lower bound
 * and the estimate is the larger. Door traffic counts people only where the lock cannot name them (password and
 * key doors, one card shared by many) and the traffic is exceptional for the estate: a busy family is not a crowd.
 */
export function estimateOccupancy(signals: UnitSignals, ctx: OccupancyContext): OccupancyEstimate {
  const fromCredentials = signals.credentials.active;
  const fromFaces = signals.faces.knownResidents + signals.faces.unknownResidents;
  const traffic = readTraffic(signals, ctx);
  const counts: SignalCount[] = [
    { signal: 'active-credentials', people: fromCredentials, counts: true, lift: 0 },
    { signal: 'resident-faces', people: fromFaces, counts: true, lift: 0 },
  ];
  if (traffic) counts.push({ signal: 'door-traffic', people: traffic.people, counts: traffic.counts, lift: 0 });
  const counting = counts.filter((c) => c.counts);
  const people = Math.max(0, ...counting.map((c) => c.people));
  const top = counting.find((c) => c.people === people && people > 0);
  if (top) top.lift = people - Math.max(0, ...counting.filter((c) => c !== top).map((c) => c.people));
  const basis: EstimateBasis = !top
    ? 'none'
    : top.signal === 'active-credentials'
      ? 'credentials'
      : top.signal === 'resident-faces'
        ? 'faces'
        : 'traffic';
  const factors = confidenceFactors(signals, ctx, { basis, fromCredentials, fromFaces, traffic });
  const confidence = Math.min(
    MAX_CONFIDENCE,
    factors.reduce((sum, f) => sum + f.weight, 0),
  );
  return { people, basis, fromCredentials, fromFaces, traffic, counts, confidence: round2(confidence), factors };
}

function readTraffic(
  signals: UnitSignals,
  { detection, profile, withTraffic }: OccupancyContext,
): TrafficReading | undefined {
  const { recent } = signals;
  const openings = recent.identified + recent.anonymous;
  const openingsPerDay = openings / recent.days;
  const openingsPerPerson = detection.openingsPerPersonDay ?? profile?.openingsPerPerson();
  if (!openingsPerPerson || openingsPerDay < MIN_OPENINGS_PER_DAY) return undefined;
  const percentile = profile?.percentile('recentOpeningsPerDay', openingsPerDay);
  const blindSpot = lockBlindSpot(signals, detection, openingsPerPerson);
  const exceptional = percentile !== undefined && percentile >= detection.trafficPercentile;
  const counts = withTraffic !== false && blindSpot !== undefined && exceptional;
  const people = Math.floor(openingsPerDay / openingsPerPerson);
  const considered = withTraffic !== false;
  return {
    people,
    openingsPerDay: round2(openingsPerDay),
    openingsPerPerson,
    percentile,
    blindSpot,
    counts,
    considered,
  };
}

/** Why the lock's credentials may not see everyone who lives here; undefined when they name whoever opens. */
function lockBlindSpot(signals: UnitSignals, detection: Detection, openingsPerPerson: number): string | undefined {
  const { recent } = signals;
  const openings = recent.identified + recent.anonymous;
  if (recent.anonymous / openings >= detection.anonymousShare) {
    return `${Math.round((recent.anonymous / openings) * 100)}% of the openings were by password or key, which name nobody`;
  }
  // with no credential in use now, the identified openings were made by people whose credentials are gone
  // (moved out, rectified): that is not one card shared by many
  const { active } = signals.credentials;
  const perCredential = active ? recent.identified / recent.days / active : 0;
  if (active > 0 && perCredential >= detection.sharedCredentialFactor * openingsPerPerson) {
    return `each fingerprint/card in use opened the door ${round1(perCredential)} times a day, ${detection.sharedCredentialFactor} or more times what one person does (${round1(openingsPerPerson)}): shared by several people`;
  }
  return undefined;
}

function confidenceFactors(
  signals: UnitSignals,
  ctx: OccupancyContext,
  e: Pick<OccupancyEstimate, 'basis' | 'fromCredentials' | 'fromFaces' | 'traffic'>,
): ConfidenceFactor[] {
  if (e.basis === 'none') return [];
  const factors: ConfidenceFactor[] = [baseFactor(e)];
  const { detection, profile } = ctx;
  const { openings, recent, floor } = signals;
  const total = openings.identified + openings.anonymous;
  const nightShare = total ? openings.night / total : 0;
  const nightPercentile = profile?.percentile('nightShare', nightShare);
  const enoughOpenings = total >= signals.window.days * MIN_OPENINGS_PER_DAY;
  if (enoughOpenings && nightPercentile !== undefined && nightPercentile >= detection.nightPercentile) {
    factors.push({
      factor: 'night-activity',
      weight: CORROBORATION_WEIGHT,
      text: `${Math.round(nightShare * 100)}% of the openings at night, percentile ${nightPercentile} of the estate (irregular hours of many unrelated people)`,
    });
  }
  if (ctx.stairwellCounted && floor.openings >= recent.days * MIN_OPENINGS_PER_DAY) {
    const ratio = floor.stairsIn / floor.openings;
    if (ratio >= detection.stairwellRatio) {
      factors.push({
        factor: 'stairwell',
        weight: CORROBORATION_WEIGHT,
        text: `the floor's stairwell counted ${floor.stairsIn} people coming in for ${floor.openings} door openings (${round1(ratio)} per opening): shared credentials or people following each other in`,
      });
    }
  }
  if (e.basis !== 'traffic' && e.traffic && e.traffic.people >= Math.max(e.fromCredentials, e.fromFaces)) {
    factors.push({
      factor: 'door-traffic',
      weight: CORROBORATION_WEIGHT,
      text: `door traffic (${e.traffic.openingsPerDay} openings a day) is what ${e.traffic.people} people make`,
    });
  }
  return factors;
}

function baseFactor(e: Pick<OccupancyEstimate, 'basis' | 'fromCredentials' | 'fromFaces'>): ConfidenceFactor {
  if (e.basis === 'traffic') {
    return {
      factor: 'traffic-only',
      weight: BASE_CONFIDENCE.traffic,
      text: 'counted from door traffic alone: the lock names too few of the people who open it',
    };
  }
  if (e.fromCredentials > 0 && e.fromFaces > 0 && Math.abs(e.fromCredentials - e.fromFaces) <= 1) {
    return {
      factor: 'credentials-and-faces-agree',
      weight: BASE_CONFIDENCE.agree,
      text: `fingerprints/cards (${e.fromCredentials}) and faces (${e.fromFaces}) count the same people, give or take one`,
    };
  }
  return {
    factor: e.basis === 'credentials' ? 'credentials-only' : 'faces-only',
    weight: BASE_CONFIDENCE.single,
    text: `counted from identified ${e.basis === 'credentials' ? 'fingerprints/cards' : 'faces'} (${Math.max(e.fromCredentials, e.fromFaces)}); the other signal sees ${Math.min(e.fromCredentials, e.fromFaces)}`,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

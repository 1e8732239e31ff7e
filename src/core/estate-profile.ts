import type { UnitSignals } from './signals.js';

/** Per-unit figures that only mean something against the rest of the estate. */
export type ProfileMetrics = { openingsPerDay: number; nightShare: number; recentOpeningsPerDay: number };
export type ProfileMetric = keyof ProfileMetrics;

/** Below this many units a percentile or a median says little; the evidence then gives the plain figure. */
const MIN_UNITS = 20;
/** A unit whose openings are at most this share anonymous names nearly everyone who opens: its rate is a sample. */
const MAX_ANONYMOUS_SHARE_FOR_RATE = 0.2;

export function unitMetrics(s: UnitSignals): ProfileMetrics {
  const openings = s.openings.identified + s.openings.anonymous;
  return {
    openingsPerDay: openings / s.window.days,
    nightShare: openings ? s.openings.night / openings : 0,
    recentOpeningsPerDay: (s.recent.identified + s.recent.anonymous) / s.recent.days,
  };
}

/**
 * Door openings a day per person, for units whose lock names the people who open it; undefined for the others.
 * The people are the identified ones (credentials or faces, whichever sees more).
 */
export function openingsPerPersonOf(s: UnitSignals): number | undefined {
  const people = Math.max(s.credentials.active, s.faces.knownResidents + s.faces.unknownResidents);
  const openings = s.recent.identified + s.recent.anonymous;
  if (people === 0 || openings === 0 || s.recent.anonymous / openings > MAX_ANONYMOUS_SHARE_FOR_RATE) return undefined;
  return openings / s.recent.days / people;
}

/** The estate's own distribution, as one rule sees it. */
export type ProfileView = {
  percentile(metric: ProfileMetric, value: number): number | undefined;
  /** The estate's median door openings a day per identified person; undefined while too few units show it. */
  openingsPerPerson(): number | undefined;
};

type UnitEntry = ProfileMetrics & { perPerson: number | undefined };
type Sorted = { values: Record<ProfileMetric, Float64Array>; perPerson: number | undefined; changes: number };

/**
 * The estate's distribution of door openings per day and of night-time share, and its households' openings per
 * person, from the newest signals of each unit: "busy" is judged against the estate's own households, not against
 * a fixed number. Kept in memory and re-sorted lazily, so reading a percentile costs a binary search.
 */
export class EstateProfile {
  readonly #units = new Map<string, Map<string, UnitEntry>>();
  readonly #sorted = new Map<string, Sorted>();
  readonly #views = new Map<string, ProfileView>();

  observe(estateId: string, s: UnitSignals): void {
    const units = this.#units.get(estateId) ?? new Map<string, UnitEntry>();
    this.#units.set(estateId, units);
    units.set(s.unitId, { ...unitMetrics(s), perPerson: openingsPerPersonOf(s) });
    const sorted = this.#sorted.get(estateId);
    if (sorted) sorted.changes++;
  }

  /**
   * Percentile rank (0–100) of `value` among the estate's units: those below it, and half of those equal to it, so
   * a figure every unit shares ranks 50, not 100. Undefined for a small sample.
   */
  percentile(estateId: string, metric: ProfileMetric, value: number): number | undefined {
    const values = this.#current(estateId)?.values[metric];
    if (!values) return undefined;
    const below = firstIndex(values, value, true);
    const atOrBelow = firstIndex(values, value, false);
    return Math.round(((below + atOrBelow) / 2 / values.length) * 100);
  }

  openingsPerPerson(estateId: string): number | undefined {
    return this.#current(estateId)?.perPerson;
  }

  /** The estate's view, made once: it is asked for on every event, and closures made per event showed in the profile. */
  view(estateId: string): ProfileView {
    let view = this.#views.get(estateId);
    if (!view) {
      view = {
        percentile: (metric, value) => this.percentile(estateId, metric, value),
        openingsPerPerson: () => this.openingsPerPerson(estateId),
      };
      this.#views.set(estateId, view);
    }
    return view;
  }

  #current(estateId: string): Sorted | undefined {
    const units = this.#units.get(estateId);
    if (!units || units.size < MIN_UNITS) return undefined;
    let sorted = this.#sorted.get(estateId);
    // re-sorting on every change would cost O(n log n) per event; 5% drift does not move a percentile much
    if (!sorted || sorted.changes > Math.max(50, units.size * 0.05)) {
      // one pass with fixed property reads, sorted as typed arrays in native code: the callback-per-value build and
      // the comparator sorts of plain arrays showed in the gateway profile
      const openingsPerDay = new Float64Array(units.size);
      const nightShare = new Float64Array(units.size);
      const recentOpeningsPerDay = new Float64Array(units.size);
      const rates = new Float64Array(units.size);
      let i = 0;
      let r = 0;
      for (const u of units.values()) {
        openingsPerDay[i] = u.openingsPerDay;
        nightShare[i] = u.nightShare;
        recentOpeningsPerDay[i++] = u.recentOpeningsPerDay;
        if (u.perPerson !== undefined) rates[r++] = u.perPerson;
      }
      const values = {
        openingsPerDay: openingsPerDay.sort(),
        nightShare: nightShare.sort(),
        recentOpeningsPerDay: recentOpeningsPerDay.sort(),
      };
      const known = rates.subarray(0, r).sort();
      const perPerson = known.length >= MIN_UNITS ? known[known.length >> 1] : undefined;
      sorted = { values, perPerson, changes: 0 };
      this.#sorted.set(estateId, sorted);
    }
    return sorted;
  }
}

/** The first index of a sorted array whose value is at least (`orEqual`) or above `value`; the length if none is. */
function firstIndex(sorted: Float64Array, value: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (orEqual ? v >= value : v > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

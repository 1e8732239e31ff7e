import type { UnitSignals } from './signals.js';

/** Per-unit figures that only mean something against the rest of the estate. */
export type ProfileMetrics = { openingsPerDay: number; nightShare: number };
export type ProfileMetric = keyof ProfileMetrics;

/** Below this many units a percentile says little; the evidence then gives the plain figure. */
const MIN_UNITS = 20;

export function unitMetrics(s: UnitSignals): ProfileMetrics {
  const openings = s.openings.identified + s.openings.anonymous;
  return { openingsPerDay: openings / s.window.days, nightShare: openings ? s.openings.night / openings : 0 };
}

/** The estate's own distribution, as one rule sees it. */
export type ProfileView = { percentile(metric: ProfileMetric, value: number): number | undefined };

/**
 * The estate's distribution of door openings per day and of night-time share, from the newest signals of each
 * unit: "busy" is judged against the estate's own households, not against a fixed number. Kept in memory and
 * re-sorted lazily, so reading a percentile costs a binary search.
 */
export class EstateProfile {
  readonly #units = new Map<string, Map<string, ProfileMetrics>>();
  readonly #sorted = new Map<string, { values: Record<ProfileMetric, number[]>; changes: number }>();

  observe(estateId: string, s: UnitSignals): void {
    const units = this.#units.get(estateId) ?? new Map<string, ProfileMetrics>();
    this.#units.set(estateId, units);
    units.set(s.unitId, unitMetrics(s));
    const sorted = this.#sorted.get(estateId);
    if (sorted) sorted.changes++;
  }

  /** Share (0–100) of the estate's units whose figure is at or below `value`; undefined for a small sample. */
  percentile(estateId: string, metric: ProfileMetric, value: number): number | undefined {
    const units = this.#units.get(estateId);
    if (!units || units.size < MIN_UNITS) return undefined;
    let sorted = this.#sorted.get(estateId);
    // re-sorting on every change would cost O(n log n) per event; 5% drift does not move a percentile much
    if (!sorted || sorted.changes > Math.max(50, units.size * 0.05)) {
      const all = [...units.values()];
      sorted = {
        values: {
          openingsPerDay: all.map((m) => m.openingsPerDay).sort((a, b) => a - b),
          nightShare: all.map((m) => m.nightShare).sort((a, b) => a - b),
        },
        changes: 0,
      };
      this.#sorted.set(estateId, sorted);
    }
    const values = sorted.values[metric];
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[mid] as number) <= value) lo = mid + 1;
      else hi = mid;
    }
    return Math.round((lo / values.length) * 100);
  }

  view(estateId: string): ProfileView {
    return { percentile: (metric, value) => this.percentile(estateId, metric, value) };
  }
}

/**
 * Scores a gateway run against the simulator's ground truth. Pure: alert changes and truth in, figures out.
 *
 * A unit is a positive when it housed more people than its capacity for at least `minPresenceDays` within the span
 * (a group rental that moved in on the last day cannot be asked of any detector). A positive is found when a
 * group-rental alert was open at some moment of one of its periods; a unit that never had such a period and still
 * got an alert is a false alarm. Time to detect is measured on event time from a period's start to the first
 * moment an alert was open in it.
 */

import { OCCUPANCY_KINDS } from '../../src/core/alerts.js';

const DAY_MS = 86_400_000;

/** Device alerts (alarms, offline devices, floods) say nothing of who lives in a unit, so they are never scored. */
const isOccupancy = (kind: string): boolean => (OCCUPANCY_KINDS as ReadonlySet<string>).has(kind);

export type TruthPeriod = { kind: 'group-rental' | 'relapse'; fromTs: string; toTs: string | null };
export type TruthUnitLike = {
  unitId: string;
  household: string;
  groupRental: boolean;
  occupants: number;
  registered: number;
  capacity: number;
  fromTs?: string;
  confounders?: string[];
  periods?: TruthPeriod[];
};
export type TruthLike = { seed: number | string; start: string; end: string; units: TruthUnitLike[] };

/** One alert change from the feed, reduced to what scoring needs. */
export type AlertChangeLike = {
  change: 'raised' | 'updated' | 'cleared';
  kind: string;
  unitId?: string;
  /** Event time of the first evidence (raised), or of the clearing (cleared), epoch ms. */
  atMs: number;
  /** The alert's estimate when it changed, to explain a false alarm. */
  estimate?: { people: number; basis: string };
};

/** A unit that got an alert it should not have, with what the truth and the alerts said about it. */
export type Misfire = {
  unitId: string;
  household: string;
  confounders: string[];
  occupants: number;
  registered: number;
  capacity: number;
  alerts: { kind: string; people?: number; basis?: string }[];
};

type Interval = { from: number; to: number };

export type SeedScore = {
  seed: number | string;
  units: number;
  positives: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  missed: string[];
  falseAlarms: string[];
  precision: number;
  recall: number;
  f1: number;
  /** Days from move-in to the first open alert, per detected period. */
  timeToDetectDays: number[];
  medianTimeToDetectDays: number | null;
  falsePositivesByConfounder: Record<string, number>;
  /** Registered households at or under capacity (and at or under their registration) that got any occupancy alert. */
  alertsOnLawfulFamilies: string[];
  /** The false alarms and the alerts on lawful families, explained. */
  misfires: Misfire[];
  relapses: { unitId: string; detected: boolean; daysToDetect: number | null }[];
};

function periodsOf(u: TruthUnitLike, endMs: number): (Interval & { kind: TruthPeriod['kind'] })[] {
  const periods =
    u.periods ?? (u.groupRental && u.fromTs ? [{ kind: 'group-rental' as const, fromTs: u.fromTs, toTs: null }] : []);
  return periods.map((p) => ({ kind: p.kind, from: Date.parse(p.fromTs), to: p.toTs ? Date.parse(p.toTs) : endMs }));
}

/** The intervals during which each unit had an open alert of `kind`, from the raised/cleared changes. */
export function openIntervals(
  changes: readonly AlertChangeLike[],
  kind: string,
  endMs: number,
): Map<string, Interval[]> {
  const open = new Map<string, number>();
  const out = new Map<string, Interval[]>();
  const push = (unit: string, iv: Interval) => out.set(unit, [...(out.get(unit) ?? []), iv]);
  for (const c of changes) {
    if (c.kind !== kind || !c.unitId) continue;
    if (c.change === 'raised') open.set(c.unitId, c.atMs);
    else if (c.change === 'cleared') {
      const from = open.get(c.unitId);
      if (from !== undefined) push(c.unitId, { from, to: c.atMs });
      open.delete(c.unitId);
    }
  }
  for (const [unit, from] of open) push(unit, { from, to: endMs });
  return out;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export function scoreSeed(
  truth: TruthLike,
  changes: readonly AlertChangeLike[],
  opts: { minPresenceDays?: number } = {},
): SeedScore {
  const minPresenceMs = (opts.minPresenceDays ?? 4) * DAY_MS;
  const endMs = Date.parse(truth.end);
  const alerted = openIntervals(changes, 'group-rental-suspected', endMs);
  const occupancyAlerted = new Set(
    changes.filter((c) => c.change === 'raised' && isOccupancy(c.kind) && c.unitId).map((c) => c.unitId),
  );

  let positives = 0;
  let truePositives = 0;
  const missed: string[] = [];
  const falseAlarms: string[] = [];
  const ttd: number[] = [];
  const byConfounder: Record<string, number> = {};
  const lawful: string[] = [];
  const relapses: SeedScore['relapses'] = [];
  const misfires: Misfire[] = [];
  const misfire = (u: TruthUnitLike) =>
    misfires.push({
      unitId: u.unitId,
      household: u.household,
      confounders: u.confounders ?? [],
      occupants: u.occupants,
      registered: u.registered,
      capacity: u.capacity,
      alerts: changes
        .filter((c) => c.change === 'raised' && c.unitId === u.unitId && isOccupancy(c.kind))
        .map((c) => ({ kind: c.kind, people: c.estimate?.people, basis: c.estimate?.basis })),
    });

  for (const u of truth.units) {
    const periods = periodsOf(u, endMs);
    const intervals = alerted.get(u.unitId) ?? [];
    const detectable = periods.filter((p) => p.to - p.from >= minPresenceMs);
    const firstOpenIn = (p: Interval) => {
      const hits = intervals.filter((iv) => iv.from <= p.to && iv.to >= p.from).map((iv) => Math.max(iv.from, p.from));
      return hits.length ? Math.min(...hits) : undefined;
    };
    if (periods.length === 0) {
      if (intervals.length) {
        falseAlarms.push(u.unitId);
        for (const tag of new Set([u.household, ...(u.confounders ?? [])]))
          byConfounder[tag] = (byConfounder[tag] ?? 0) + 1;
      }
      const lawfulFamily = u.occupants <= u.capacity && u.occupants <= u.registered;
      if (lawfulFamily && occupancyAlerted.has(u.unitId)) lawful.push(u.unitId);
      if (intervals.length || (lawfulFamily && occupancyAlerted.has(u.unitId))) misfire(u);
      continue;
    }
    if (detectable.length === 0) continue; // over capacity too briefly to ask for a detection
    positives++;
    const found = detectable.map(firstOpenIn);
    if (found.some((f) => f !== undefined)) truePositives++;
    else missed.push(u.unitId);
    detectable.forEach((p, i) => {
      const at = found[i];
      if (at !== undefined) ttd.push((at - p.from) / DAY_MS);
      if (p.kind === 'relapse') {
        // a relapse counts as detected only by an alert raised after the return, not one left open since before
        const raisedAfter = intervals.filter((iv) => iv.from >= p.from && iv.from <= p.to).map((iv) => iv.from);
        const first = raisedAfter.length ? Math.min(...raisedAfter) : undefined;
        relapses.push({
          unitId: u.unitId,
          detected: first !== undefined,
          daysToDetect: first === undefined ? null : (first - p.from) / DAY_MS,
        });
      }
    });
  }

  const flagged = truePositives + falseAlarms.length;
  const precision = flagged ? truePositives / flagged : 1;
  const recall = positives ? truePositives / positives : 1;
  return {
    seed: truth.seed,
    units: truth.units.length,
    positives,
    flagged,
    truePositives,
    falsePositives: falseAlarms.length,
    missed,
    falseAlarms,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    timeToDetectDays: ttd,
    medianTimeToDetectDays: median(ttd),
    falsePositivesByConfounder: byConfounder,
    alertsOnLawfulFamilies: lawful,
    misfires,
    relapses,
  };
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFOUNDER_KINDS } from '../../../simulators/lib/confounders.js';
import {
  loadNamedScenario,
  NamedScenarioSchema,
  namedScenarioNames,
  readNamedScenario,
} from '../../../simulators/lib/named-scenarios.js';
import { livesAt } from '../../../simulators/lib/residence.js';
import type { Scenario } from '../../../simulators/lib/scenario.js';
import type { GroundTruth } from '../../../simulators/lib/truth.js';

const START = '2026-11-02T09:30:00+08:00';
const DAY_MS = 86_400_000;
const SEEDS = [1, 2, 3, 4, 5];

/** The population and its truth only: a scenario plays no day until asked. */
const defaults = new Map(SEEDS.map((seed) => [seed, loadNamedScenario('default', { seed, start: START })]));
const runOf = (seed: number) => defaults.get(seed) as Scenario;

function eventsHash(run: Scenario, days: number): string {
  const hash = createHash('sha256');
  for (const day of run.days()) {
    if (day.index >= days) break;
    for (const e of day.events) hash.update(JSON.stringify(e));
    for (const s of day.statuses) hash.update(JSON.stringify(s));
  }
  return hash.digest('hex');
}

describe('named scenarios', () => {
  it('validates every scenario file and names it after its file', () => {
    expect(namedScenarioNames()).toEqual(['default', 'no-face-gates', 'sample', 'small', 'small-no-face-gates']);
    for (const name of namedScenarioNames()) expect(readNamedScenario(name).name).toBe(name);
    expect(() => loadNamedScenario('nope')).toThrow(/no scenario "nope"/);
    const bad = NamedScenarioSchema.safeParse({ ...readNamedScenario('small'), confounders: { ghosts: { share: 1 } } });
    expect(bad.success).toBe(false);
  });

  it('plays the small fixture estate for 7 days with exactly 2 group rentals, one sharing a card', () => {
    const small = loadNamedScenario('small', { start: START });
    expect(small.name).toBe('small');
    expect(small.truth.scenario).toBe('small');
    expect(small.estate.units.size).toBe(45);
    expect(small.calendar.days).toBe(7);
    const rentals = small.truth.units.filter((u) => u.groupRental);
    expect(rentals.map((u) => u.variant).sort()).toEqual(['classic', 'shared-credential']);
    for (const seed of [7, 1, 2, 3, 4, 5, 6, 8, 9, 10]) {
      const truth = seed === 7 ? small.truth : loadNamedScenario('small', { seed, start: START }).truth;
      expect(truth.groupRentals).toBe(2);
      for (const tag of ['visiting-relatives', 'helper', 'short-term-let', 'lock-offline', 'courier-heavy'] as const) {
        expect(truth.confounders[tag], `${tag}, seed ${seed}`).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('plays the sample estate for 14 days as before: 3 % classic group rentals, no added confounders', () => {
    const sample = loadNamedScenario('sample', { start: START });
    expect(sample.calendar.days).toBe(14);
    expect(sample.truth.groupRentals).toBe(Math.round(0.03 * sample.estate.units.size));
    expect(sample.truth.units.every((u) => !u.groupRental || u.variant === 'classic')).toBe(true);
    for (const tag of ['visiting-relatives', 'short-term-let', 'lock-offline', 'courier-heavy'] as const) {
      expect(sample.truth.confounders[tag]).toBe(0);
    }
  });

  it('plays at least 1,500 units for 21 days with 30 group rentals of every kind, for every seed', () => {
    for (const seed of SEEDS) {
      const { truth } = runOf(seed);
      expect(truth.units.length).toBeGreaterThanOrEqual(1500);
      expect(truth.days).toBe(21);
      expect(truth.groupRentals).toBe(30);
      const variants = truth.units.filter((u) => u.groupRental).map((u) => u.variant);
      expect(variants.filter((v) => v === 'shared-credential')).toHaveLength(4);
      expect(variants.filter((v) => v === 'password-only')).toHaveLength(4);
      expect(variants.filter((v) => v === 'staggered')).toHaveLength(4);
      expect(variants.filter((v) => v === 'relapse').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has every confounder at least twice in the default scenario, for every seed', () => {
    for (const seed of SEEDS) {
      const { truth } = runOf(seed);
      for (const tag of CONFOUNDER_KINDS) {
        expect(truth.confounders[tag], `${tag}, seed ${seed}`).toBeGreaterThanOrEqual(2);
        expect(truth.confounders[tag]).toBe(truth.units.filter((u) => u.confounders.includes(tag)).length);
      }
    }
  });

  it('replays the same truth and events for the same seed, and others for another', () => {
    const again = loadNamedScenario('default', { seed: 1, start: START });
    expect(again.truth).toEqual(runOf(1).truth);
    expect(eventsHash(again, 2)).toBe(eventsHash(runOf(1), 2));
    expect(runOf(2).truth.units.map((u) => u.household)).not.toEqual(runOf(1).truth.units.map((u) => u.household));
    expect(eventsHash(runOf(2), 1)).not.toBe(eventsHash(again, 1));
  });
});

describe('ground truth v2', () => {
  const all: GroundTruth[] = SEEDS.map((seed) => runOf(seed).truth);

  it('marks a group rental exactly when the unit has an over-capacity period, and dates it from the first', () => {
    for (const truth of all) {
      expect(truth.version).toBe(2);
      for (const u of truth.units) {
        expect(u.groupRental).toBe(u.periods.length > 0);
        if (!u.groupRental) continue;
        expect(u.household).toBe('group-rental');
        expect(u.fromTs).toBe(u.periods[0]?.fromTs);
        expect(u.fromDay).toBe(Math.floor((Date.parse(u.fromTs ?? '') - Date.parse(truth.start)) / DAY_MS));
        expect(u.periods[0]?.kind).toBe('group-rental');
      }
    }
  });

  it('matches each period to the residents of the unit: over capacity inside, within it just before and after', () => {
    for (const seed of SEEDS.slice(0, 2)) {
      const run = runOf(seed);
      const startMs = Date.parse(run.truth.start);
      const endMs = Date.parse(run.truth.end);
      for (const h of run.households) {
        const unit = run.truth.units.find((u) => u.unitId === h.home.unitId);
        const residents = (ms: number) => h.members.filter((p) => livesAt(p, ms)).length;
        for (const p of unit?.periods ?? []) {
          const from = Date.parse(p.fromTs);
          const to = p.toTs === null ? endMs : Date.parse(p.toTs);
          expect(residents(from)).toBeGreaterThan(h.capacity);
          expect(residents(to - 1000)).toBeGreaterThan(h.capacity);
          if (from > startMs) expect(residents(from - 1000)).toBeLessThanOrEqual(h.capacity);
          if (p.toTs !== null) expect(residents(to)).toBeLessThanOrEqual(h.capacity);
        }
      }
    }
  });

  it('lets a rectified rental relapse 5-10 days after its first period ended', () => {
    for (const truth of all) {
      const relapses = truth.units.filter((u) => u.confounders.includes('relapse'));
      expect(relapses.length).toBeGreaterThanOrEqual(2);
      for (const u of relapses) {
        expect(u.periods.map((p) => p.kind)).toEqual(['group-rental', 'relapse']);
        const [first, second] = u.periods;
        expect(first?.fromTs).toBe(truth.start);
        const gap = Date.parse(second?.fromTs ?? '') - Date.parse(first?.toTs ?? '');
        expect(gap).toBeGreaterThanOrEqual(5 * DAY_MS);
        expect(gap).toBeLessThanOrEqual(10 * DAY_MS);
      }
    }
  });

  it('moves staggered tenants in on different days, the period starting inside the span', () => {
    for (const seed of SEEDS) {
      const run = runOf(seed);
      for (const h of run.households.filter((x) => x.groupRental?.variant === 'staggered')) {
        const days = new Set(
          h.members.flatMap((p) => (p.moveInMs ? [run.calendar.format(p.moveInMs).slice(0, 10)] : [])),
        );
        expect(days.size).toBeGreaterThanOrEqual(3);
        expect(h.groupRental?.fromMs).toBeGreaterThan(run.calendar.startMs);
      }
    }
  });

  it('keeps relatives 2-10 days and records offline locks inside the span', () => {
    for (const truth of all) {
      const [start, end] = [Date.parse(truth.start), Date.parse(truth.end)];
      for (const u of truth.units) {
        for (const stay of u.relatives ?? []) {
          const length = Date.parse(stay.toTs) - Date.parse(stay.fromTs);
          expect(length).toBeGreaterThanOrEqual(2 * DAY_MS);
          expect(length).toBeLessThanOrEqual(10 * DAY_MS);
          expect(stay.people).toBeGreaterThanOrEqual(1);
        }
        expect(u.confounders.includes('visiting-relatives')).toBe(u.relatives !== undefined);
        for (const o of u.lockOffline ?? []) {
          expect(Date.parse(o.fromTs)).toBeGreaterThan(start);
          expect(Date.parse(o.toTs)).toBeLessThan(end);
          expect(Date.parse(o.toTs) - Date.parse(o.fromTs)).toBeGreaterThanOrEqual(2 * DAY_MS - 1000);
        }
      }
    }
  });

  it('never lets a short-term let hold more guests than its capacity, each booking two to four nights', () => {
    for (const seed of SEEDS) {
      const run = runOf(seed);
      for (const h of run.households.filter((x) => x.kind === 'short-term-let')) {
        const instants = h.members.flatMap((p) => [p.moveInMs ?? 0, p.moveOutMs ?? 0]);
        for (const ms of instants)
          expect(h.members.filter((p) => livesAt(p, ms)).length).toBeLessThanOrEqual(h.capacity);
        // Check-in and check-out two to four local dates apart.
        const date = (ms: number | undefined) => Date.parse(run.calendar.format(ms ?? 0).slice(0, 10));
        for (const p of h.members) {
          const nights = (date(p.moveOutMs) - date(p.moveInMs)) / DAY_MS;
          expect(nights).toBeGreaterThanOrEqual(2);
          expect(nights).toBeLessThanOrEqual(4);
        }
      }
    }
  });
});

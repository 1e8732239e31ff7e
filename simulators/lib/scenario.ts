import { type Estate, parseEstate } from '../../src/core/estate.js';
import { ID_PATTERN } from '../../src/core/events.js';
import { alarmDevices, simulateAlarms } from './alarms.js';
import { type Calendar, createCalendar, DAY_MS } from './calendar.js';
import type { ConfounderMix } from './confounders.js';
import { DaySink } from './day-sink.js';
import { createCarriers, simulateDeliveries } from './deliveries.js';
import { simulateHousehold } from './household-day.js';
import { LockOutages } from './lock-outages.js';
import type { DraftEvent, GroupRentalVariant, Household, SimEvent, SimStatus, StairStep } from './model.js';
import { DeviceNumbering } from './numbering.js';
import { createPopulation, estateLayout } from './population.js';
import { Random } from './random.js';
import { createStaff, simulateStaff } from './staff.js';
import { passageEvents, stairwellSensors } from './stairwell.js';
import { buildTruth, type GroundTruth } from './truth.js';

/**
 * A scenario plays an estate at event time: a population fixed up front (and its ground truth), then the
 * events one local day at a time, so three weeks of fifteen hundred flats never sit in memory at once.
 */

/** Group rentals other than the classic one (a credential per tenant, moving in together or already there). */
export type GroupRentalKinds = Partial<Record<Exclude<GroupRentalVariant, 'classic'>, number>>;
/** Positions of the variants among the group rentals; the relapses first, as they need a rental already running. */
const VARIANT_ORDER = ['relapse', 'shared-credential', 'password-only', 'staggered'] as const;

export type ScenarioOptions = {
  /** A parsed estate, or the registry document as read from its JSON file. */
  estate: Estate | unknown;
  seed?: number | string;
  days?: number;
  /** First instant of the span; default `now − days`, so the last events land at about the present. */
  start?: Date | number | string;
  /** Share of units let as group rentals (default 0.03; at least one whenever the share is above 0). */
  groupRentalShare?: number;
  /** Exact number of group rentals; overrides `groupRentalShare`. */
  groupRentals?: number;
  /** Plays the estate under another id (tests publish under a unique one so runs never mix). */
  estateId?: string;
  /** How many of the group rentals are of each non-classic kind (default none). */
  groupRentalKinds?: GroupRentalKinds;
  /**
   * Confounders laid over the population: staying relatives, helpers, short-term lets, offline locks, heavy
   * deliveries (default none: registry households, group rentals, evening visitors and couriers only).
   */
  confounders?: ConfounderMix;
  /** Name of the named scenario this run plays, recorded in the truth. */
  name?: string;
};

/** One local day: its events, and the retained status changes of devices going offline and back. */
export type ScenarioDay = { index: number; date: string; events: SimEvent[]; statuses: SimStatus[] };

export type Scenario = {
  /** The named scenario played, if any. */
  name?: string;
  estate: Estate;
  seed: number | string;
  calendar: Calendar;
  households: readonly Household[];
  truth: GroundTruth;
  /** Every device of the estate, for the retained status published at start. */
  deviceIds: readonly string[];
  /** Restartable: each call replays the span from its first day with fresh device counters. */
  days(): Generator<ScenarioDay>;
  events(): Generator<SimEvent>;
};

export const DEFAULT_GROUP_RENTAL_SHARE = 0.03;

function isEstate(value: unknown): value is Estate {
  return typeof value === 'object' && value !== null && (value as Estate).units instanceof Map;
}

function withEstateId(estate: Estate, id: string | undefined): Estate {
  if (id === undefined || id === estate.id) return estate;
  if (!ID_PATTERN.test(id)) throw new RangeError(`estateId must be 1-64 characters of A-Z a-z 0-9 _ -, got "${id}"`);
  const devices = new Map([...estate.devices].map(([key, d]) => [key, { ...d, estateId: id }]));
  return { ...estate, id, devices };
}

function startInstant(start: ScenarioOptions['start'], days: number): number {
  const ms = start === undefined ? Date.now() - days * DAY_MS : new Date(start).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`start is not a valid instant: ${String(start)}`);
  // Devices stamp whole seconds; a span that starts on one keeps the truth's `start` exact.
  return Math.floor(ms / 1000) * 1000;
}

export function generateScenario(options: ScenarioOptions): Scenario {
  const estate = withEstateId(
    isEstate(options.estate) ? options.estate : parseEstate(options.estate),
    options.estateId,
  );
  const seed = options.seed ?? 42;
  const days = options.days ?? 14;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  const calendar = createCalendar(estate.timezone, startInstant(options.start, days), days);
  const asked = options.groupRentalShare ?? DEFAULT_GROUP_RENTAL_SHARE;
  const groupRentals = options.groupRentals ?? (asked > 0 ? Math.max(1, Math.round(asked * estate.units.size)) : 0);
  // An exact count is recorded as the share it makes of this estate.
  const share =
    options.groupRentals === undefined
      ? asked
      : Math.round((groupRentals / Math.max(1, estate.units.size)) * 1e4) / 1e4;
  const variants = variantsByPosition(options.groupRentalKinds ?? {}, groupRentals);
  const root = new Random(`scenario:${seed}`);
  const households = createPopulation(estate, root.fork('population'), {
    calendar,
    groupRentals,
    variants,
    ...(options.confounders ? { mix: options.confounders } : {}),
  });
  const truth = buildTruth({
    seed,
    ...(options.name === undefined ? {} : { scenario: options.name }),
    calendar,
    estateId: estate.id,
    groupRentalShare: share,
    households,
  });
  const scenario: Scenario = {
    ...(options.name === undefined ? {} : { name: options.name }),
    estate,
    seed,
    calendar,
    households,
    truth,
    deviceIds: [...estate.devices.keys()],
    days: () => playDays(scenario, root.fork('days')),
    *events() {
      for (const day of scenario.days()) yield* day.events;
    },
  };
  return scenario;
}

function variantsByPosition(kinds: GroupRentalKinds, groupRentals: number): GroupRentalVariant[] {
  const variants = VARIANT_ORDER.flatMap((v) => Array.from({ length: kinds[v] ?? 0 }, () => v));
  if (variants.length > groupRentals) {
    throw new RangeError(
      `groupRentalKinds name ${variants.length} group rentals, more than the ${groupRentals} asked for`,
    );
  }
  return variants;
}

function* playDays(scenario: Scenario, rng: Random): Generator<ScenarioDay> {
  const { estate, calendar, households } = scenario;
  const { entrances, buildingGates } = estateLayout(estate);
  const world = { entrances };
  const sensors = stairwellSensors(estate);
  const alarms = alarmDevices(estate);
  const carriers = createCarriers(rng.fork('carriers'), entrances);
  const staff = createStaff(entrances);
  const numbering = new DeviceNumbering(estate.id, calendar.format, `${scenario.seed}|${calendar.startMs}`);
  const outages = new LockOutages(households);
  const awayUntil = new Map<string, number>();
  const slots = new Map<string, number>();
  // Events planned beyond their day (night shifts, alarm clears) wait here until their day is played.
  let pendingDrafts: DraftEvent[] = [];
  let pendingSteps: StairStep[] = [];

  for (let k = 0; k < calendar.calendarDays; k++) {
    const dayStartMs = calendar.dayStart(k);
    const dayEnd = dayStartMs + DAY_MS;
    const dayRng = rng.fork(k);
    const sink = new DaySink(dayRng.fork('sink'));
    const day = { dayStartMs, weekday: calendar.weekday(k) };
    for (const household of households) {
      simulateHousehold({ rng: dayRng.fork(household.home.unitId), sink, world, day, awayUntil, slots }, household);
    }
    simulateDeliveries({ rng: dayRng.fork('deliveries'), sink, world, day }, households, carriers);
    simulateStaff({ rng: dayRng.fork('staff'), sink, world, dayStartMs, dayIndex: k, estate, buildingGates }, staff);
    simulateAlarms(sink, dayRng.fork('alarms'), alarms, dayStartMs);

    const [drafts, laterDrafts] = splitAt([...pendingDrafts, ...sink.drafts], dayEnd);
    const [steps, laterSteps] = splitAt([...pendingSteps, ...sink.steps], dayEnd);
    pendingDrafts = laterDrafts;
    pendingSteps = laterSteps;
    const inSpan = (ms: number) => ms >= calendar.startMs && ms < calendar.endMs;
    // A period that ends after the span has not been reported yet; one that ends at its end has.
    const passages = passageEvents(
      steps.filter((s) => inSpan(s.tsMs)),
      dayStartMs,
      sensors,
    ).filter((p) => p.tsMs <= calendar.endMs);
    const sent = drafts.filter((d) => inSpan(d.tsMs) && !outages.silenced(d));
    const today = [...sent, ...passages].sort((a, b) => a.tsMs - b.tsMs);
    const statuses = outages.statuses(
      estate.id,
      calendar.format,
      Math.max(dayStartMs, calendar.startMs),
      Math.min(dayEnd, calendar.endMs),
    );
    yield { index: k, date: calendar.date(k), events: today.map((d) => numbering.stamp(d)), statuses };
  }
}

function splitAt<T extends { tsMs: number }>(items: T[], endMs: number): [T[], T[]] {
  const before: T[] = [];
  const after: T[] = [];
  for (const item of items) (item.tsMs < endMs ? before : after).push(item);
  return [before, after];
}

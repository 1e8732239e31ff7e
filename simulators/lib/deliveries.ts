import { DAY_MS, HOUR_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Household, Person } from './model.js';
import { dropOff, passEntrance, type World } from './movements.js';
import type { Random } from './random.js';
import { livesAt } from './residence.js';
import type { RoutineDay } from './routines.js';

/**
 * Takeaway riders and parcel couriers: unknown faces at the estate entrances and building doors many times
 * a day. They never open a lock: they knock or call, and the resident opens from inside.
 */

export type Carriers = { riders: Person[]; couriers: Person[] };

const RIDERS = 80;
const COURIERS = 12;
/** Riders who work this estate's area every day and account for most orders. */
const REGULAR_RIDERS = 25;
const TAKEAWAY_PER_PERSON_DAY = 0.18;
const PARCEL_PER_HOUSEHOLD_DAY = 0.25;
/** Parcels left in the lockers by the entrance never reach a building door. */
const PARCEL_TO_DOOR = 0.5;
const SECOND_MS = 1000;

export function createCarriers(rng: Random, entrances: readonly string[]): Carriers {
  const carrier = (key: string): Person => ({
    key,
    role: 'worker',
    gate: entrances.length > 0 ? rng.pick(entrances) : '',
    usesStairs: false,
  });
  return {
    riders: Array.from({ length: RIDERS }, (_, i) => carrier(`rider-${i + 1}`)),
    couriers: Array.from({ length: COURIERS }, (_, i) => carrier(`courier-${i + 1}`)),
  };
}

export type DeliveryContext = { rng: Random; sink: DaySink; world: World; day: RoutineDay };

/** Orders peak at lunch and dinner, with a late-night tail of snacks and milk tea. */
function orderHour(rng: Random): number {
  switch (
    rng.weighted([
      ['lunch', 35],
      ['dinner', 45],
      ['late', 10],
      ['other', 10],
    ] as const)
  ) {
    case 'lunch':
      return rng.normal(12, 0.65, 10.5, 14);
    case 'dinner':
      return rng.normal(18.5, 1, 16.5, 21);
    case 'late':
      return rng.normal(22.5, 1, 21, 25.5);
    case 'other':
      return rng.float(9, 23);
  }
}

/** People living in the unit at noon of this day: the ones who order. */
function residentsAtNoon(household: Household, day: RoutineDay): number {
  const noon = day.dayStartMs + 12 * HOUR_MS;
  return household.members.filter((p) => livesAt(p, noon)).length;
}

/** How many of something with `rate` a day happen today: the whole part surely, the rest by chance. */
function howMany(rng: Random, rate: number): number {
  const whole = Math.floor(rate);
  return whole + (rng.chance(rate - whole) ? 1 : 0);
}

export function simulateDeliveries(ctx: DeliveryContext, households: readonly Household[], carriers: Carriers): void {
  const { rng, day } = ctx;
  const rounds = new Map<string, { courier: Person; startMs: number; stops: Household[] }>();
  for (const household of households) {
    const residents = residentsAtNoon(household, day);
    if (residents === 0) continue;
    const takeaway = household.deliveries?.takeawayPerPerson ?? TAKEAWAY_PER_PERSON_DAY;
    for (let i = 0; i < residents; i++) {
      for (let order = howMany(rng, takeaway); order > 0; order--) takeawayOrder(ctx, household, carriers);
    }
    const parcelRate =
      household.deliveries?.parcelsPerDay ?? (household.kind === 'group-rental' ? 0.6 : PARCEL_PER_HOUSEHOLD_DAY);
    for (let parcel = howMany(rng, parcelRate * PARCEL_TO_DOOR); parcel > 0; parcel--) {
      const courier = rng.pick(carriers.couriers);
      const morning = rng.chance(0.6);
      const key = `${courier.key}:${morning}`;
      const round = rounds.get(key) ?? {
        courier,
        startMs: day.dayStartMs + (morning ? rng.float(9.5, 11) : rng.float(14.5, 16)) * HOUR_MS,
        stops: [],
      };
      round.stops.push(household);
      rounds.set(key, round);
    }
  }
  for (const round of rounds.values()) courierRound(ctx, round.courier, round.startMs, round.stops);
}

/** A rider in through an entrance, up to the flat and straight back out. */
function takeawayOrder(ctx: DeliveryContext, household: Household, carriers: Carriers): void {
  const { rng, sink, world, day } = ctx;
  const rider = rng.chance(0.7) ? rng.pick(carriers.riders.slice(0, REGULAR_RIDERS)) : rng.pick(carriers.riders);
  const t = day.dayStartMs + orderHour(rng) * HOUR_MS;
  passEntrance(sink, rng, world, rider, t, 'in');
  const out = dropOff(sink, rng, household.home, rider, t + rng.float(40, 150) * SECOND_MS);
  passEntrance(sink, rng, world, rider, out + rng.float(40, 150) * SECOND_MS, 'out');
}

/** One courier's round: in at an entrance, door to door through the buildings, out again. */
function courierRound(ctx: DeliveryContext, courier: Person, startMs: number, stops: Household[]): void {
  const { rng, sink, world } = ctx;
  passEntrance(sink, rng, world, courier, startMs, 'in');
  let t = startMs + rng.float(60, 150) * SECOND_MS;
  for (const stop of stops) {
    t = dropOff(sink, rng, stop.home, courier, t) + rng.float(30, 120) * SECOND_MS;
    // A round that would run past midnight is cut: the van leaves with what is left.
    if (t > ctx.day.dayStartMs + DAY_MS) break;
  }
  passEntrance(sink, rng, world, courier, t, 'out');
}

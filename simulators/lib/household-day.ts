import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Household, Person } from './model.js';
import { arriveHome, leaveHome, openDoor, stepOut, type World } from './movements.js';
import type { Random } from './random.js';
import { keepApart, type Outing, planOutings, type RoutineDay } from './routines.js';

/**
 * One household's day: who goes out when, who comes back to an empty flat (and opens the lock) or to a
 * flat with someone in (and often knocks instead, which locks do not report), tenants moving in, visitors.
 */

export type DayContext = {
  rng: Random;
  sink: DaySink;
  world: World;
  day: RoutineDay;
  /** Person key → instant (epoch ms) until which the person is away or not yet living here. */
  awayUntil: Map<string, number>;
  /** Lock id → next free credential slot, for enrolments during the run. */
  slots: Map<string, number>;
};

type Plan = { person: Person; outings: Outing[]; awayUntil: number };

export function simulateHousehold(ctx: DayContext, household: Household): void {
  const { rng, day } = ctx;
  const dayEnd = day.dayStartMs + DAY_MS;
  const living = household.members.filter((p) => p.moveInMs === undefined || p.moveInMs < dayEnd);
  if (living.length === 0) return;
  for (const person of living) {
    if (person.moveInMs !== undefined && person.moveInMs >= day.dayStartMs) moveIn(ctx, household, person);
  }
  const plans: Plan[] = living.map((person) => {
    const awayUntil = Math.max(ctx.awayUntil.get(person.key) ?? 0, person.moveInMs ?? 0);
    return { person, awayUntil, outings: planOutings(rng, person, day, awayUntil) };
  });
  const joint = jointOuting(rng, household, day, plans);
  const others = (except: readonly Person[]) => plans.filter((p) => !except.includes(p.person));

  for (const plan of plans) {
    for (const outing of plan.outings) {
      if (joint?.outing === outing) continue;
      leaveHome(ctx.sink, rng, ctx.world, household.home, [plan.person], outing.leave);
      const atDoor = arriveHome(ctx.sink, rng, ctx.world, household.home, [plan.person], outing.back);
      openOrKnock(ctx, household, [plan.person], others([plan.person]), atDoor);
    }
  }
  if (joint) {
    leaveHome(ctx.sink, rng, ctx.world, household.home, joint.people, joint.outing.leave);
    const atDoor = arriveHome(ctx.sink, rng, ctx.world, household.home, joint.people, joint.outing.back);
    openOrKnock(ctx, household, joint.people, others(joint.people), atDoor);
  }
  for (const plan of plans) {
    const last = plan.outings.at(-1)?.back ?? 0;
    ctx.awayUntil.set(plan.person.key, Math.max(plan.awayUntil, last));
  }
  takeOutRubbish(ctx, household, plans);
  visit(ctx, household, plans);
  enrolNoise(ctx, household);
}

/** Shanghai's sorted-waste bins open 07:00–09:00 and 18:00–20:00 only, so most flats make one short trip a day. */
function takeOutRubbish(ctx: DayContext, household: Household, plans: Plan[]): void {
  const { rng, day } = ctx;
  if (!rng.chance(0.7)) return;
  const t = day.dayStartMs + (rng.chance(0.4) ? rng.float(7, 9) : rng.float(18, 20)) * HOUR_MS;
  const free = plans.filter((p) => isHome(p, t) && isHome(p, t + 15 * MINUTE_MS) && p.person.credential);
  if (free.length === 0) return;
  const plan = rng.pick(free);
  const atDoor = stepOut(ctx.sink, rng, household.home, plan.person, t, rng.float(3, 8));
  openOrKnock(
    ctx,
    household,
    [plan.person],
    plans.filter((p) => p !== plan),
    atDoor,
  );
}

/** A tenant arrives with luggage; the landlord enrols the tenant's credential at the door. */
function moveIn(ctx: DayContext, household: Household, person: Person): void {
  const { rng, sink } = ctx;
  const arrival = person.moveInMs ?? ctx.day.dayStartMs;
  const atDoor = arriveHome(sink, rng, ctx.world, household.home, [person], arrival);
  if (household.home.lockId && person.credential) {
    sink.credential(atDoor + rng.float(1, 5) * MINUTE_MS, household.home.lockId, 'enrolled', person.credential);
  }
}

/** Weekend family trips and elderly couples shopping together: everyone leaves and returns as one group. */
function jointOuting(rng: Random, household: Household, day: RoutineDay, plans: Plan[]) {
  const weekend = day.weekday === 0 || day.weekday === 6;
  const hasPupils = household.members.some((p) => p.role === 'pupil');
  let leaveH: number;
  let hours: number;
  if (hasPupils && weekend && rng.chance(0.5)) {
    leaveH = rng.float(9.5, 14);
    hours = rng.float(2, 6);
  } else if (household.kind === 'elderly-couple' && rng.chance(0.5)) {
    leaveH = rng.normal(7, 0.4, 6, 8.5);
    hours = rng.float(0.7, 1.7);
  } else {
    return undefined;
  }
  const outing: Outing = {
    leave: day.dayStartMs + leaveH * HOUR_MS,
    back: day.dayStartMs + (leaveH + hours) * HOUR_MS,
  };
  const margin = 10 * MINUTE_MS;
  const joining = plans.filter((p) => p.awayUntil + margin < outing.leave);
  if (joining.length < 2) return undefined;
  for (const plan of joining) {
    const own = plan.outings.filter((o) => o.back + margin < outing.leave || o.leave > outing.back + margin);
    plan.outings = keepApart([...own, outing], plan.awayUntil);
  }
  const people = joining.filter((p) => p.outings.includes(outing)).map((p) => p.person);
  return people.length >= 2 ? { outing, people } : undefined;
}

function isHome(plan: Plan, t: number): boolean {
  if (t < plan.awayUntil) return false;
  return !plan.outings.some((o) => o.leave <= t && t < o.back);
}

/** The first of the group with a credential opens, unless someone inside opens the door for them. */
function openOrKnock(ctx: DayContext, household: Household, people: Person[], others: Plan[], atDoor: number): void {
  const { rng } = ctx;
  const opener = people.find((p) => p.credential !== undefined);
  if (!opener?.credential) return;
  if (others.some((plan) => isHome(plan, atDoor))) {
    const hour = ((atDoor - ctx.day.dayStartMs) / HOUR_MS) % 24;
    // Nobody knocks at 2 a.m.: late returners let themselves in; strangers sharing a flat rarely open for each other.
    const knock = household.kind === 'group-rental' ? 0.03 : hour < 7 || hour >= 22.5 ? 0.05 : 0.3;
    if (rng.chance(knock)) return;
  }
  openDoor(ctx.sink, rng, household.home, opener.credential, atDoor);
}

/** Relatives for dinner; they knock, someone opens from inside, and they leave the same evening (rarely next day). */
function visit(ctx: DayContext, household: Household, plans: Plan[]): void {
  const { rng, day } = ctx;
  if (household.visitors.length === 0) return;
  const weekend = day.weekday === 0 || day.weekday === 6;
  const rate = household.kind === 'group-rental' ? 0.02 : weekend ? 0.08 : 0.03;
  if (!rng.chance(rate)) return;
  const arriveH = weekend ? rng.float(10, 19) : rng.normal(18.5, 0.6, 17, 20.5);
  const arrive = day.dayStartMs + arriveH * HOUR_MS;
  if (!plans.some((plan) => isHome(plan, arrive + 5 * MINUTE_MS))) return;
  const group = rng.shuffle([...household.visitors]).slice(0, rng.int(1, Math.min(3, household.visitors.length)));
  const leave = rng.chance(0.05)
    ? day.dayStartMs + (24 + rng.float(8.5, 10.5)) * HOUR_MS
    : arrive + rng.float(1.5, 4) * HOUR_MS;
  const atDoor = arriveHome(ctx.sink, rng, ctx.world, household.home, group, arrive);
  leaveHome(ctx.sink, rng, ctx.world, household.home, group, Math.max(leave, atDoor + HOUR_MS));
}

/** Now and then a family adds a credential (a new phone, a card for the helper); the lock reports it. */
function enrolNoise(ctx: DayContext, household: Household): void {
  const { rng } = ctx;
  const lockId = household.home.lockId;
  if (!lockId || household.kind === 'group-rental' || !rng.chance(0.003)) return;
  const slot = ctx.slots.get(lockId) ?? household.nextSlot;
  ctx.slots.set(lockId, slot + 1);
  const at = ctx.day.dayStartMs + rng.float(9, 21) * HOUR_MS;
  ctx.sink.credential(at, lockId, 'enrolled', { method: rng.chance(0.6) ? 'app' : 'card', slot: String(slot) });
}

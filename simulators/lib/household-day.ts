import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.js';
import { type DayContext, isHome, openOrKnock, type Plan } from './day-context.js';
import { helpersDay } from './helpers.js';
import type { Household } from './model.js';
import { arriveHome, leaveHome, stepOut } from './movements.js';
import { moveIn, moveOut } from './moves.js';
import type { Random } from './random.js';
import { escortGuests } from './relatives.js';
import { groupByInstant, livesDuring } from './residence.js';
import { keepApart, type Outing, planOutings, type RoutineDay } from './routines.js';

/**
 * One household's day: who goes out when, who comes back to an empty flat (and opens the lock) or to a
 * flat with someone in (and often knocks instead, which locks do not report), people moving in and out,
 * relatives staying the night, helpers coming to work, visitors.
 */

export type { DayContext } from './day-context.js';

/** Outings that end in time for a move out today (ten minutes to pick up the bags). */
function beforeLeaving(outings: Outing[], moveOutMs: number | undefined): Outing[] {
  return moveOutMs === undefined ? outings : outings.filter((o) => o.back + 10 * MINUTE_MS < moveOutMs);
}

export function simulateHousehold(ctx: DayContext, household: Household): void {
  const { rng, day } = ctx;
  const dayEnd = day.dayStartMs + DAY_MS;
  const living = household.members.filter((p) => livesDuring(p, day.dayStartMs, dayEnd));
  if (living.length === 0) return;
  const arriving = (ms: number | undefined) => (ms !== undefined && ms >= day.dayStartMs ? ms : undefined);
  for (const [ms, group] of groupByInstant(living, (p) => arriving(p.moveInMs))) moveIn(ctx, household, group, ms);
  const guests = (household.guests ?? []).filter((p) => livesDuring(p, day.dayStartMs, dayEnd));
  const plans: Plan[] = [...living, ...guests].map((person) => {
    const awayUntil = Math.max(ctx.awayUntil.get(person.key) ?? 0, person.moveInMs ?? 0);
    const outings = beforeLeaving(planOutings(rng, person, day, awayUntil), person.moveOutMs);
    return { person, awayUntil, until: person.moveOutMs ?? Number.POSITIVE_INFINITY, outings };
  });
  const joint = jointOuting(rng, household, day, plans);
  if (guests.length > 0) escortGuests(ctx, household, plans, guests, joint?.outing);
  const others = (except: readonly Plan['person'][]) => plans.filter((p) => !except.includes(p.person));

  for (const plan of plans) {
    for (const outing of plan.outings) {
      if (joint?.outing === outing) continue;
      const back = [plan.person, ...(outing.backWith ?? [])];
      leaveHome(ctx.sink, rng, ctx.world, household.home, [plan.person, ...(outing.leaveWith ?? [])], outing.leave);
      const atDoor = arriveHome(ctx.sink, rng, ctx.world, household.home, back, outing.back);
      openOrKnock(ctx, household, back, others(back), atDoor);
    }
  }
  if (joint) {
    leaveHome(ctx.sink, rng, ctx.world, household.home, joint.people, joint.outing.leave);
    const atDoor = arriveHome(ctx.sink, rng, ctx.world, household.home, joint.people, joint.outing.back);
    openOrKnock(ctx, household, joint.people, others(joint.people), atDoor);
  }
  const leaving = (ms: number | undefined) => (ms !== undefined && ms < dayEnd ? ms : undefined);
  for (const [ms, group] of groupByInstant(living, (p) => leaving(p.moveOutMs))) moveOut(ctx, household, group, ms);
  for (const plan of plans) {
    const last = plan.outings.at(-1)?.back ?? 0;
    ctx.awayUntil.set(plan.person.key, Math.max(plan.awayUntil, last));
  }
  takeOutRubbish(ctx, household, plans);
  visit(ctx, household, plans);
  enrolNoise(ctx, household);
  if (household.helpers) helpersDay(ctx, household, plans);
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
  const joining = plans.filter((p) => p.awayUntil + margin < outing.leave && outing.back + margin < p.until);
  if (joining.length < 2) return undefined;
  for (const plan of joining) {
    const own = plan.outings.filter((o) => o.back + margin < outing.leave || o.leave > outing.back + margin);
    plan.outings = keepApart([...own, outing], plan.awayUntil);
  }
  const people = joining.filter((p) => p.outings.includes(outing)).map((p) => p.person);
  return people.length >= 2 ? { outing, people } : undefined;
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
  if (!lockId || household.kind === 'group-rental' || household.kind === 'short-term-let') return;
  if (!rng.chance(0.003)) return;
  const slot = ctx.slots.get(lockId) ?? household.nextSlot;
  ctx.slots.set(lockId, slot + 1);
  const at = ctx.day.dayStartMs + rng.float(9, 21) * HOUR_MS;
  ctx.sink.credential(at, lockId, 'enrolled', { method: rng.chance(0.6) ? 'app' : 'card', slot: String(slot) });
}

import { type Calendar, DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.js';
import { type DayContext, isHome, openOrKnock, type Plan } from './day-context.js';
import type { Household, Person, Role } from './model.js';
import { arriveHome, leaveHome } from './movements.js';
import { takesStairs } from './people.js';
import type { Random } from './random.js';
import { groupByInstant } from './residence.js';
import type { Outing } from './routines.js';

/**
 * Relatives who come to stay for two to ten days: parents up from the hometown, a sister between jobs. They are not
 * in the face library and hold no credential, so they come and go with a family member who opens the lock; now and
 * then the family enrols a temporary fingerprint for one of them and removes it when they leave. A family member
 * fetches them from the station and sees them off, so they pass the gates together.
 */

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const MARGIN_MS = 10 * MINUTE_MS;

/** Plans a stay wholly inside the span; false when the span is too short for two nights. */
export function addRelatives(rng: Random, household: Household, calendar: Calendar): boolean {
  const arriveH = rng.float(14, 20.5);
  const leaveH = rng.float(8, 16);
  let nights = rng.int(2, 9);
  if (nights * DAY_MS + (leaveH - arriveH) * HOUR_MS < 2 * DAY_MS) nights++;
  const fits = (day: number) =>
    calendar.dayStart(day) + arriveH * HOUR_MS > calendar.startMs + HOUR_MS &&
    calendar.dayStart(day + nights) + leaveH * HOUR_MS < calendar.endMs - HOUR_MS;
  const all = Array.from({ length: calendar.calendarDays }, (_, d) => d);
  let days = all.filter(fits);
  // A short span shortens the stay, down to the two nights that still make it a stay.
  while (days.length === 0 && (nights - 1) * DAY_MS + (leaveH - arriveH) * HOUR_MS >= 2 * DAY_MS) {
    nights--;
    days = all.filter(fits);
  }
  if (days.length === 0) return false;
  const day = rng.pick(days);
  const parents = rng.chance(0.7);
  const count = rng.weighted([
    [1, 30],
    [2, 55],
    [3, 15],
  ] as const);
  const gate = household.members[0]?.gate ?? '';
  const guests = Array.from({ length: count }, (_, i): Person => {
    const role: Role = parents ? 'retiree' : 'guest';
    return {
      key: `rel-${household.home.unitId}-${i + 1}`,
      role,
      gate,
      usesStairs: takesStairs(rng, household.home),
      moveInMs: wholeSecond(calendar.dayStart(day) + arriveH * HOUR_MS),
      moveOutMs: wholeSecond(calendar.dayStart(day + nights) + leaveH * HOUR_MS),
    };
  });
  const first = guests[0];
  if (first && household.home.lockId && rng.chance(0.25)) {
    first.credential = { method: 'fingerprint', slot: String(household.nextSlot++) };
  }
  household.guests = [...(household.guests ?? []), ...guests];
  return true;
}

/** A resident with a credential who is at home and has nothing planned from `fromMs` to `toMs`. */
function freeHost(rng: Random, plans: readonly Plan[], guests: readonly Person[], fromMs: number, toMs: number) {
  const hosts = plans.filter((p) => !guests.includes(p.person) && p.person.credential !== undefined);
  return rng
    .shuffle([...hosts])
    .find(
      (h) =>
        isHome(h, fromMs - MARGIN_MS) &&
        h.until > toMs + MARGIN_MS &&
        !h.outings.some((o) => o.leave < toMs + MARGIN_MS && o.back > fromMs - MARGIN_MS),
    );
}

function addOuting(plan: Plan, outing: Outing): void {
  plan.outings = [...plan.outings, outing].sort((a, b) => a.leave - b.leave);
}

/**
 * Today's arrivals and departures of staying relatives: a free family member goes to fetch them (and comes back with
 * them) or sees them off; without one they come and go alone. Temporary fingerprints are enrolled on the evening
 * of arrival and removed within hours of leaving.
 */
export function escortGuests(
  ctx: DayContext,
  household: Household,
  plans: Plan[],
  guests: readonly Person[],
  joint: Outing | undefined,
): void {
  const { rng, sink, world, day } = ctx;
  const { home } = household;
  const today = (ms: number | undefined) =>
    ms !== undefined && ms >= day.dayStartMs && ms < day.dayStartMs + DAY_MS ? ms : undefined;
  const busy = joint ? plans.filter((p) => p.outings.includes(joint)) : [];
  const available = plans.filter((p) => !busy.includes(p));
  for (const [ms, group] of groupByInstant(guests, (p) => today(p.moveInMs))) {
    const trip = rng.float(0.75, 2) * HOUR_MS;
    const host = freeHost(rng, available, guests, ms - trip, ms);
    if (host) addOuting(host, { leave: ms - trip, back: ms, backWith: group });
    else {
      const atDoor = arriveHome(sink, rng, world, home, group, ms);
      openOrKnock(ctx, household, group, plans, atDoor);
    }
    for (const p of group) {
      if (home.lockId && p.credential)
        sink.credential(ms + rng.float(0.5, 3) * HOUR_MS, home.lockId, 'enrolled', p.credential);
    }
  }
  for (const [ms, group] of groupByInstant(guests, (p) => today(p.moveOutMs))) {
    const trip = rng.float(0.75, 2) * HOUR_MS;
    const host = freeHost(rng, available, guests, ms, ms + trip);
    if (host) addOuting(host, { leave: ms, back: ms + trip, leaveWith: group });
    else leaveHome(sink, rng, world, home, group, ms);
    for (const p of group) {
      if (home.lockId && p.credential)
        sink.credential(ms + rng.float(1, 10) * HOUR_MS, home.lockId, 'removed', p.credential);
    }
  }
}

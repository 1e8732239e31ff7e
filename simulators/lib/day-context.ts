import { HOUR_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Household, Person } from './model.js';
import { openDoor, type World } from './movements.js';
import type { Random } from './random.js';
import type { Outing, RoutineDay } from './routines.js';

/** What one household's day is played with, and the door logic shared by residents, guests and helpers. */

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

/**
 * One person's outings of the day: `awayUntil` is when the person is first at home (back from last night, or
 * moving in), `until` when the person moves out (infinite for residents who stay).
 */
export type Plan = { person: Person; outings: Outing[]; awayUntil: number; until: number };

export function isHome(plan: Plan, t: number): boolean {
  if (t < plan.awayUntil || t >= plan.until) return false;
  return !plan.outings.some((o) => o.leave <= t && t < o.back);
}

/** The first of the group with a credential opens, unless someone inside opens the door for them. */
export function openOrKnock(
  ctx: DayContext,
  household: Household,
  people: readonly Person[],
  others: readonly Plan[],
  atDoor: number,
): void {
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

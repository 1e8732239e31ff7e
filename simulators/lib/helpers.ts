import { DAY_MS, HOUR_MS } from './calendar.js';
import { type DayContext, openOrKnock, type Plan } from './day-context.js';
import type { Helper, Household } from './model.js';
import { arriveHome, leaveHome } from './movements.js';
import { type PersonFactory, pickHouseholdGate, type SlotCounter } from './people.js';
import type { Random } from './random.js';

/**
 * Domestic helpers (阿姨) and carers, with a credential of their own on the lock: a few live in (within the flat's
 * capacity), most come every day but Sunday from about eight to six, and hourly cleaners come two or three mornings
 * or afternoons a week. Property offices register some of them at the gates; the rest are unknown faces.
 */

const REGISTERED_AT_GATES = 0.3;

export function addHelper(rng: Random, factory: PersonFactory, household: Household, entrances: readonly string[]) {
  const { home } = household;
  const liveIn = household.members.length < household.capacity && rng.chance(0.25);
  const slots: SlotCounter = { next: household.nextSlot };
  const person = factory.create(`h-${home.unitId}`, 'homemaker', {
    registered: rng.chance(REGISTERED_AT_GATES),
    home,
    gate: pickHouseholdGate(rng, entrances),
    slots,
  });
  household.nextSlot = slots.next;
  if (liveIn) {
    person.helper = true;
    household.members.push(person);
    return;
  }
  // Carers of the old come every day; helpers of working families have Sundays off.
  const elderly = household.members.every((p) => p.role === 'retiree');
  let helper: Helper;
  if (rng.chance(elderly ? 0.7 : 0.5)) {
    const days = elderly ? [0, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6];
    helper = {
      person,
      days,
      startH: rng.normal(7.75, 0.3, 7, 8.75),
      hours: rng.normal(10, 0.75, 8, 11.5),
      shops: true,
    };
  } else {
    const days = rng.shuffle([0, 1, 2, 3, 4, 5, 6]).slice(0, rng.int(2, 3));
    helper = {
      person,
      days,
      startH: rng.chance(0.6) ? rng.float(8.5, 10) : rng.float(13.5, 15),
      hours: rng.float(2, 4),
      shops: false,
    };
  }
  household.helpers = [...(household.helpers ?? []), helper];
}

/** When the helper starts today, or undefined on a day off; a changeover cleaner comes after the guests left. */
function workStart(ctx: DayContext, household: Household, helper: Helper): number | undefined {
  const { day, rng } = ctx;
  if (helper.days === 'changeover') {
    const dayEnd = day.dayStartMs + DAY_MS;
    const checkouts = household.members
      .map((p) => p.moveOutMs ?? 0)
      .filter((ms) => ms >= day.dayStartMs && ms < dayEnd);
    return checkouts.length === 0 ? undefined : Math.max(...checkouts) + rng.float(0.3, 1.5) * HOUR_MS;
  }
  if (!helper.days.includes(day.weekday)) return undefined;
  return day.dayStartMs + rng.normal(helper.startH, 0.2, helper.startH - 0.75, helper.startH + 0.75) * HOUR_MS;
}

/** Helpers let themselves in with their own credential (unless someone opens), shop, and go home in the evening. */
export function helpersDay(ctx: DayContext, household: Household, plans: readonly Plan[]): void {
  const { rng, sink, world } = ctx;
  const { home } = household;
  for (const helper of household.helpers ?? []) {
    const start = workStart(ctx, household, helper);
    if (start === undefined) continue;
    const { person } = helper;
    const end = start + helper.hours * rng.float(0.9, 1.1) * HOUR_MS;
    openOrKnock(ctx, household, [person], plans, arriveHome(sink, rng, world, home, [person], start));
    if (helper.shops && rng.chance(0.7)) {
      const out = start + rng.float(0.15, 0.45) * (end - start);
      leaveHome(sink, rng, world, home, [person], out);
      const back = out + rng.float(0.6, 1.3) * HOUR_MS;
      openOrKnock(ctx, household, [person], plans, arriveHome(sink, rng, world, home, [person], back));
    }
    leaveHome(sink, rng, world, home, [person], end);
  }
}

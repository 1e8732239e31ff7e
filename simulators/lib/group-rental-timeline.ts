import { type Calendar, DAY_MS, HOUR_MS } from './calendar.js';
import type { Household, Person } from './model.js';
import type { Random } from './random.js';
import { overCapacity } from './residence.js';

/**
 * When a group rental's tenants live in the flat: already there when the span starts, moving in half on the first
 * evening and the rest over three days, trickling in one bed at a time over two weeks, or moving out at an
 * inspection and coming back (the same tenants or new ones) once the inspectors have gone.
 */

export type TimelineSpec = {
  rng: Random;
  calendar: Calendar;
  base: Pick<Household, 'rooms' | 'capacity'>;
  /** Position among the estate's group rentals: the first is always running, the second always starts later. */
  index: number;
};

/** Devices stamp whole seconds; moves do too, so the truth's instants match the events'. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Calendar day of the first move-in, or undefined for a rental already running when the span starts. */
function startDay(spec: TimelineSpec): number | undefined {
  const { rng, index, calendar } = spec;
  const last = calendar.calendarDays - 1;
  if (index === 0 || last < 2) return undefined;
  if (index === 1) return Math.max(1, Math.floor(calendar.calendarDays / 3));
  return rng.chance(0.5) ? undefined : rng.int(1, Math.max(1, last - 3));
}

/** Half move in on the first evening, the rest over the next three days as beds are let; or all there already. */
export function moveInTogether(spec: TimelineSpec, members: readonly Person[]): void {
  const { rng, calendar } = spec;
  const first = startDay(spec);
  if (first === undefined) return;
  // Days before the last calendar day lie wholly inside the span, so every tenant moves in before it ends.
  const lastFull = Math.max(first, calendar.calendarDays - 2);
  members.forEach((person, i) => {
    const day = i < Math.ceil(members.length / 2) ? first : Math.min(lastFull, first + rng.int(1, 3));
    const hour = day === first ? rng.float(18, 21) : rng.float(10, 21);
    person.moveInMs = wholeSecond(calendar.dayStart(day) + hour * HOUR_MS);
  });
  // A move-in after the span would be no move-in at all: such a rental is simply already running.
  if (members.every((p) => (p.moveInMs ?? 0) >= calendar.endMs)) for (const p of members) delete p.moveInMs;
}

/**
 * A landlord who lets bed by bed: a few tenants (never above capacity) live there already, the others arrive one
 * or two at a time over up to two weeks, so the flat crosses its capacity somewhere inside the span.
 * False when the span is too short for it.
 */
export function moveInStaggered(spec: TimelineSpec, members: readonly Person[]): boolean {
  const { rng, calendar, base } = spec;
  const lastFull = calendar.calendarDays - 2;
  if (lastFull < 4) return false;
  const initial = rng.int(0, Math.min(base.capacity, 3));
  const first = rng.int(1, Math.max(1, Math.floor(calendar.calendarDays / 4)));
  const window = Math.max(1, Math.min(14, lastFull - first));
  for (const person of members.slice(initial)) {
    const day = first + rng.int(0, window);
    person.moveInMs = wholeSecond(calendar.dayStart(day) + rng.float(10, 21) * HOUR_MS);
  }
  return true;
}

/**
 * An inspection on a weekday of the first week or so: the tenants move out over that day and the landlord removes
 * their credentials. Five to ten days after the flat fell back to its capacity, beds are let again: more than
 * the capacity arrive on one evening (some of the old tenants among them), the rest over the next days.
 * `makeTenants(n)` makes the returning crowd. False when the span is too short for it.
 */
export function rectifyAndRelapse(
  spec: TimelineSpec,
  members: Person[],
  makeTenants: (count: number) => Person[],
): boolean {
  const { rng, calendar, base } = spec;
  const latest = Math.min(8, calendar.calendarDays - 13);
  if (latest < 3) return false;
  const day = rng.int(3, latest);
  for (const person of members) person.moveOutMs = wholeSecond(calendar.dayStart(day) + rng.float(9, 20) * HOUR_MS);
  const ended = overCapacity(members, base.capacity, calendar.startMs, calendar.endMs)[0]?.toMs ?? calendar.startMs;

  const back = day + rng.int(5, 9);
  const lastFull = calendar.calendarDays - 2;
  const returning = makeTenants(members.length + rng.int(-2, 2));
  const evening = Math.max(base.capacity + 1, Math.ceil(returning.length / 2));
  returning.forEach((person, i) => {
    const d = i < evening ? back : Math.min(lastFull, back + rng.int(1, 3));
    const hour = d === back ? rng.float(18, 21) : rng.float(10, 21);
    person.moveInMs = wholeSecond(calendar.dayStart(d) + hour * HOUR_MS);
  });
  // The relapse begins when the flat is over capacity again; keep it five to ten days after the first period ended.
  const crossing = [...returning.map((p) => p.moveInMs ?? 0)].sort((a, b) => a - b)[base.capacity] ?? ended;
  if (crossing - ended < 5 * DAY_MS) for (const person of returning) person.moveInMs = (person.moveInMs ?? 0) + DAY_MS;
  members.push(...returning);
  return true;
}

/** The landlord enrols credentials as tenants arrive, so the lock's slot numbers follow the move-in order. */
export function numberSlotsByArrival(members: readonly Person[], firstSlot: number): number {
  const bySlot = members.filter((p) => p.credential?.slot !== undefined);
  const arrivals = [...bySlot].sort((a, b) => (a.moveInMs ?? 0) - (b.moveInMs ?? 0));
  arrivals.forEach((person, i) => {
    if (person.credential) person.credential = { ...person.credential, slot: String(firstSlot + i) };
  });
  return firstSlot + arrivals.length;
}

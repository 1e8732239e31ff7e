import type { Household, Interval, Person } from './model.js';

/**
 * Who lives in a flat when. A person lives there from `moveInMs` (or since before the span) until `moveOutMs`
 * (or until after it); the ground truth's over-capacity periods are counted from these intervals alone.
 */

/** Lives there at some moment of [fromMs, toMs). */
export function livesDuring(person: Person, fromMs: number, toMs: number): boolean {
  return (person.moveInMs === undefined || person.moveInMs < toMs) && (person.moveOutMs ?? Infinity) > fromMs;
}

export function livesAt(person: Person, ms: number): boolean {
  return (person.moveInMs === undefined || person.moveInMs <= ms) && (person.moveOutMs ?? Infinity) > ms;
}

export function residentsAt(household: Household, ms: number): number {
  let n = 0;
  for (const person of household.members) if (livesAt(person, ms)) n++;
  return n;
}

/**
 * The intervals within [startMs, endMs) during which more than `capacity` people lived in the flat; an interval
 * still open at the end has `toMs` = endMs. Moves at the same instant are applied together.
 */
export function overCapacity(members: readonly Person[], capacity: number, startMs: number, endMs: number): Interval[] {
  const moves = new Map<number, number>();
  let count = 0;
  for (const person of members) {
    if (person.moveInMs === undefined || person.moveInMs <= startMs) count++;
    else moves.set(person.moveInMs, (moves.get(person.moveInMs) ?? 0) + 1);
    if (person.moveOutMs !== undefined && person.moveOutMs > startMs && person.moveOutMs < endMs) {
      moves.set(person.moveOutMs, (moves.get(person.moveOutMs) ?? 0) - 1);
    } else if (person.moveOutMs !== undefined && person.moveOutMs <= startMs) count--;
  }
  const out: Interval[] = [];
  let from: number | undefined = count > capacity ? startMs : undefined;
  for (const [ms, delta] of [...moves].sort((a, b) => a[0] - b[0])) {
    if (ms >= endMs) break;
    count += delta;
    if (from === undefined && count > capacity) from = ms;
    else if (from !== undefined && count <= capacity) {
      out.push({ fromMs: from, toMs: ms });
      from = undefined;
    }
  }
  if (from !== undefined) out.push({ fromMs: from, toMs: endMs });
  return out;
}

/**
 * Groups people by an instant (a move): people who move at the same instant move together. Groups come in the
 * order of their first member, so a list of single movers is played in its own order.
 */
export function groupByInstant(
  people: readonly Person[],
  instant: (p: Person) => number | undefined,
): [number, Person[]][] {
  const groups = new Map<number, Person[]>();
  for (const person of people) {
    const ms = instant(person);
    if (ms === undefined) continue;
    const group = groups.get(ms);
    if (group) group.push(person);
    else groups.set(ms, [person]);
  }
  return [...groups];
}

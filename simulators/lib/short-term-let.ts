import { type Calendar, HOUR_MS } from './calendar.js';
import type { Credential, Home, Household, Person } from './model.js';
import { pickHouseholdGate, type SlotCounter, takesStairs } from './people.js';
import type { Random } from './random.js';

/**
 * A short-term let (短租): the owner lets the flat by the night through a booking platform. A booking of one to
 * four guests (never more than the flat's capacity) stays two to four nights; the host sends them an app key,
 * enrolled on the lock at check-in and removed after check-out (or gives them the door's code), and a cleaner opens
 * with the host's card between bookings. Many new unknown faces, many credentials, never overcrowded.
 */

export type ShortTermLetSpec = {
  rng: Random;
  home: Home;
  base: Pick<Household, 'rooms' | 'areaM2' | 'capacity' | 'registered'>;
  entrances: readonly string[];
  calendar: Calendar;
};

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
/** The host's own card, which the cleaner uses. */
const HOST_SLOT = '1';

export function createShortTermLet(spec: ShortTermLetSpec): Household {
  const { rng, home, base, calendar, entrances } = spec;
  const slots: SlotCounter = { next: 2 };
  const members: Person[] = [];
  // The booking under way when the span starts checked in a day or two before it.
  let day = -rng.int(1, 2);
  for (let booking = 1; calendar.dayStart(day) < calendar.endMs; booking++) {
    const nights = rng.int(2, 4);
    const guests = Math.min(
      base.capacity,
      rng.weighted([
        [1, 25],
        [2, 45],
        [3, 20],
        [4, 10],
      ] as const),
    );
    const credential: Credential = rng.chance(0.75)
      ? { method: 'app', slot: String(slots.next++) }
      : { method: 'password' };
    const moveInMs = wholeSecond(calendar.dayStart(day) + rng.float(15, 22) * HOUR_MS);
    const moveOutMs = wholeSecond(calendar.dayStart(day + nights) + rng.float(8.5, 12) * HOUR_MS);
    const gate = entrances.length > 0 ? rng.pick(entrances) : '';
    for (let i = 1; i <= guests && moveOutMs > calendar.startMs; i++) {
      members.push({
        key: `g-${home.unitId}-${booking}-${i}`,
        role: 'guest',
        gate,
        usesStairs: takesStairs(rng, home),
        credential,
        moveInMs,
        moveOutMs,
      });
    }
    // The next guests check in on the afternoon the last ones left, or after a night or two empty.
    day += nights + (rng.chance(0.55) ? 0 : rng.int(1, 2));
  }
  const cleaner: Person = {
    key: `c-${home.unitId}`,
    role: 'worker',
    gate: pickHouseholdGate(rng, entrances),
    usesStairs: takesStairs(rng, home),
    credential: { method: 'card', slot: HOST_SLOT },
  };
  return {
    home,
    kind: 'short-term-let',
    ...base,
    members,
    visitors: [],
    helpers: [{ person: cleaner, days: 'changeover', startH: 12, hours: rng.float(1.5, 2.5), shops: false }],
    nextSlot: slots.next,
  };
}

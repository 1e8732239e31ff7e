import { type Calendar, DAY_MS, HOUR_MS } from './calendar.js';
import type { Home, Household, Person, Shift } from './model.js';
import { type PersonFactory, pickHouseholdGate, type SlotCounter } from './people.js';
import type { Random } from './random.js';

/**
 * A group rental (群租): a small flat partitioned and let bed by bed. The tenants are mostly not in the face
 * library, each has a credential of their own on the lock, and the rental may start inside the span:
 * the unit stands empty until the first tenants move in and the landlord enrols their credentials.
 */

export type GroupRentalSpec = {
  rng: Random;
  factory: PersonFactory;
  home: Home;
  base: Pick<Household, 'rooms' | 'areaM2' | 'capacity' | 'registered'>;
  entrances: readonly string[];
  calendar: Calendar;
  /** Position among the estate's group rentals: the first is always running, the second always starts later. */
  index: number;
};

/** Share of tenants who registered with the property office and so are in the face library. */
const TENANTS_IN_FACE_LIBRARY = 0.1;

function tenantCount(rng: Random, rooms: number): number {
  if (rooms <= 1) return rng.int(8, 12);
  if (rooms === 2) return rng.int(9, 16);
  return rng.int(10, 20);
}

/** Calendar day of the first move-in, or undefined for a rental already running when the span starts. */
function startDay(spec: GroupRentalSpec): number | undefined {
  const { rng, index, calendar } = spec;
  const last = calendar.calendarDays - 1;
  if (index === 0 || last < 2) return undefined;
  if (index === 1) return Math.max(1, Math.floor(calendar.calendarDays / 3));
  return rng.chance(0.5) ? undefined : rng.int(1, Math.max(1, last - 3));
}

export function createGroupRental(spec: GroupRentalSpec): Household {
  const { rng, factory, home, base, calendar } = spec;
  const count = tenantCount(rng, base.rooms);
  const gate = pickHouseholdGate(rng, spec.entrances);
  // The landlord's own card keeps slot 1; the tenants' credentials follow it.
  const slots: SlotCounter = { next: 2 };
  const members: Person[] = [];
  for (let i = 0; i < count; i++) {
    const person = factory.create(`t-${home.unitId}-${i + 1}`, 'tenant', {
      registered: rng.chance(TENANTS_IN_FACE_LIBRARY),
      home,
      gate,
      slots,
    });
    person.shift = rng.weighted<Shift>([
      ['day', 55],
      ['late', 25],
      ['night', 20],
    ]);
    person.dayOff = rng.int(0, 6);
    members.push(person);
  }
  const first = startDay(spec);
  let fromMs = calendar.startMs;
  if (first !== undefined) {
    // Days before the last calendar day lie wholly inside the span, so every tenant moves in before it ends.
    const lastFull = Math.max(first, calendar.calendarDays - 2);
    // Half move in on the first evening, the rest over the next three days as beds are let.
    members.forEach((person, i) => {
      const day = i < Math.ceil(count / 2) ? first : Math.min(lastFull, first + rng.int(1, 3));
      const hour = day === first ? rng.float(18, 21) : rng.float(10, 21);
      person.moveInMs = Math.floor((calendar.dayStart(day) + hour * HOUR_MS) / 1000) * 1000;
    });
    // The landlord enrols credentials as tenants arrive, so the lock's slot numbers follow the move-in order.
    const bySlot = members.filter((p) => p.credential?.slot !== undefined);
    const arrivals = [...bySlot].sort((a, b) => (a.moveInMs ?? 0) - (b.moveInMs ?? 0));
    arrivals.forEach((person, i) => {
      if (person.credential) person.credential = { ...person.credential, slot: String(2 + i) };
    });
    fromMs = Math.min(...members.map((p) => p.moveInMs ?? Number.POSITIVE_INFINITY));
    // A move-in after the span would be no move-in at all: such a rental is simply already running.
    if (fromMs >= calendar.endMs) {
      for (const person of members) delete person.moveInMs;
      fromMs = calendar.startMs;
    }
  }
  const established = fromMs === calendar.startMs;
  const visitors = [1, 2].map((i) => factory.visitor(`v-${home.unitId}-${i}`, home, gate));
  return {
    home,
    kind: 'group-rental',
    ...base,
    members,
    visitors,
    nextSlot: slots.next,
    groupRental: { fromDay: Math.floor((fromMs - calendar.startMs) / DAY_MS), fromMs, established },
  };
}

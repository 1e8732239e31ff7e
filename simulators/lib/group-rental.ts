import { type Calendar, DAY_MS } from './calendar.js';
import {
  moveInStaggered,
  moveInTogether,
  numberSlotsByArrival,
  rectifyAndRelapse,
  type TimelineSpec,
} from './group-rental-timeline.js';
import type { GroupRentalVariant, Home, Household, Person, Shift } from './model.js';
import { type PersonFactory, pickHouseholdGate, type SlotCounter } from './people.js';
import type { Random } from './random.js';
import { overCapacity } from './residence.js';

/**
 * A group rental (群租): a small flat partitioned and let bed by bed. The tenants are mostly not in the face
 * library. In the classic case each has a credential of their own on the lock; some landlords hand every tenant a
 * copy of one card, others give out the door's password. The rental may start inside the span (the unit stands
 * empty until the first tenants move in and the landlord enrols their credentials), fill up bed by bed, or be
 * cleared by an inspection and let again a week later.
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
  variant?: GroupRentalVariant;
};

/** Share of tenants who registered with the property office and so are in the face library. */
const TENANTS_IN_FACE_LIBRARY = 0.1;
/** The landlord's own card keeps slot 1; the tenants' credentials follow it. */
const FIRST_TENANT_SLOT = 2;

function tenantCount(rng: Random, rooms: number): number {
  if (rooms <= 1) return rng.int(8, 12);
  if (rooms === 2) return rng.int(9, 16);
  return rng.int(10, 20);
}

function makeTenant(spec: GroupRentalSpec, key: string, gate: string, slots: SlotCounter): Person {
  const { rng, factory, home } = spec;
  const person = factory.create(key, 'tenant', { registered: rng.chance(TENANTS_IN_FACE_LIBRARY), home, gate, slots });
  person.shift = rng.weighted<Shift>([
    ['day', 55],
    ['late', 25],
    ['night', 20],
  ]);
  person.dayOff = rng.int(0, 6);
  return person;
}

/** One card copied for every tenant (or one app account on every phone): the lock sees a single credential. */
function shareOneCredential(rng: Random, members: readonly Person[]): void {
  const shared = { method: rng.chance(0.75) ? ('card' as const) : ('app' as const), slot: String(FIRST_TENANT_SLOT) };
  for (const person of members) person.credential = shared;
}

/** The door's password for nearly everyone, a key for a few, and perhaps the head tenant's own fingerprint. */
function passwordsAndKeys(rng: Random, members: readonly Person[]): void {
  const head = rng.chance(0.5) ? members[0] : undefined;
  for (const person of members) {
    if (person === head) person.credential = { method: 'fingerprint', slot: String(FIRST_TENANT_SLOT) };
    else person.credential = { method: rng.chance(0.15) ? 'key' : 'password' };
  }
}

export function createGroupRental(spec: GroupRentalSpec): Household {
  const { rng, factory, home, base, calendar } = spec;
  const count = tenantCount(rng, base.rooms);
  const gate = pickHouseholdGate(rng, spec.entrances);
  const slots: SlotCounter = { next: FIRST_TENANT_SLOT };
  const members: Person[] = [];
  for (let i = 0; i < count; i++) members.push(makeTenant(spec, `t-${home.unitId}-${i + 1}`, gate, slots));

  let variant = spec.variant ?? 'classic';
  if (variant === 'shared-credential') shareOneCredential(rng, members);
  if (variant === 'password-only') passwordsAndKeys(rng, members);
  const timeline: TimelineSpec = { rng, calendar, base, index: spec.index };
  if (variant === 'staggered' && !moveInStaggered(timeline, members)) variant = 'classic';
  if (variant === 'relapse') {
    let n = count;
    const makeTenants = (wanted: number) =>
      Array.from({ length: wanted }, (_, i) => {
        const old = members[i];
        // Some of the old tenants come back, with a new credential; the rest are new faces.
        if (old && rng.chance(0.4)) {
          const back: Person = { ...old, credential: { method: 'fingerprint', slot: '0' } };
          delete back.moveOutMs;
          return back;
        }
        return makeTenant(spec, `t-${home.unitId}-${++n}`, gate, slots);
      });
    if (!rectifyAndRelapse(timeline, members, makeTenants)) variant = 'classic';
  }
  if (variant !== 'staggered' && variant !== 'relapse') moveInTogether(timeline, members);
  const nextSlot =
    variant === 'shared-credential' ? FIRST_TENANT_SLOT + 1 : numberSlotsByArrival(members, FIRST_TENANT_SLOT);

  const periods = overCapacity(members, base.capacity, calendar.startMs, calendar.endMs);
  const firstMoveIn = Math.min(...members.map((p) => p.moveInMs ?? calendar.startMs));
  const fromMs = periods[0]?.fromMs ?? firstMoveIn;
  const visitors = [1, 2].map((i) => factory.visitor(`v-${home.unitId}-${i}`, home, gate));
  return {
    home,
    kind: 'group-rental',
    ...base,
    members,
    visitors,
    nextSlot,
    groupRental: {
      fromDay: Math.floor((fromMs - calendar.startMs) / DAY_MS),
      fromMs,
      established: firstMoveIn <= calendar.startMs,
      variant,
    },
  };
}

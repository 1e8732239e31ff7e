import type { Estate, Unit } from '../../src/core/estate.js';
import type { Calendar } from './calendar.js';
import { applyConfounders, type ConfounderMix } from './confounders.js';
import { legalCapacity } from './estate-builder.js';
import { createGroupRental } from './group-rental.js';
import type { GroupRentalVariant, Home, Household, HouseholdKind, Person, Role } from './model.js';
import { PersonFactory, type PersonOptions, pickHouseholdGate } from './people.js';
import type { Random } from './random.js';

/**
 * Who lives in each unit. Ordinary households follow the registry (registered people, within capacity),
 * with the noise of real estates: vacant flats, unregistered renters, a live-in helper, password-only doors.
 * Group rentals come next, then the confounder mix (short-term lets, staying relatives, helpers...).
 */

export type PopulationOptions = {
  calendar: Calendar;
  /** How many units become group rentals. */
  groupRentals: number;
  /** Variant of the group rental at each position; positions beyond the list are classic. */
  variants?: readonly GroupRentalVariant[];
  mix?: ConfounderMix;
};

const VACANT_DESPITE_REGISTRATION = 0.05;
const ANONYMOUS_DOOR = 0.06;

/** Entrance gates, building door gates and unit locks, looked up once from the estate's devices. */
export function estateLayout(estate: Estate) {
  const entrances: string[] = [];
  const buildingGates = new Map<string, string>();
  const locks = new Map<string, string>();
  for (const d of estate.devices.values()) {
    if (d.kind === 'face-gate' && d.buildingId === undefined) entrances.push(d.deviceId);
    else if (d.kind === 'face-gate' && d.buildingId && !buildingGates.has(d.buildingId)) {
      buildingGates.set(d.buildingId, d.deviceId);
    } else if (d.kind === 'door-lock' && d.unitId && !locks.has(d.unitId)) locks.set(d.unitId, d.deviceId);
  }
  return { entrances, buildingGates, locks };
}

export function createPopulation(estate: Estate, seed: Random, options: PopulationOptions): Household[] {
  const { entrances, buildingGates, locks } = estateLayout(estate);
  const factory = new PersonFactory(seed.fork('people'));
  const households: Household[] = [];
  for (const unit of estate.units.values()) {
    const building = estate.buildings.get(unit.buildingId);
    const home: Home = {
      unitId: unit.id,
      buildingId: unit.buildingId,
      floor: unit.floor,
      walkUp: (building?.floors ?? 1) <= 6,
    };
    const gate = buildingGates.get(unit.buildingId);
    if (gate) home.buildingGate = gate;
    const lock = locks.get(unit.id);
    if (lock) home.lockId = lock;
    households.push(ordinaryHousehold(seed.fork(unit.id), factory, unit, home, entrances));
  }
  const candidates = households.filter((h) => h.rooms >= 1 && h.rooms <= 3 && h.home.lockId !== undefined);
  const chosen = seed.fork('group-rentals').shuffle(candidates).slice(0, options.groupRentals);
  chosen.forEach((h, index) => {
    const rental = createGroupRental({
      rng: seed.fork(`group-rental:${h.home.unitId}`),
      factory,
      home: h.home,
      base: { rooms: h.rooms, areaM2: h.areaM2, capacity: h.capacity, registered: h.registered },
      entrances,
      calendar: options.calendar,
      index,
      variant: options.variants?.[index] ?? 'classic',
    });
    households[households.indexOf(h)] = rental;
  });
  if (options.mix) {
    const mixRng = seed.fork('confounders');
    applyConfounders(households, { rng: mixRng, factory, calendar: options.calendar, entrances, mix: options.mix });
  }
  return households;
}

function ordinaryHousehold(rng: Random, factory: PersonFactory, unit: Unit, home: Home, entrances: string[]) {
  const capacity = legalCapacity(unit.rooms, unit.areaM2);
  const gate = pickHouseholdGate(rng, entrances);
  const slots = { next: rng.int(1, 3) };
  const options: PersonOptions = { registered: true, home, gate, slots };
  if (rng.chance(ANONYMOUS_DOOR)) options.anonymousMethod = rng.chance(0.7) ? 'password' : 'key';
  const make = (role: Role, i: number, registered = true) =>
    factory.create(`r-${unit.id}-${i}`, role, { ...options, registered });

  const { kind, roles } = composition(rng, unit.registered, capacity);
  const members: Person[] = roles.map((role, i) => make(role, i + 1, kind !== 'renters'));
  // A live-in helper (阿姨): unregistered, but within the flat's capacity.
  if (kind === 'family' && members.length < capacity && rng.chance(0.05)) {
    const helper = make('homemaker', members.length + 1, false);
    helper.helper = true;
    members.push(helper);
  }
  const visitorCount = members.length === 0 ? 0 : rng.int(2, 5);
  const visitors = Array.from({ length: visitorCount }, (_, i) => factory.visitor(`v-${unit.id}-${i + 1}`, home, gate));
  const household: Household = {
    home,
    kind,
    rooms: unit.rooms,
    areaM2: unit.areaM2,
    capacity,
    registered: unit.registered,
    members,
    visitors,
    nextSlot: slots.next,
  };
  return household;
}

/** Household kind and the roles of its members, from the number of people registered in the unit. */
function composition(rng: Random, registered: number, capacity: number): { kind: HouseholdKind; roles: Role[] } {
  if (registered === 0) {
    if (!rng.chance(0.15)) return { kind: 'empty', roles: [] };
    // An unregistered couple renting the flat lawfully: unknown faces, within capacity.
    return { kind: 'renters', roles: Array.from({ length: Math.min(capacity, rng.int(1, 2)) }, () => 'worker') };
  }
  if (rng.chance(VACANT_DESPITE_REGISTRATION)) return { kind: 'empty', roles: [] };
  let kind: HouseholdKind;
  let roles: Role[];
  if (registered === 1) {
    kind = 'single';
    roles = [rng.chance(0.7) ? 'worker' : 'retiree'];
  } else if (registered === 2 && rng.chance(0.35)) {
    kind = 'elderly-couple';
    roles = ['retiree', 'retiree'];
  } else if (registered === 2) {
    kind = 'couple';
    roles = ['worker', rng.chance(0.1) ? 'homemaker' : 'worker'];
  } else {
    kind = 'family';
    const pupils = registered === 3 ? 1 : registered === 4 && rng.chance(0.3) ? 1 : 2;
    roles = ['worker', rng.chance(0.2) ? 'homemaker' : 'worker'];
    for (let i = 0; i < pupils; i++) roles.push('pupil');
    while (roles.length < registered) roles.push('retiree');
  }
  const worker = roles.indexOf('worker');
  if (worker >= 0 && rng.chance(0.08)) {
    roles[worker] = 'night-worker';
    kind = 'night-shift';
  }
  return { kind, roles };
}

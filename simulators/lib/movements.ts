import { MINUTE_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Credential, Home, Person } from './model.js';
import type { Random } from './random.js';

/**
 * How one trip through the estate looks to its devices. Locks report only openings from outside, so leaving
 * home and a courier's knock leave no lock event; gates see each face, and stairwells count who walks.
 */

export type World = { entrances: readonly string[] };

const SECOND_MS = 1000;

/** Most people keep to their usual entrance; some days another one is on the way. */
function entranceOf(rng: Random, world: World, person: Person | undefined): string | undefined {
  if (world.entrances.length === 0) return undefined;
  return person?.gate && rng.chance(0.85) ? person.gate : rng.pick(world.entrances);
}

function faceAt(sink: DaySink, tsMs: number, gate: string | undefined, person: Person, direction: 'in' | 'out'): void {
  if (gate) sink.face(tsMs, gate, person, direction);
}

/** Lobby to the flat's landing; returns the arrival time at the flat door. */
function goUp(sink: DaySink, rng: Random, home: Home, person: Person, lobbyMs: number): number {
  if (home.floor <= 1) return lobbyMs + rng.float(5, 20) * SECOND_MS;
  if (!person.usesStairs) return lobbyMs + rng.float(20, 90) * SECOND_MS;
  const enter = lobbyMs + rng.float(3, 10) * SECOND_MS;
  const arrive = enter + home.floor * rng.float(8, 12) * SECOND_MS;
  // The ground-floor counter watches the stairwell's lobby door: walking up leaves the ground floor.
  sink.stairs(enter, home.buildingId, 1, 'out');
  sink.stairs(arrive, home.buildingId, home.floor, 'in');
  return arrive;
}

/** Flat door to lobby; returns the arrival time in the lobby. */
function goDown(sink: DaySink, rng: Random, home: Home, person: Person, doorMs: number): number {
  if (home.floor <= 1) return doorMs + rng.float(5, 20) * SECOND_MS;
  if (!person.usesStairs) return doorMs + rng.float(30, 150) * SECOND_MS;
  const lobby = doorMs + home.floor * rng.float(8, 12) * SECOND_MS;
  sink.stairs(doorMs, home.buildingId, home.floor, 'out');
  sink.stairs(lobby, home.buildingId, 1, 'in');
  return lobby;
}

/** People leaving the flat together at `t`: building door out, then an estate entrance out. */
export function leaveHome(
  sink: DaySink,
  rng: Random,
  world: World,
  home: Home,
  people: readonly Person[],
  t: number,
): void {
  const gate = entranceOf(rng, world, people[0]);
  const walk = rng.float(1, 3.5) * MINUTE_MS;
  people.forEach((person, i) => {
    const stagger = i * rng.float(1, 6) * SECOND_MS;
    const lobby = goDown(sink, rng, home, person, t + stagger);
    const door = lobby + rng.float(3, 15) * SECOND_MS;
    faceAt(sink, door, home.buildingGate, person, 'out');
    faceAt(sink, door + walk + rng.float(0, 4) * SECOND_MS, gate, person, 'out');
  });
}

/**
 * People arriving together at an estate entrance at `t`, then at the building door 1–3 minutes later.
 * Returns when the first of them stands at the flat door, which is when a lock would be opened.
 */
export function arriveHome(
  sink: DaySink,
  rng: Random,
  world: World,
  home: Home,
  people: readonly Person[],
  t: number,
): number {
  const gate = entranceOf(rng, world, people[0]);
  const walk = rng.float(1, 3) * MINUTE_MS;
  let first = Number.POSITIVE_INFINITY;
  people.forEach((person, i) => {
    const stagger = i * rng.float(1, 5) * SECOND_MS;
    faceAt(sink, t + stagger, gate, person, 'in');
    const door = t + stagger + walk;
    faceAt(sink, door, home.buildingGate, person, 'in');
    first = Math.min(first, goUp(sink, rng, home, person, door + rng.float(2, 8) * SECOND_MS));
  });
  return first;
}

/**
 * A few minutes outside without leaving the estate (the sorted-waste bins, the dog): the building door sees the
 * person go and come back, the entrances see nothing. Returns the time back at the flat door.
 */
export function stepOut(sink: DaySink, rng: Random, home: Home, person: Person, t: number, minutes: number): number {
  const door = goDown(sink, rng, home, person, t) + rng.float(3, 15) * SECOND_MS;
  faceAt(sink, door, home.buildingGate, person, 'out');
  const back = door + minutes * MINUTE_MS;
  faceAt(sink, back, home.buildingGate, person, 'in');
  return goUp(sink, rng, home, person, back + rng.float(2, 8) * SECOND_MS);
}

/** Opens the lock with a credential; fingers and cards sometimes fail once before the door opens. */
export function openDoor(sink: DaySink, rng: Random, home: Home, credential: Credential, atDoorMs: number): void {
  if (!home.lockId) return;
  let t = atDoorMs + rng.float(3, 20) * SECOND_MS;
  const failRate = credential.method === 'fingerprint' ? 0.05 : 0.02;
  if (rng.chance(failRate)) {
    sink.access(t, home.lockId, credential, false);
    t += rng.float(3, 9) * SECOND_MS;
  }
  sink.access(t, home.lockId, credential, true);
}

/** A carrier walks from an estate entrance to a building (or back out): one face event at the entrance. */
export function passEntrance(
  sink: DaySink,
  rng: Random,
  world: World,
  carrier: Person,
  tsMs: number,
  direction: 'in' | 'out',
): void {
  faceAt(sink, tsMs, entranceOf(rng, world, carrier), carrier, direction);
}

/** A courier or rider who comes in, climbs or rides to a flat, knocks, and leaves; returns the exit time. */
export function dropOff(
  sink: DaySink,
  rng: Random,
  home: Home,
  carrier: Person,
  atBuildingMs: number,
  stairs = home.walkUp || rng.chance(0.05),
): number {
  const visitor = { ...carrier, usesStairs: stairs };
  faceAt(sink, atBuildingMs, home.buildingGate, visitor, 'in');
  const atDoor = goUp(sink, rng, home, visitor, atBuildingMs + rng.float(2, 8) * SECOND_MS);
  const lobby = goDown(sink, rng, home, visitor, atDoor + rng.float(20, 120) * SECOND_MS);
  const out = lobby + rng.float(3, 15) * SECOND_MS;
  faceAt(sink, out, home.buildingGate, visitor, 'out');
  return out;
}

import type { Estate } from '../../src/core/estate.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.js';
import type { DaySink } from './day-sink.js';
import type { Person } from './model.js';
import { passEntrance, type World } from './movements.js';
import type { Random } from './random.js';

/**
 * Property staff: registered faces that belong to no unit. Guards come in for their shift and walk a round of
 * the building doors; cleaners mop every landing from the top floor down each morning.
 */

export type Staff = { dayGuards: Person[]; nightGuards: Person[]; cleaners: Person[] };

/** Staff face-library ids sit in their own range, far from the residents'. */
const STAFF_FACE_BASE = 90_001;
const PATROL_HOURS = [9, 14.5, 20, 23] as const;

export function createStaff(entrances: readonly string[]): Staff {
  let n = 0;
  const make = (key: string): Person => ({
    key,
    faceId: `L-${STAFF_FACE_BASE + n++}`,
    role: 'worker',
    gate: entrances[0] ?? '',
    usesStairs: true,
  });
  return {
    dayGuards: [make('guard-d1'), make('guard-d2')],
    nightGuards: [make('guard-n1'), make('guard-n2')],
    cleaners: [make('cleaner-1'), make('cleaner-2')],
  };
}

export type StaffContext = {
  rng: Random;
  sink: DaySink;
  world: World;
  dayStartMs: number;
  dayIndex: number;
  estate: Estate;
  /** Building id → face gate at its door. */
  buildingGates: ReadonlyMap<string, string>;
};

export function simulateStaff(ctx: StaffContext, staff: Staff): void {
  const { rng, sink, world, dayStartMs } = ctx;
  const at = (hours: number) => dayStartMs + hours * HOUR_MS + rng.float(-10, 10) * MINUTE_MS;
  // Two guards take turns, one day each; the night guard stays until the next morning.
  const dayGuard = staff.dayGuards[ctx.dayIndex % staff.dayGuards.length];
  const nightGuard = staff.nightGuards[ctx.dayIndex % staff.nightGuards.length];
  if (dayGuard) {
    passEntrance(sink, rng, world, dayGuard, at(7.6), 'in');
    passEntrance(sink, rng, world, dayGuard, at(19.7), 'out');
  }
  if (nightGuard) {
    passEntrance(sink, rng, world, nightGuard, at(19.6), 'in');
    passEntrance(sink, rng, world, nightGuard, at(24 + 7.7), 'out');
  }
  for (const hour of PATROL_HOURS) {
    const guard = hour < 19 ? dayGuard : nightGuard;
    if (guard) patrol(ctx, guard, at(hour));
  }
  staff.cleaners.forEach((cleaner, i) => {
    passEntrance(sink, rng, world, cleaner, at(7), 'in');
    const buildings = [...ctx.estate.buildings.values()].filter((_, b) => b % staff.cleaners.length === i);
    let t = at(8);
    for (const building of buildings) t = mop(ctx, cleaner, building, t) + rng.float(2, 6) * MINUTE_MS;
    passEntrance(sink, rng, world, cleaner, Math.max(t, at(16)), 'out');
  });
}

/** In and out of every building door, a few minutes in each lobby. */
function patrol(ctx: StaffContext, guard: Person, startMs: number): void {
  const { rng, sink } = ctx;
  let t = startMs;
  for (const gate of ctx.buildingGates.values()) {
    sink.face(t, gate, guard, 'in');
    t += rng.float(1, 4) * MINUTE_MS;
    sink.face(t, gate, guard, 'out');
    t += rng.float(1, 3) * MINUTE_MS;
  }
}

/** A cleaner works a stairwell from the top: into each floor to mop the landing, back out to the stairs. */
function mop(ctx: StaffContext, cleaner: Person, building: { id: string; floors: number }, startMs: number): number {
  const { rng, sink } = ctx;
  const gate = ctx.buildingGates.get(building.id);
  if (gate) sink.face(startMs, gate, cleaner, 'in');
  let t = startMs + rng.float(1, 3) * MINUTE_MS;
  for (let floor = building.floors; floor >= 1; floor--) {
    sink.stairs(t, building.id, floor, 'in');
    t += rng.float(0.5, 2) * MINUTE_MS;
    sink.stairs(t, building.id, floor, 'out');
    t += rng.float(0.2, 0.6) * MINUTE_MS;
  }
  if (gate) sink.face(t, gate, cleaner, 'out');
  // A long day's work is cut at midnight; the next morning starts afresh.
  return Math.min(t, startMs + DAY_MS);
}

import type { EstateFile } from '../../src/core/estate.js';
import { Random } from './random.js';

/**
 * Builds a plausible Shanghai estate registry: older six-floor walk-ups (two flats per landing, small flats)
 * next to newer lift towers. Every flat position of a building shares one layout, as in real floor plans.
 */

export type EstateBuildOptions = {
  seed?: number | string;
  buildings?: number;
  /** Towers are added after `buildings` until the estate has at least this many units. */
  minUnits?: number;
  estateId?: string;
  name?: string;
  timezone?: string;
};

/**
 * Which face gates an estate keeps: at its entrances and every building door (`all`), at its entrances only, or
 * none (residents who refuse face recognition everywhere; locks and stairwells only).
 */
export type FaceGates = 'all' | 'entrances' | 'none';

/** The registry with only the face gates `mode` keeps; every other device and every unit as they are. */
export function withFaceGates(file: EstateFile, mode: FaceGates): EstateFile {
  if (mode === 'all') return file;
  const keep = (d: DeviceFile) => d.kind !== 'face-gate' || (mode === 'entrances' && d.building === undefined);
  return { ...file, devices: file.devices.filter(keep) };
}

type BuildingFile = EstateFile['buildings'][number];
type DeviceFile = EstateFile['devices'][number];
type Layout = { rooms: number; areaM2: number };

const ENTRANCE_GATES = ['gate-main', 'gate-north', 'gate-west'] as const;
const WALK_UP_SHARE = 0.3;
const SMOKE_DETECTOR_SHARE = 0.015;

// Living area by rooms, from the brief: 1 room 30–50 m², 2 rooms 50–80, 3 rooms 75–110, 4 rooms 100–140.
const AREA_BY_ROOMS: Record<number, readonly [number, number]> = {
  1: [30, 50],
  2: [50, 80],
  3: [75, 110],
  4: [100, 140],
};

/** Legal capacity of a unit in Shanghai: two people per room, and at least 5 m² of living area each. */
export function legalCapacity(rooms: number, areaM2: number): number {
  return Math.min(2 * rooms, Math.floor(areaM2 / 5));
}

export function buildEstateFile(options: EstateBuildOptions = {}): EstateFile {
  const rng = new Random(`estate:${options.seed ?? 42}`);
  const count = options.buildings ?? 28;
  const minUnits = options.minUnits ?? 0;
  const buildings: BuildingFile[] = [];
  const walkUps = Math.max(1, Math.round(count * WALK_UP_SHARE));
  for (let i = 0; i < count; i++) buildings.push(buildBuilding(rng.fork(i), `b${i + 1}`, i < walkUps));
  let total = buildings.reduce((n, b) => n + b.units.length, 0);
  while (total < minUnits) {
    const extra = buildBuilding(rng.fork(buildings.length), `b${buildings.length + 1}`, false);
    buildings.push(extra);
    total += extra.units.length;
  }
  const entrances = ENTRANCE_GATES.slice(0, count >= 10 ? 3 : 2);
  return {
    estate: {
      id: options.estateId ?? 'shjy',
      name: options.name ?? '盛华景苑',
      timezone: options.timezone ?? 'Asia/Shanghai',
    },
    buildings,
    devices: [
      ...entrances.map((id) => ({ id, kind: 'face-gate' })),
      ...buildings.flatMap(devicesOf),
      ...smokeDetectors(buildings, rng.fork('smoke')),
    ],
  };
}

function buildBuilding(rng: Random, id: string, walkUp: boolean): BuildingFile {
  const floors = walkUp ? 6 : rng.int(11, 18);
  const perFloor = walkUp ? 2 : rng.int(3, 4);
  const layouts = Array.from({ length: perFloor }, () => pickLayout(rng, walkUp));
  const units: BuildingFile['units'] = [];
  for (let floor = 1; floor <= floors; floor++) {
    layouts.forEach((layout, position) => {
      const unitId = `${id}-${floor * 100 + position + 1}`;
      units.push({ id: unitId, floor, ...layout, registered: pickRegistered(rng, layout) });
    });
  }
  return { id, floors, units };
}

function pickLayout(rng: Random, walkUp: boolean): Layout {
  // Walk-ups are 1980s-90s housing with small flats; towers have the family flats.
  const rooms = walkUp
    ? rng.weighted([
        [1, 40],
        [2, 50],
        [3, 10],
      ] as const)
    : rng.weighted([
        [1, 8],
        [2, 35],
        [3, 45],
        [4, 12],
      ] as const);
  const [min, max] = AREA_BY_ROOMS[rooms] ?? [30, 50];
  return { rooms, areaM2: Math.round(rng.float(min, max) * 10) / 10 };
}

function pickRegistered(rng: Random, layout: Layout): number {
  if (rng.chance(0.07)) return 0;
  const wanted = rng.weighted([
    [1, 15],
    [2, 35],
    [3, 30],
    [4, 13],
    [5, 7],
  ] as const);
  const capacity = legalCapacity(layout.rooms, layout.areaM2);
  // Registrations stay within capacity, but old hukou entries sometimes outlast a family's move.
  return wanted > capacity && !rng.chance(0.05) ? capacity : Math.min(wanted, 5);
}

function devicesOf(building: BuildingFile): DeviceFile[] {
  const devices: DeviceFile[] = [{ id: `gate-${building.id}`, kind: 'face-gate', building: building.id }];
  for (let floor = 1; floor <= building.floors; floor++) {
    devices.push({ id: `stair-${building.id}-${floor}`, kind: 'stairwell-sensor', building: building.id, floor });
  }
  for (const unit of building.units) devices.push({ id: `lock-${unit.id}`, kind: 'door-lock', unit: unit.id });
  return devices;
}

/** A few owners fitted networked smoke detectors; the gateway takes their alarms as an unknown kind. */
function smokeDetectors(buildings: readonly BuildingFile[], rng: Random): DeviceFile[] {
  const units = buildings.flatMap((b) => b.units);
  const chosen = units.filter(() => rng.chance(SMOKE_DETECTOR_SHARE));
  if (chosen.length === 0) chosen.push(rng.pick(units));
  return chosen.map((unit) => ({ id: `smoke-${unit.id}`, kind: 'smoke-detector', unit: unit.id }));
}

import { z } from 'zod';
import { ID_PATTERN } from './events.js';

const EntityId = z.string().regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const UnitSchema = z.object({
  id: EntityId,
  floor: z.number().int(),
  rooms: z.number().int().min(0).max(50).describe('rooms originally designed for living'),
  areaM2: z.number().positive().max(10_000).describe('living area in square metres'),
  registered: z.number().int().min(0).max(200).describe('people registered as living in the unit'),
});

export const BuildingSchema = z.object({
  id: EntityId,
  floors: z.number().int().min(1).max(200),
  units: z.array(UnitSchema),
});

/** Kinds the contract names; other kinds (smoke detectors, …) are accepted and may only send alarms. */
/** Basements carry storage and car parks, rarely homes; five levels down is a generous bound. */
const MIN_FLOOR = -5;

export const KNOWN_DEVICE_KINDS = ['face-gate', 'door-lock', 'stairwell-sensor'] as const;

export const DeviceSchema = z.object({
  id: EntityId,
  kind: EntityId,
  building: EntityId.optional(),
  unit: EntityId.optional(),
  floor: z.number().int().optional(),
});

export const EstateFileSchema = z.object({
  estate: z.object({
    id: EntityId,
    name: z.string().min(1).max(200),
    timezone: z.string().refine(isTimeZone, 'is not an IANA time zone'),
  }),
  buildings: z.array(BuildingSchema).min(1),
  devices: z.array(DeviceSchema),
});

export type UnitSpec = z.infer<typeof UnitSchema>;
export type EstateFile = z.infer<typeof EstateFileSchema>;

export type Unit = UnitSpec & { buildingId: string };
export type DeviceKind = (typeof KNOWN_DEVICE_KINDS)[number] | (string & {});

/** Where a device stands, resolved once at load so the hot path does one map lookup. */
export type DeviceBinding = {
  estateId: string;
  deviceId: string;
  kind: DeviceKind;
  buildingId?: string;
  unitId?: string;
  floor?: number;
};

export type Estate = {
  id: string;
  name: string;
  timezone: string;
  buildings: ReadonlyMap<string, { id: string; floors: number; unitIds: readonly string[] }>;
  units: ReadonlyMap<string, Unit>;
  devices: ReadonlyMap<string, DeviceBinding>;
  /** `${buildingId}/${floor}` of every floor with a stairwell counter. */
  stairwellFloors: ReadonlySet<string>;
};

export const floorKey = (buildingId: string, floor: number) => `${buildingId}/${floor}`;

export class EstateError extends Error {
  override readonly name = 'EstateError';
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Validates an estate document and resolves every device binding; the first problem found names its entry. */
export function parseEstate(input: unknown, source = 'estate file'): Estate {
  const parsed = EstateFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? describePath(input, issue.path) : '';
    throw new EstateError(`${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const file = parsed.data;
  const ids = new Map<string, string>();
  const claim = (id: string, what: string) => {
    const prior = ids.get(id);
    if (prior) throw new EstateError(`${source}: ${what} "${id}" reuses the id of ${prior}`);
    ids.set(id, what);
  };

  const buildings = new Map<string, { id: string; floors: number; unitIds: string[] }>();
  const units = new Map<string, Unit>();
  file.buildings.forEach((b, bi) => {
    claim(b.id, `buildings[${bi}]`);
    const unitIds: string[] = [];
    b.units.forEach((u, ui) => {
      const where = `buildings[${bi}].units[${ui}] (unit "${u.id}")`;
      claim(u.id, where);
      if (u.floor < MIN_FLOOR || u.floor > b.floors) {
        throw new EstateError(
          `${source}: ${where}: floor ${u.floor} is outside building "${b.id}" (${b.floors} floors)`,
        );
      }
      units.set(u.id, { ...u, buildingId: b.id });
      unitIds.push(u.id);
    });
    buildings.set(b.id, { id: b.id, floors: b.floors, unitIds });
  });

  const devices = new Map<string, DeviceBinding>();
  file.devices.forEach((d, di) => {
    const where = `devices[${di}] (device "${d.id}")`;
    claim(d.id, where);
    devices.set(
      d.id,
      bindDevice(d, file.estate.id, buildings, units, (msg) => new EstateError(`${source}: ${where}: ${msg}`)),
    );
  });

  const stairwellFloors = new Set<string>();
  for (const d of devices.values()) {
    if (d.kind === 'stairwell-sensor' && d.buildingId !== undefined && d.floor !== undefined) {
      stairwellFloors.add(floorKey(d.buildingId, d.floor));
    }
  }
  const { id, name, timezone } = file.estate;
  return { id, name, timezone, buildings, units, devices, stairwellFloors };
}

function bindDevice(
  d: z.infer<typeof DeviceSchema>,
  estateId: string,
  buildings: Map<string, { floors: number }>,
  units: Map<string, Unit>,
  fail: (msg: string) => EstateError,
): DeviceBinding {
  const binding: DeviceBinding = { estateId, deviceId: d.id, kind: d.kind };
  if (d.building !== undefined) {
    const building = buildings.get(d.building);
    if (!building) throw fail(`building "${d.building}" is not in buildings`);
    binding.buildingId = d.building;
    if (d.floor !== undefined && d.floor > building.floors) {
      throw fail(`floor ${d.floor} is above the top floor of building "${d.building}"`);
    }
  }
  if (d.unit !== undefined) {
    const unit = units.get(d.unit);
    if (!unit) throw fail(`unit "${d.unit}" is not in any building`);
    if (binding.buildingId !== undefined && binding.buildingId !== unit.buildingId) {
      throw fail(`unit "${d.unit}" is in building "${unit.buildingId}", not "${binding.buildingId}"`);
    }
    binding.buildingId = unit.buildingId;
    binding.unitId = unit.id;
    binding.floor = unit.floor;
  }
  if (d.floor !== undefined) binding.floor = d.floor;
  if (d.kind === 'door-lock' && binding.unitId === undefined) throw fail('a door-lock must name its "unit"');
  if (d.kind === 'stairwell-sensor' && (binding.buildingId === undefined || binding.floor === undefined)) {
    throw fail('a stairwell-sensor must name its "building" and "floor"');
  }
  return binding;
}

/** Turns a zod issue path into words that find the entry: `devices[3] (device "x").kind`. */
function describePath(input: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = input;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += ` ("${id}")`;
    } else {
      out += out ? `.${String(key)}` : String(key);
    }
  }
  return out || '(document)';
}

import { describe, expect, it } from 'vitest';
import { EstateError, type EstateFile, parseEstate } from '../../../src/core/estate.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import tinyEstateFile from '../../fixtures/estate.tiny.json' with { type: 'json' };

const file = (): EstateFile => structuredClone(tinyEstateFile) as EstateFile;
const withDevice = (device: Record<string, unknown>) => {
  const f = file();
  f.devices.push(device as EstateFile['devices'][number]);
  return f;
};
function errorOf(input: unknown): string {
  try {
    parseEstate(input, 'estate.json');
  } catch (err) {
    expect(err).toBeInstanceOf(EstateError);
    return (err as Error).message;
  }
  throw new Error('expected parseEstate to throw');
}

describe('parseEstate', () => {
  it('resolves every device of the tiny estate to where it stands', () => {
    const estate = parseEstate(file());
    expect(estate).toMatchObject({ id: 'tiny', name: 'Tiny Test Estate', timezone: 'Asia/Shanghai' });
    expect([...estate.units.keys()]).toEqual(['b1-101', 'b1-102', 'b1-201']);
    expect(estate.units.get('b1-201')).toEqual({
      id: 'b1-201',
      floor: 2,
      rooms: 3,
      areaM2: 92,
      registered: 4,
      buildingId: 'b1',
    });
    expect(estate.buildings.get('b1')).toEqual({ id: 'b1', floors: 6, unitIds: ['b1-101', 'b1-102', 'b1-201'] });
    expect(estate.devices.get('gate-main')).toEqual({ estateId: 'tiny', deviceId: 'gate-main', kind: 'face-gate' });
    expect(estate.devices.get('gate-b1')).toMatchObject({ buildingId: 'b1' });
    expect(estate.devices.get('lock-b1-102')).toEqual({
      estateId: 'tiny',
      deviceId: 'lock-b1-102',
      kind: 'door-lock',
      buildingId: 'b1',
      unitId: 'b1-102',
      floor: 1,
    });
    expect(estate.devices.get('stair-b1-1')).toMatchObject({ buildingId: 'b1', floor: 1 });
    expect(estate.devices.get('smoke-b1-101')).toMatchObject({ kind: 'smoke-detector', unitId: 'b1-101' });
  });

  it('names the lock whose unit does not exist', () => {
    expect(errorOf(withDevice({ id: 'lock-x', kind: 'door-lock', unit: 'b1-999' }))).toMatchInlineSnapshot(
      `"estate.json: devices[7] (device "lock-x"): unit "b1-999" is not in any building"`,
    );
  });

  it('names the device whose building does not exist', () => {
    expect(errorOf(withDevice({ id: 'gate-b2', kind: 'face-gate', building: 'b2' }))).toMatchInlineSnapshot(
      `"estate.json: devices[7] (device "gate-b2"): building "b2" is not in buildings"`,
    );
  });

  it('names a door lock without a unit', () => {
    expect(errorOf(withDevice({ id: 'lock-lost', kind: 'door-lock', building: 'b1' }))).toMatchInlineSnapshot(
      `"estate.json: devices[7] (device "lock-lost"): a door-lock must name its "unit""`,
    );
  });

  it('names a stairwell sensor without a floor', () => {
    expect(errorOf(withDevice({ id: 'stair-b1-x', kind: 'stairwell-sensor', building: 'b1' }))).toMatch(
      /devices\[7\] \(device "stair-b1-x"\): a stairwell-sensor must name its "building" and "floor"$/,
    );
  });

  it('names a device bound to a unit of another building than the one it names', () => {
    const f = withDevice({ id: 'lock-odd', kind: 'door-lock', building: 'b2', unit: 'b1-101' });
    f.buildings.push({ id: 'b2', floors: 3, units: [] });
    expect(errorOf(f)).toContain('unit "b1-101" is in building "b1", not "b2"');
  });

  it('names both entries that share an id', () => {
    expect(errorOf(withDevice({ id: 'b1-102', kind: 'face-gate' }))).toMatchInlineSnapshot(
      `"estate.json: devices[7] (device "b1-102") "b1-102" reuses the id of buildings[0].units[1] (unit "b1-102")"`,
    );
    const f = file();
    f.buildings[0]?.units.push({ id: 'b1-101', floor: 3, rooms: 1, areaM2: 20, registered: 1 });
    expect(errorOf(f)).toMatch(
      /^estate\.json: buildings\[0\]\.units\[3\] .*reuses the id of buildings\[0\]\.units\[0\]/,
    );
  });

  it('refuses a time zone that is not IANA', () => {
    const f = file();
    f.estate.timezone = 'Mars/Olympus_Mons';
    expect(errorOf(f)).toMatchInlineSnapshot(`"estate.json: estate.timezone: is not an IANA time zone"`);
  });

  it('names a unit above the top floor of its building', () => {
    const f = file();
    (f.buildings[0]?.units[2] as { floor: number }).floor = 7;
    expect(errorOf(f)).toContain('unit "b1-201"): floor 7 is outside building "b1" (6 floors)');
  });

  it('points a schema error at the entry by index and id', () => {
    const f = file();
    (f.devices[3] as { kind: string }).kind = 'door lock';
    expect(errorOf(f)).toMatchInlineSnapshot(
      `"estate.json: devices[3] ("lock-b1-102").kind: must be 1-64 characters of A-Z a-z 0-9 _ -"`,
    );
    expect(errorOf({ ...file(), buildings: [] })).toContain('estate.json: buildings:');
    expect(errorOf('not an estate')).toMatch(/^estate\.json: \(document\): /);
  });
});

describe('EstateRegistry', () => {
  it('finds devices and units by estate, and refuses an estate loaded twice', () => {
    const estate = parseEstate(file());
    const registry = new EstateRegistry([estate]);
    expect(registry.device('tiny', 'lock-b1-101')?.unitId).toBe('b1-101');
    expect(registry.unit('tiny', 'b1-102')?.rooms).toBe(1);
    expect(registry.device('other', 'lock-b1-101')).toBeUndefined();
    expect(() => new EstateRegistry([estate, estate])).toThrow('estate "tiny" is loaded twice');
  });
});

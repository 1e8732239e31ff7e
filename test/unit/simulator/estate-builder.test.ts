import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEstateFile, legalCapacity, withFaceGates } from '../../../simulators/lib/estate-builder.js';
import { parseEstate } from '../../../src/core/estate.js';

const AREA_BY_ROOMS: Record<number, [number, number]> = { 1: [30, 50], 2: [50, 80], 3: [75, 110], 4: [100, 140] };

describe('estate generator', () => {
  const file = buildEstateFile();
  const estate = parseEstate(file);

  it('builds a registry the gateway accepts, with at least 20 buildings and 1,000 units', () => {
    expect(estate.id).toBe('shjy');
    expect(estate.name).toBe('盛华景苑');
    expect(estate.timezone).toBe('Asia/Shanghai');
    expect(estate.buildings.size).toBeGreaterThanOrEqual(20);
    expect(estate.units.size).toBeGreaterThanOrEqual(1000);
  });

  it('leaves out building-door gates, or every face gate, when asked, and nothing else', () => {
    const gates = (f: ReturnType<typeof buildEstateFile>) => f.devices.filter((d) => d.kind === 'face-gate');
    const others = (f: ReturnType<typeof buildEstateFile>) => f.devices.filter((d) => d.kind !== 'face-gate');
    const entrancesOnly = withFaceGates(file, 'entrances');
    const none = withFaceGates(file, 'none');
    expect(withFaceGates(file, 'all')).toBe(file);
    expect(gates(file).some((d) => d.building !== undefined)).toBe(true);
    expect(gates(entrancesOnly).length).toBeGreaterThan(0);
    expect(gates(entrancesOnly).every((d) => d.building === undefined)).toBe(true);
    expect(gates(none)).toEqual([]);
    expect(others(none)).toEqual(others(file));
    expect(none.buildings).toEqual(file.buildings);
  });

  it('mixes six-floor walk-ups of two flats a landing with towers of 11-18 floors and 3-4 flats', () => {
    const kinds = new Set<string>();
    for (const b of file.buildings) {
      const perFloor = b.units.length / b.floors;
      if (b.floors === 6) expect(perFloor).toBe(2);
      else {
        expect(b.floors).toBeGreaterThanOrEqual(11);
        expect(b.floors).toBeLessThanOrEqual(18);
        expect([3, 4]).toContain(perFloor);
      }
      kinds.add(b.floors === 6 ? 'walk-up' : 'tower');
    }
    expect(kinds).toEqual(new Set(['walk-up', 'tower']));
  });

  it('gives flats plausible rooms, areas and registrations', () => {
    let overCapacity = 0;
    for (const unit of estate.units.values()) {
      const [min, max] = AREA_BY_ROOMS[unit.rooms] ?? [0, 0];
      expect(unit.areaM2).toBeGreaterThanOrEqual(min);
      expect(unit.areaM2).toBeLessThanOrEqual(max);
      expect(Math.round(unit.areaM2 * 10)).toBeCloseTo(unit.areaM2 * 10, 6);
      expect(unit.registered).toBeGreaterThanOrEqual(0);
      expect(unit.registered).toBeLessThanOrEqual(5);
      if (unit.registered > legalCapacity(unit.rooms, unit.areaM2)) overCapacity++;
    }
    expect(overCapacity / estate.units.size).toBeLessThan(0.05);
  });

  it('fits every unit with a lock and every floor with a stairwell counter', () => {
    const devices = [...estate.devices.values()];
    const entrances = devices.filter((d) => d.kind === 'face-gate' && d.buildingId === undefined);
    expect(entrances.length).toBeGreaterThanOrEqual(2);
    expect(entrances.length).toBeLessThanOrEqual(3);
    for (const building of estate.buildings.values()) {
      expect(devices.filter((d) => d.kind === 'face-gate' && d.buildingId === building.id)).toHaveLength(1);
      const floors = devices.filter((d) => d.kind === 'stairwell-sensor' && d.buildingId === building.id);
      expect(floors.map((d) => d.floor).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        Array.from({ length: building.floors }, (_, i) => i + 1),
      );
    }
    for (const unit of estate.units.values()) {
      expect(estate.devices.get(`lock-${unit.id}`)).toMatchObject({ kind: 'door-lock', unitId: unit.id });
    }
    const smoke = devices.filter((d) => d.kind === 'smoke-detector');
    expect(smoke.length).toBeGreaterThan(0);
    expect(smoke.every((d) => d.unitId !== undefined)).toBe(true);
  });

  it('is deterministic per seed', () => {
    expect(buildEstateFile()).toEqual(file);
    expect(buildEstateFile({ seed: 7 })).not.toEqual(file);
  });

  it('matches the checked-in sample and small fixture, so they can be regenerated', () => {
    const sample = JSON.parse(readFileSync('config/estate.sample.json', 'utf8'));
    expect(sample).toEqual(file);
    const small = JSON.parse(readFileSync('test/fixtures/estate.small.json', 'utf8'));
    expect(small).toEqual(buildEstateFile({ buildings: 2, minUnits: 0 }));
    expect(parseEstate(small).units.size).toBeGreaterThanOrEqual(35);
    expect(parseEstate(small).units.size).toBeLessThanOrEqual(50);
  });
});

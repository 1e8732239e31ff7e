import { describe, expect, it } from 'vitest';
import { trackId } from '../../../simulators/lib/day-sink.js';
import type { Household, SimEvent } from '../../../simulators/lib/model.js';
import { generateScenario } from '../../../simulators/lib/scenario.js';
import { loadEstateSync, smallScenario } from '../../../simulators/lib/small-scenario.js';
import type { AccessEvent, FaceEvent } from '../../../src/core/events.js';

const scenario = smallScenario({ start: '2026-11-02T09:30:00+08:00' });
const events = [...scenario.events()];
const householdOf = new Map(scenario.households.map((h) => [h.home.unitId, h]));
const accesses = events.filter((e) => e.payload.type === 'access') as (SimEvent & { payload: AccessEvent })[];
const faces = events.filter((e) => e.payload.type === 'face') as (SimEvent & { payload: FaceEvent })[];
const unitOfLock = (deviceId: string) => scenario.estate.devices.get(deviceId)?.unitId ?? '';
const slotsOf = (h: Household) => new Set(h.members.flatMap((p) => (p.credential?.slot ? [p.credential.slot] : [])));
/** Credentials the lock knows: residents', staying relatives' and helpers'. */
const holdersOf = (h: Household) => [...h.members, ...(h.guests ?? []), ...(h.helpers ?? []).map((x) => x.person)];
const credentialSlotsOf = (h: Household) =>
  new Set(holdersOf(h).flatMap((p) => (p.credential?.slot ? [p.credential.slot] : [])));

describe('group rentals', () => {
  const rentals = scenario.truth.units.filter((u) => u.groupRental);

  it('puts 8-20 tenants in flats of 1-3 rooms, one running from the start and one starting later', () => {
    expect(rentals).toHaveLength(2);
    for (const unit of rentals) {
      expect(unit.tenants).toBeGreaterThanOrEqual(8);
      expect(unit.tenants).toBeLessThanOrEqual(20);
      expect(unit.tenants).toBeGreaterThan(unit.capacity);
      expect(scenario.estate.units.get(unit.unitId)?.rooms).toBeGreaterThanOrEqual(1);
      expect(scenario.estate.units.get(unit.unitId)?.rooms).toBeLessThanOrEqual(3);
    }
    expect(rentals.map((u) => u.fromDay)).toContain(0);
    expect(rentals.some((u) => (u.fromDay ?? 0) > 0)).toBe(true);
  });

  it('lets the tenants of a classic rental open the lock with credentials of their own', () => {
    for (const unit of rentals.filter((u) => u.variant === 'classic')) {
      const household = householdOf.get(unit.unitId) as Household;
      const tenantSlots = slotsOf(household);
      const used = new Set(
        accesses.filter((e) => unitOfLock(e.deviceId) === unit.unitId && e.payload.ok).map((e) => e.payload.credential),
      );
      expect([...used].every((slot) => slot !== undefined && tenantSlots.has(slot))).toBe(true);
      expect(used.size).toBeGreaterThanOrEqual(Math.ceil(0.6 * (unit.tenants ?? 0)));
    }
  });

  it('lets the tenants sharing one card open the lock with that card only', () => {
    const shared = rentals.find((u) => u.variant === 'shared-credential');
    const opened = accesses.filter((e) => unitOfLock(e.deviceId) === shared?.unitId && e.payload.ok);
    expect(opened.length).toBeGreaterThan(20);
    expect(new Set(opened.map((e) => `${e.payload.method}:${e.payload.credential}`)).size).toBe(1);
  });

  it('keeps a rental that starts later silent until its tenants move in and are enrolled', () => {
    const later = rentals.find((u) => (u.fromDay ?? 0) > 0);
    const household = householdOf.get(later?.unitId ?? '') as Household;
    const firstMoveIn = Math.min(...household.members.map((p) => p.moveInMs ?? 0));
    // The period starts when the flat goes over capacity, on the evening of the first move-in or soon after.
    expect(Date.parse(later?.fromTs ?? '')).toBeGreaterThanOrEqual(firstMoveIn);
    expect(Date.parse(later?.fromTs ?? '') - firstMoveIn).toBeLessThan(4 * 86_400_000);
    const onLock = events.filter((e) => e.deviceId === household.home.lockId);
    expect(onLock.filter((e) => e.payload.type === 'access' && e.tsMs < firstMoveIn)).toHaveLength(0);
    const enrolled = onLock.filter((e) => e.payload.type === 'credential');
    expect(enrolled).toHaveLength(later?.tenants ?? -1);
    expect(
      enrolled.every(
        (e) => e.tsMs >= firstMoveIn && e.payload.type === 'credential' && e.payload.action === 'enrolled',
      ),
    ).toBe(true);
  });

  it('keeps most tenants out of the face library', () => {
    const tenants = rentals.flatMap((u) => householdOf.get(u.unitId)?.members ?? []);
    expect(tenants.filter((p) => p.faceId === undefined).length / tenants.length).toBeGreaterThan(0.7);
  });
});

describe('people at the gates', () => {
  const entrances = [...scenario.estate.devices.values()].filter((d) => d.kind === 'face-gate' && !d.buildingId);

  it('opens a lock only with a credential of a resident, a staying relative or a helper: couriers never do', () => {
    for (const e of accesses) {
      const household = householdOf.get(unitOfLock(e.deviceId)) as Household;
      if (e.payload.credential === undefined) {
        expect(['password', 'key']).toContain(e.payload.method);
      } else {
        expect(credentialSlotsOf(household).has(e.payload.credential)).toBe(true);
      }
    }
  });

  it('shows couriers and riders at entrances and building doors many times a day under per-gate track ids', () => {
    const carrierIds = new Set<string>();
    for (const gate of scenario.estate.devices.values()) {
      if (gate.kind !== 'face-gate') continue;
      for (let i = 1; i <= 80; i++) carrierIds.add(trackId(gate.deviceId, `rider-${i}`));
      for (let i = 1; i <= 12; i++) carrierIds.add(trackId(gate.deviceId, `courier-${i}`));
    }
    const seen = faces.filter((e) => carrierIds.has(e.payload.person));
    expect(seen.length / scenario.calendar.days).toBeGreaterThan(20);
    expect(seen.every((e) => !e.payload.known)).toBe(true);
    expect(new Set(seen.map((e) => e.deviceId)).size).toBeGreaterThan(entrances.length);
  });

  it('gives known faces one library id everywhere and unknown faces unrelated ids per gate', () => {
    const resident = scenario.households.flatMap((h) => h.members).find((p) => p.faceId !== undefined);
    const gates = new Set(faces.filter((e) => e.payload.person === resident?.faceId).map((e) => e.deviceId));
    expect(gates.size).toBeGreaterThanOrEqual(2);
    expect(trackId('gate-main', 'v-b1-101-1')).not.toBe(trackId('gate-b1', 'v-b1-101-1'));
    expect(trackId('gate-main', 'v-b1-101-1')).toMatch(/^T-[0-9a-f]{8}$/);
    for (const e of faces) {
      expect(e.payload.known).toBe(/^L-\d+$/.test(e.payload.person));
      expect(e.payload.score).toBeGreaterThanOrEqual(0.75);
      expect(e.payload.score).toBeLessThanOrEqual(0.99);
    }
  });

  it('has a registered resident pass the building door 20 s-2.5 min before opening the lock', () => {
    const faceIdOf = new Map<string, string>();
    for (const h of scenario.households) {
      for (const p of h.members)
        if (p.faceId && p.credential?.slot) faceIdOf.set(`${h.home.lockId}|${p.credential.slot}`, p.faceId);
    }
    let matched = 0;
    let total = 0;
    for (const e of accesses) {
      const faceId = faceIdOf.get(`${e.deviceId}|${e.payload.credential}`);
      if (!faceId || !e.payload.ok) continue;
      total++;
      const gate = `gate-${scenario.estate.units.get(unitOfLock(e.deviceId))?.buildingId}`;
      const before = faces.find(
        (f) =>
          f.deviceId === gate &&
          f.payload.person === faceId &&
          f.payload.direction === 'in' &&
          e.tsMs - f.tsMs >= 10_000 &&
          e.tsMs - f.tsMs <= 150_000,
      );
      if (before) matched++;
    }
    expect(total).toBeGreaterThan(200);
    // A gate misses about one face in ten; the rest line up.
    expect(matched / total).toBeGreaterThan(0.8);
  });
});

describe('stairwells and alarms', () => {
  it('reports passages per floor per quarter hour, only when someone passed', () => {
    const passages = events.filter((e) => e.payload.type === 'passage');
    expect(passages.length).toBeGreaterThan(100);
    const keys = new Set<string>();
    for (const e of passages) {
      if (e.payload.type !== 'passage') continue;
      expect(e.payload.periodS).toBe(900);
      expect(e.payload.in + e.payload.out).toBeGreaterThan(0);
      expect(e.payload.ts).toMatch(/:(00|15|30|45):00\+08:00$/);
      const key = `${e.deviceId}@${e.tsMs}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
    }
  });

  it('clears a raised smoke alarm within minutes', () => {
    const smoke = generateScenario({ estate: scenario.estate, seed: 3, days: 30, start: '2026-10-01T00:00:00+08:00' });
    const alarms = [...smoke.events()].filter((e) => e.payload.type === 'alarm' && e.payload.alarm === 'smoke');
    expect(alarms.length).toBeGreaterThan(0);
    for (const raised of alarms.filter((e) => e.payload.type === 'alarm' && e.payload.active)) {
      const cleared = alarms.find((e) => e.deviceId === raised.deviceId && e.tsMs > raised.tsMs);
      expect(cleared?.payload.type === 'alarm' && !cleared.payload.active).toBe(true);
      expect((cleared?.tsMs ?? 0) - raised.tsMs).toBeLessThanOrEqual(15 * 60_000);
    }
  });
});

describe('population of the sample estate', () => {
  const sample = generateScenario({
    estate: loadEstateSync('config/estate.sample.json'),
    days: 2,
    start: '2026-11-12',
  });

  it('mixes every kind of household, mostly within legal capacity', () => {
    const kinds = new Set(sample.truth.units.map((u) => u.household));
    for (const kind of ['empty', 'single', 'couple', 'elderly-couple', 'family', 'night-shift', 'group-rental']) {
      expect(kinds).toContain(kind);
    }
    const ordinary = sample.truth.units.filter((u) => !u.groupRental && u.occupants > 0);
    expect(ordinary.filter((u) => u.occupants <= u.capacity).length / ordinary.length).toBeGreaterThan(0.95);
    expect(ordinary.some((u) => u.occupants === u.capacity)).toBe(true);
    expect(sample.truth.groupRentals).toBe(32);
  });

  it('brings night-shift workers home early in the morning', () => {
    // Monday 00:00 for three days: the Monday and Tuesday night shifts end on Tuesday and Wednesday mornings.
    const week = generateScenario({ estate: sample.estate, days: 3, start: '2026-11-16T00:00:00+08:00' });
    const workerOf = new Map<string, string>();
    for (const h of week.households) {
      for (const p of h.members) {
        if (p.role === 'night-worker' && p.credential?.slot)
          workerOf.set(`${h.home.lockId}|${p.credential.slot}`, p.key);
      }
    }
    const home = new Set<string>();
    for (const e of week.events()) {
      if (e.payload.type !== 'access') continue;
      const worker = workerOf.get(`${e.deviceId}|${e.payload.credential}`);
      const hour = Number(e.payload.ts.slice(11, 13));
      if (worker && hour >= 5 && hour < 8) home.add(worker);
    }
    expect(workerOf.size).toBeGreaterThan(20);
    expect(home.size / workerOf.size).toBeGreaterThan(0.8);
  });
});

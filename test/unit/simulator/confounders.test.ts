import { describe, expect, it } from 'vitest';
import { trackId } from '../../../simulators/lib/day-sink.js';
import type { Household, Person, SimEvent, SimStatus } from '../../../simulators/lib/model.js';
import { loadNamedScenario } from '../../../simulators/lib/named-scenarios.js';
import { statusTopic } from '../../../src/adapters/mqtt/topics.js';
import { DeviceEventSchema, DeviceStatusSchema } from '../../../src/core/events.js';

/** Three weeks of the default estate, played once: every check below reads the events it keeps. */
const run = loadNamedScenario('default', { seed: 1, start: '2026-11-02T09:30:00+08:00' });
const { households, estate } = run;
const HOUR_MS = 3_600_000;

const watched = households.filter(
  (h) => h.groupRental || h.kind === 'short-term-let' || h.lockOutages || h.guests || h.helpers,
);
const watchedDevices = new Set(watched.flatMap((h) => [h.home.lockId, h.home.buildingGate]));
const byDevice = new Map<string, SimEvent[]>();
const statuses: SimStatus[] = [];
const tally = { events: 0, invalid: 0, unknownDevice: 0, unsorted: 0 };
let last = Number.NEGATIVE_INFINITY;
for (const day of run.days()) {
  statuses.push(...day.statuses);
  for (const e of day.events) {
    tally.events++;
    if (!DeviceEventSchema.safeParse(e.payload).success) tally.invalid++;
    if (!estate.devices.has(e.deviceId)) tally.unknownDevice++;
    if (e.tsMs < last) tally.unsorted++;
    last = e.tsMs;
    if (!watchedDevices.has(e.deviceId)) continue;
    const list = byDevice.get(e.deviceId) ?? [];
    list.push(e);
    byDevice.set(e.deviceId, list);
  }
}

const lockEvents = (h: Household) => byDevice.get(h.home.lockId ?? '') ?? [];
const accesses = (h: Household) =>
  lockEvents(h).flatMap((e) => (e.payload.type === 'access' && e.payload.ok ? [e] : []));
const credentialEvents = (h: Household) => lockEvents(h).flatMap((e) => (e.payload.type === 'credential' ? [e] : []));
const credentialOf = (e: SimEvent) =>
  e.payload.type === 'access' ? `${e.payload.method}:${e.payload.credential}` : '';
const rentals = (variant: string) => households.filter((h) => h.groupRental?.variant === variant);

describe('the default scenario on the wire', () => {
  it('emits only contract-valid payloads of the estate devices, in time order', () => {
    expect(tally.events).toBeGreaterThan(500_000);
    expect(tally).toMatchObject({ invalid: 0, unknownDevice: 0, unsorted: 0 });
  });

  it('marks each offline lock with its last will and its return as retained statuses', () => {
    const offline = households.filter((h) => h.lockOutages);
    expect(offline.length).toBeGreaterThanOrEqual(2);
    expect(statuses).toHaveLength(2 * offline.length);
    for (const s of statuses) {
      expect(DeviceStatusSchema.safeParse(s.payload).success).toBe(true);
      expect(s.topic).toBe(statusTopic(estate.id, s.deviceId));
    }
    for (const h of offline) {
      const [outage] = h.lockOutages ?? [];
      const mine = statuses.filter((s) => s.deviceId === h.home.lockId);
      expect(mine.map((s) => s.payload.online)).toEqual([false, true]);
      expect(mine[0]?.tsMs).toBeGreaterThanOrEqual(outage?.fromMs ?? 0);
      expect(mine[1]?.tsMs).toBe(outage?.toMs);
    }
  });
});

describe('confounders in the events', () => {
  it('lets an offline lock publish nothing during its outage while its residents still pass the gates', () => {
    for (const h of households.filter((x) => x.lockOutages)) {
      const [outage] = h.lockOutages ?? [];
      const from = outage?.fromMs ?? 0;
      const to = outage?.toMs ?? 0;
      expect(lockEvents(h).filter((e) => e.tsMs >= from && e.tsMs < to)).toEqual([]);
      expect(lockEvents(h).length).toBeGreaterThan(0);
    }
  });

  it('opens a shared-credential group rental with one credential only, enrolled at most once', () => {
    for (const h of rentals('shared-credential')) {
      const used = new Set(accesses(h).map(credentialOf));
      expect(accesses(h).length).toBeGreaterThan(50);
      expect(used.size).toBe(1);
      expect(
        credentialEvents(h).filter((e) => e.payload.type === 'credential' && e.payload.action === 'enrolled').length,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('opens a password-only group rental mostly without an identity', () => {
    for (const h of rentals('password-only')) {
      const anonymous = accesses(h).filter((e) => e.payload.type === 'access' && e.payload.credential === undefined);
      expect(anonymous.length / accesses(h).length).toBeGreaterThan(0.8);
    }
  });

  it('keeps a rectified rental silent at the lock between the last move-out and the first return', () => {
    for (const h of rentals('relapse')) {
      const out = Math.max(...h.members.map((p) => p.moveOutMs ?? 0));
      const back = Math.min(...h.members.map((p) => p.moveInMs ?? Number.POSITIVE_INFINITY));
      expect(back - out).toBeGreaterThan(4 * 24 * HOUR_MS);
      expect(accesses(h).filter((e) => e.tsMs > out && e.tsMs < back)).toEqual([]);
      const removed = credentialEvents(h).filter(
        (e) => e.payload.type === 'credential' && e.payload.action === 'removed',
      );
      expect(removed.length).toBeGreaterThanOrEqual(h.members.filter((p) => p.moveOutMs).length - 2);
    }
  });

  it('turns short-term lets over every few days: app keys enrolled and removed, opened only by guests and cleaner', () => {
    const lets = households.filter((h) => h.kind === 'short-term-let');
    expect(lets.length).toBeGreaterThanOrEqual(2);
    for (const h of lets) {
      const holders = [...h.members, ...(h.helpers ?? []).map((x) => x.person)];
      const allowed = new Set(holders.map((p) => `${p.credential?.method}:${p.credential?.slot}`));
      for (const e of accesses(h)) expect(allowed.has(credentialOf(e))).toBe(true);
      const actions = credentialEvents(h).map((e) => (e.payload.type === 'credential' ? e.payload.action : ''));
      expect(actions.filter((a) => a === 'enrolled').length).toBeGreaterThanOrEqual(2);
      expect(actions.filter((a) => a === 'removed').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('brings staying relatives through the building door as unknown faces, only during their stay', () => {
    const hosts = households.filter((h) => h.guests && h.home.buildingGate);
    expect(hosts.length).toBeGreaterThanOrEqual(2);
    let seen = 0;
    for (const h of hosts) {
      const gate = h.home.buildingGate ?? '';
      const guests = h.guests ?? [];
      const ids = new Map(guests.map((p) => [trackId(gate, p.key), p]));
      for (const e of byDevice.get(gate) ?? []) {
        const guest = e.payload.type === 'face' ? ids.get(e.payload.person) : undefined;
        if (!guest || e.payload.type !== 'face') continue;
        seen++;
        expect(e.payload.known).toBe(false);
        expect(e.tsMs).toBeGreaterThanOrEqual((guest.moveInMs ?? 0) - HOUR_MS);
        expect(e.tsMs).toBeLessThanOrEqual((guest.moveOutMs ?? 0) + HOUR_MS);
      }
    }
    expect(seen).toBeGreaterThan(hosts.length);
  });

  it('enrols a relative’s temporary fingerprint after arrival and removes it after departure', () => {
    const withFinger = households.flatMap((h) =>
      (h.guests ?? []).filter((p) => p.credential).map((p) => [h, p] as const),
    );
    for (const [h, guest] of withFinger as (readonly [Household, Person])[]) {
      const slot = guest.credential?.slot;
      const events = credentialEvents(h).filter(
        (e) => e.payload.type === 'credential' && e.payload.credential === slot,
      );
      const outage = (ms: number) => h.lockOutages?.some((o) => ms >= o.fromMs && ms < o.toMs) ?? false;
      for (const e of events) {
        if (e.payload.type !== 'credential') continue;
        if (e.payload.action === 'enrolled') expect(e.tsMs).toBeGreaterThan(guest.moveInMs ?? 0);
        else expect(e.tsMs).toBeGreaterThan(guest.moveOutMs ?? 0);
      }
      if (!outage(guest.moveInMs ?? 0)) expect(events.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('lets daily helpers in with their own credential during the day, never at night', () => {
    const helped = households.filter((h) => h.helpers?.some((x) => x.days !== 'changeover'));
    expect(helped.length).toBeGreaterThanOrEqual(2);
    let opened = 0;
    for (const h of helped) {
      for (const helper of h.helpers ?? []) {
        const credential = `${helper.person.credential?.method}:${helper.person.credential?.slot}`;
        for (const e of accesses(h).filter((x) => credentialOf(x) === credential)) {
          opened++;
          const hour = Number(e.payload.ts.slice(11, 13));
          expect(hour).toBeGreaterThanOrEqual(6);
          expect(hour).toBeLessThan(21);
        }
      }
    }
    expect(opened).toBeGreaterThan(helped.length * 3);
  });
});

import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../../simulators/lib/model.js';
import { generateScenario } from '../../../simulators/lib/scenario.js';
import { loadEstateSync, SMALL_ESTATE_PATH, smallScenario } from '../../../simulators/lib/small-scenario.js';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { findBiometricData } from '../../../src/core/biometric-guard.js';
import { DeviceEventSchema } from '../../../src/core/events.js';

const START = '2026-11-02T09:30:00+08:00';
const scenario = smallScenario({ start: START });
const events = [...scenario.events()];

/** Device events in the order the estate's devices would have produced them. */
function checkContract(list: readonly SimEvent[], run = scenario): void {
  const seqs = new Map<string, number>();
  const ids = new Set<string>();
  let last = Number.NEGATIVE_INFINITY;
  for (const e of list) {
    const parsed = DeviceEventSchema.safeParse(e.payload);
    if (!parsed.success) throw new Error(`${e.deviceId}: ${JSON.stringify(e.payload)}: ${parsed.error.message}`);
    expect(run.estate.devices.has(e.deviceId)).toBe(true);
    expect(e.topic).toBe(eventTopic(run.estate.id, e.deviceId));
    expect(e.tsMs).toBeGreaterThanOrEqual(last);
    last = e.tsMs;
    expect(Date.parse(e.payload.ts)).toBe(e.tsMs);
    expect(e.payload.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const prior = seqs.get(e.deviceId);
    if (prior !== undefined) expect(e.payload.seq).toBe(prior + 1);
    seqs.set(e.deviceId, e.payload.seq);
    const key = `${e.deviceId}|${e.payload.id}`;
    expect(ids.has(key)).toBe(false);
    ids.add(key);
    expect(JSON.stringify(e.payload).length).toBeLessThan(4096);
    expect(findBiometricData(e.payload)).toBeUndefined();
  }
}

describe('scenario events', () => {
  it('replays identical events and truth for the same seed', () => {
    const again = smallScenario({ start: START });
    expect([...again.events()]).toEqual(events);
    expect(again.truth).toEqual(scenario.truth);
  });

  it('differs for another seed', () => {
    const other = smallScenario({ start: START, seed: 8 });
    const otherEvents = [...other.events()];
    expect(otherEvents.length).not.toBe(events.length);
    expect(otherEvents.slice(0, 50)).not.toEqual(events.slice(0, 50));
  });

  it('never reuses an event id in a run over another span, so the gateway does not drop it as a replay', () => {
    const later = smallScenario({ start: '2026-11-09T09:30:00+08:00', days: 2 });
    const earlier = new Set(events.map((e) => `${e.deviceId}|${e.payload.id}`));
    expect([...later.events()].some((e) => earlier.has(`${e.deviceId}|${e.payload.id}`))).toBe(false);
  });

  it('is restartable: a second pass over the days yields the same events', () => {
    expect([...scenario.events()]).toEqual(events);
  });

  it('emits only contract-valid payloads of known devices, sorted, with per-device seq +1 and unique ids', () => {
    expect(events.length).toBeGreaterThan(5000);
    checkContract(events);
  });

  it('stays inside the span [start, start + days)', () => {
    const { startMs, endMs } = scenario.calendar;
    expect(startMs).toBe(Date.parse(START));
    for (const e of events) {
      expect(e.tsMs).toBeGreaterThanOrEqual(startMs);
      expect(e.tsMs).toBeLessThanOrEqual(endMs);
    }
    expect(events.at(-1)?.tsMs).toBeGreaterThan(endMs - 3_600_000);
  });

  it('defaults the start to now minus the span, so the last events land at about the present', () => {
    const now = Date.now();
    const recent = smallScenario({ days: 1 });
    expect(Math.abs(recent.calendar.endMs - now)).toBeLessThan(5_000);
    const tail = [...recent.events()].at(-1);
    expect(tail?.tsMs).toBeLessThanOrEqual(now + 1_000);
  });

  it('produces every event type', () => {
    const types = new Set(events.map((e) => e.payload.type));
    expect(types).toEqual(new Set(['face', 'access', 'credential', 'passage', 'alarm']));
  });

  it('plays the estate under another id when asked', () => {
    const renamed = smallScenario({ start: START, estateId: 'sim-test-1', days: 1 });
    expect(renamed.estate.id).toBe('sim-test-1');
    expect(renamed.truth.estateId).toBe('sim-test-1');
    const first = [...renamed.events()][0];
    expect(first?.topic).toMatch(/^linli\/v1\/sim-test-1\//);
  });

  it('injects at least one group rental on a small estate by default', () => {
    const run = generateScenario({ estate: loadEstateSync(SMALL_ESTATE_PATH), start: START, days: 2 });
    expect(run.truth.groupRentals).toBe(1);
  });
});

describe('sample estate, 14 days', () => {
  it('generates 300k-500k events, every one valid under DeviceEventSchema', () => {
    const started = performance.now();
    const big = generateScenario({
      estate: loadEstateSync('config/estate.sample.json'),
      seed: 42,
      days: 14,
      start: '2026-11-12T09:30:00+08:00',
    });
    let count = 0;
    let invalid = 0;
    for (const day of big.days()) {
      count += day.events.length;
      for (const e of day.events) if (!DeviceEventSchema.safeParse(e.payload).success) invalid++;
    }
    const seconds = (performance.now() - started) / 1000;
    expect(invalid).toBe(0);
    expect(count).toBeGreaterThan(300_000);
    expect(count).toBeLessThan(500_000);
    expect(seconds).toBeLessThan(20);
    expect(big.truth.groupRentals).toBe(Math.round(0.03 * big.estate.units.size));
  });
});

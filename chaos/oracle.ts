import type { EstateRegistry } from '../src/core/registry.js';
import type { Message } from './workload.js';

/**
 * What a stream must add to the store's counters, computed from the events themselves and nothing the gateway
 * wrote: every successful or failed lock opening adds one to its unit, every face one to its gate, every stairwell
 * period its people to its floor. Compared with what Redis holds, a shortfall is events lost and an excess is
 * events counted twice.
 */
export type Counters = {
  /** `<building>/<unit>` -> successful openings. */
  opened: Map<string, number>;
  /** `<building>/<unit>` -> failed attempts. */
  failed: Map<string, number>;
  /** gate device -> faces. */
  faces: Map<string, number>;
  /** `<building>/<floor>` -> people in through the stairwell door. */
  stairsIn: Map<string, number>;
};

export const emptyCounters = (): Counters => ({
  opened: new Map(),
  failed: new Map(),
  faces: new Map(),
  stairsIn: new Map(),
});

const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);

export function expectedCounters(messages: readonly Message[], registry: EstateRegistry): Counters {
  const c = emptyCounters();
  const distinct = new Set<string>();
  for (const m of messages) {
    const [, , estateId, deviceId, kind] = m.topic.split('/');
    if (kind !== 'event' || !estateId || !deviceId) continue;
    const binding = registry.device(estateId, deviceId);
    if (!binding) continue;
    const e = JSON.parse(m.payload) as { id: string; type: string; ok?: boolean; in?: number };
    // the contract's idempotency key: a redelivered event counts once
    const key = `${deviceId}\u0000${e.id}`;
    if (distinct.has(key)) continue;
    distinct.add(key);
    if (e.type === 'access' && binding.unitId)
      add(e.ok ? c.opened : c.failed, `${binding.buildingId}/${binding.unitId}`, 1);
    else if (e.type === 'face') add(c.faces, deviceId, 1);
    else if (e.type === 'passage' && binding.floor !== undefined)
      add(c.stairsIn, `${binding.buildingId}/${binding.floor}`, e.in ?? 0);
  }
  return c;
}

export type CounterDiff = { lost: number; doubled: number; lostPeople: number; doubledPeople: number };

/** Events lost and counted twice (openings and faces: one count an event), and stairwell people off either way. */
export function diffCounters(expected: Counters, got: Counters): CounterDiff {
  const events = [
    offBy(expected.opened, got.opened),
    offBy(expected.failed, got.failed),
    offBy(expected.faces, got.faces),
  ];
  const people = offBy(expected.stairsIn, got.stairsIn);
  return {
    lost: events.reduce((n, e) => n + e.short, 0),
    doubled: events.reduce((n, e) => n + e.over, 0),
    lostPeople: people.short,
    doubledPeople: people.over,
  };
}

function offBy(expected: Map<string, number>, got: Map<string, number>): { short: number; over: number } {
  let short = 0;
  let over = 0;
  for (const k of new Set([...expected.keys(), ...got.keys()])) {
    const delta = (got.get(k) ?? 0) - (expected.get(k) ?? 0);
    if (delta < 0) short -= delta;
    else over += delta;
  }
  return { short, over };
}

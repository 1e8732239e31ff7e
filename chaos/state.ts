import type { Redis } from 'ioredis';
import { RedisAlertStore } from '../src/adapters/redis/alert-store.js';
import { RedisCorrelationStore } from '../src/adapters/redis/correlation-store.js';
import { createKeys } from '../src/adapters/redis/keys.js';
import { defineScripts } from '../src/adapters/redis/scripts.js';
import type { Config } from '../src/config/schema.js';
import { detectionPerEstate } from '../src/core/detection.js';
import type { EstateRegistry } from '../src/core/registry.js';
import type { UnitSignals } from '../src/core/signals.js';
import { type Counters, emptyCounters } from './oracle.js';

/**
 * What a run leaves in Redis that must not depend on crashes, restarts, redeliveries or arrival order: the raw
 * counters (compared with the oracle), every unit's signals and every alert's verdict (compared with a clean run
 * of the same stream), and the dead letters by reason.
 */
export type StoreState = {
  counters: Counters;
  units: Record<string, UnitSignals | undefined>;
  alerts: Record<string, string>;
  deadLetters: Record<string, number>;
};

const sumFields = (hash: Record<string, string>, match: (field: string) => boolean) => {
  let n = 0;
  for (const [f, v] of Object.entries(hash)) if (match(f)) n += Number(v);
  return n;
};

export async function readState(redis: Redis, config: Config, registry: EstateRegistry): Promise<StoreState> {
  const keys = createKeys(config.redis.keyPrefix);
  defineScripts(redis);
  const store = new RedisCorrelationStore({
    redis,
    keys,
    detection: detectionPerEstate(config.detection, config.estateDetection),
  });
  const counters = emptyCounters();
  const units: StoreState['units'] = {};
  for (const estate of registry.estates()) {
    for (const unit of estate.units.values()) {
      const state = await redis.hgetall(keys.unit(estate.id, unit.buildingId, unit.id).state);
      const at = `${unit.buildingId}/${unit.id}`;
      const opened = sumFields(state, (f) => f.startsWith('o:') || f.startsWith('a:'));
      const failed = sumFields(state, (f) => f.startsWith('f:'));
      if (opened) counters.opened.set(at, opened);
      if (failed) counters.failed.set(at, failed);
      units[`${estate.id}/${unit.id}`] = await store.readUnit(estate, unit);
    }
    const floors = new Set<string>();
    for (const d of estate.devices.values()) {
      if (d.kind === 'face-gate') {
        const faces = sumFields(
          await redis.hgetall(keys.gateCounters(estate.id, d.buildingId, d.deviceId)),
          () => true,
        );
        if (faces) counters.faces.set(d.deviceId, faces);
      }
      if (d.kind === 'stairwell-sensor' && d.buildingId && d.floor !== undefined)
        floors.add(`${d.buildingId}/${d.floor}`);
    }
    for (const at of floors) {
      const [building, floor] = at.split('/') as [string, string];
      const hash = await redis.hgetall(keys.floorCounters(estate.id, building, Number(floor)));
      const people = sumFields(hash, (f) => f.endsWith('|in'));
      if (people) counters.stairsIn.set(at, people);
    }
  }
  const alertStore = new RedisAlertStore({ redis, keys, ...config.alerts });
  const alerts: StoreState['alerts'] = {};
  for (const a of await alertStore.list({ limit: 10_000 })) {
    // the verdict, not the wall-clock fields or the evidence snapshot (see test/integration/scale-out/outcome.ts)
    alerts[`${a.kind}/${a.subject}`] = `${a.status} ${a.severity} ${a.estimate?.people ?? ''}`;
  }
  const dlq = await redis.hgetall(keys.deadLetterCounts);
  const deadLetters = Object.fromEntries(Object.entries(dlq).map(([k, v]) => [k, Number(v)]));
  return { counters, units, alerts, deadLetters };
}

/** Units whose signals differ and alerts whose verdict differs between two runs, by name. */
export function stateDifferences(reference: StoreState, got: StoreState): { units: string[]; alerts: string[] } {
  const units = Object.keys({ ...reference.units, ...got.units }).filter(
    (k) => JSON.stringify(reference.units[k]) !== JSON.stringify(got.units[k]),
  );
  const alerts = Object.keys({ ...reference.alerts, ...got.alerts }).filter(
    (k) => reference.alerts[k] !== got.alerts[k],
  );
  return { units, alerts };
}

import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import { decideForUnit } from '../../../src/core/correlator.js';
import type { Unit } from '../../../src/core/estate.js';
import type { AcceptedEvent } from '../../../src/core/intake.js';
import { accept, accessPayload, at, detection, facePayload, tinyEstate } from '../../helpers/core-fixtures.js';
import { applyInOrder, useRedis } from '../../helpers/redis.js';

/**
 * Entry-method parity: the same five residents coming home on the same days give the same count and the same alerts
 * whether they identify themselves at the lock (fingerprint or card) or by face at the building door (opening by
 * password). Face recognition is never what makes someone count.
 */
const ctx = useRedis();
const estate = tinyEstate();
const unit = estate.units.get('b1-102') as Unit; // capacity 2, 2 registered
const RESIDENTS = [1, 2, 3, 4, 5];
const DAYS = [0, 1, 2, 3];

function trace(method: 'fingerprint' | 'card' | 'face'): AcceptedEvent[] {
  return DAYS.flatMap((d) =>
    RESIDENTS.flatMap((r) => {
      const t = at(d, `1${r}:00:00`);
      if (method !== 'face') {
        return [accept('lock-b1-102', accessPayload(`o-${d}-${r}`, t, `resident-${r}`, { method }))];
      }
      return [
        accept('gate-b1', facePayload(`f-${d}-${r}`, t, `L-${r}`, true)),
        accept('lock-b1-102', accessPayload(`o-${d}-${r}`, t + 30_000, undefined, { method: 'password' })),
      ];
    }),
  );
}

async function outcome(method: 'fingerprint' | 'card' | 'face') {
  const keys = createKeys(`${ctx.prefix}:${method}`);
  const store = new RedisCorrelationStore({ redis: ctx.redis, keys, detection: () => detection() });
  await applyInOrder(store, trace(method));
  const signals = await store.readUnit(estate, unit);
  if (!signals) throw new Error('no signals');
  const decisions = decideForUnit(estate, signals, detection(), at(3, '23:00:00'));
  return {
    people: Math.max(signals.credentials.active, signals.faces.knownResidents + signals.faces.unknownResidents),
    alerts: decisions.map((dec) =>
      dec.action === 'raise'
        ? `${dec.draft.kind}:${dec.draft.severity}:${dec.draft.estimate?.people}:${dec.draft.estimate?.confidence}`
        : `clear:${dec.kind}`,
    ),
  };
}

describe('entry-method parity', () => {
  it('counts and alerts the same for residents identified by fingerprint, by card and by face', async () => {
    const byFingerprint = await outcome('fingerprint');
    const byCard = await outcome('card');
    const byFace = await outcome('face');
    expect(byFingerprint.people).toBe(5);
    expect(byCard).toEqual(byFingerprint);
    expect(byFace).toEqual(byFingerprint);
    expect(byFace.alerts).toContain('group-rental-suspected:high:5:0.7');
  });
});

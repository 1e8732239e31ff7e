import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { eventHash } from '../../../src/adapters/redis/idempotency.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import {
  accept,
  accessPayload,
  alarmPayload,
  at,
  DAY0,
  detection,
  facePayload,
  iso,
} from '../../helpers/core-fixtures.js';
import { applyInOrder, keysUnder, useRedis } from '../../helpers/redis.js';

/** Exactly once through the store: every kind of device, across days, buckets and the edge of the window. */
const ctx = useRedis();
const store = () => new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection() });
const statuses = (outcomes: StoreOutcome[]) => outcomes.map((o) => o.status);

const face = (id: string, day: number, time = '08:00:00', gate = 'gate-b1') =>
  accept(gate, facePayload(id, at(day, time), `P-${id}`, false));
const open = (id: string, day: number, time = '08:00:00') =>
  accept('lock-b1-101', accessPayload(id, at(day, time), 'card-1'));
const passage = (id: string, day: number) =>
  accept('stair-b1-1', { id, seq: 1, ts: iso(at(day)), type: 'passage', in: 1, out: 0, periodS: 300 });

describe('idempotency through the store', () => {
  it('spreads a gate over its buckets and counts every face once, whatever the order of redeliveries', async () => {
    const s = store();
    const faces = Array.from({ length: 300 }, (_, i) =>
      face(`f-${i}`, i % 3, `08:${String(i % 60).padStart(2, '0')}:00`),
    );
    expect(new Set(statuses(await applyInOrder(s, faces)))).toEqual(new Set(['counted']));
    const again = await s.applyEvents([...faces].reverse());
    expect(new Set(statuses(again))).toEqual(new Set(['duplicate']));
    const buckets = (await keysUnder(ctx.prefix, ctx.redis)).filter((k) => k.includes(':seen:gate-b1:'));
    expect(buckets.length).toBeGreaterThan(16);
    expect(buckets.length).toBeLessThanOrEqual(32);
    const bytes = await Promise.all(buckets.map(async (k) => ((await ctx.redis.getBuffer(k)) as Buffer).length));
    // three day sections at most per bucket, eight bytes a header and a face
    const total = bytes.reduce((a, b) => a + b, 0);
    expect(total - 300 * 8).toBeLessThanOrEqual(buckets.length * 3 * 8);
  });

  it('recognises a lock event redelivered after a day boundary, with the unit unchanged', async () => {
    const s = store();
    const [first] = await s.applyEvents([open('o-1', 0)]);
    await applyInOrder(s, [open('o-2', 1), open('o-3', 2, '21:00:00')]);
    const [again] = await s.applyEvents([open('o-1', 0)]);
    expect(first?.status).toBe('counted');
    expect(again?.status).toBe('duplicate');
    expect(again && 'units' in again && again.units[0]?.openings.identified).toBe(3);
  });

  it('counts a late first delivery inside the window and refuses one from before it, for every kind', async () => {
    const s = store();
    // a gate's buckets keep their windows apart: the old face must share the bucket that saw day 20
    const inBucketOf = (id: string) => (other: string) =>
      eventHash('gate-b1', other, 'face-gate').bucket === eventHash('gate-b1', id, 'face-gate').bucket;
    const oldFace = Array.from({ length: 1000 }, (_, i) => `f-old-${i}`).find(inBucketOf('f-new')) as string;
    await applyInOrder(s, [face('f-new', 20), passage('p-new', 20), open('o-new', 20)]);
    const late = await applyInOrder(s, [face('f-late', 7), passage('p-late', 7), open('o-late', 7)]);
    expect(statuses(late)).toEqual(['counted', 'counted', 'counted']);
    const early = await applyInOrder(s, [face(oldFace, 6), passage('p-old', 6), open('o-old', 6)]);
    expect(early).toEqual([
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
    ]);
    const lateAgain = await applyInOrder(s, [face('f-late', 7), passage('p-late', 7), open('o-late', 7)]);
    expect(statuses(lateAgain)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('keeps idempotency per device: an alarm id reused by another device is another event', async () => {
    const s = store();
    const smoke = accept('smoke-b1-101', alarmPayload('a-1', at(0), 'smoke', true));
    const tamper = accept('gate-b1', alarmPayload('a-1', at(0), 'tamper', true));
    expect(statuses(await applyInOrder(s, [smoke, tamper, smoke, tamper]))).toEqual([
      'counted',
      'counted',
      'duplicate',
      'duplicate',
    ]);
  });
});

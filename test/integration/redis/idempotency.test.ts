import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { SEQ_BLOCK } from '../../../src/adapters/redis/idempotency.js';
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

// each device's events carry their own seq: its blocks, not a test-wide counter, decide which bucket they share
const face = (id: string, day: number, time = '08:00:00', gate = 'gate-b1', seq = 1) =>
  accept(gate, { ...facePayload(id, at(day, time), `P-${id}`, false), seq });
const open = (id: string, day: number, time = '08:00:00', seq = 1) =>
  accept('lock-b1-101', { ...accessPayload(id, at(day, time), 'card-1'), seq });
const passage = (id: string, day: number, seq = 1) =>
  accept('stair-b1-1', { id, seq, ts: iso(at(day)), type: 'passage', in: 1, out: 0, periodS: 300 });

describe('idempotency through the store', () => {
  it('keeps a busy gate in blocks of its seq numbers and counts every face once, whatever the order of redeliveries', async () => {
    const s = store();
    const faces = Array.from({ length: 300 }, (_, i) =>
      face(`f-${i}`, i % 3, `08:${String(i % 60).padStart(2, '0')}:00`, 'gate-b1', 1000 + i),
    );
    expect(new Set(statuses(await applyInOrder(s, faces)))).toEqual(new Set(['counted']));
    const again = await s.applyEvents([...faces].reverse());
    expect(new Set(statuses(again))).toEqual(new Set(['duplicate']));
    // seq 1000–1299 fill the blocks from 1000's to 1299's, each block a 4-byte header and 6 bytes a seq up to the
    // highest seq written in it: the first block is full from 1000's slot on, the last up to 1299's
    const first = Math.floor(1000 / SEQ_BLOCK);
    const last = Math.floor(1299 / SEQ_BLOCK);
    const blocks = (await keysUnder(ctx.prefix, ctx.redis)).filter((k) => /:ids:gate-b1:\d+$/.test(k));
    const byBlock = new Map<number, number>();
    for (const k of blocks) byBlock.set(Number(k.split(':').at(-1)), ((await ctx.redis.getBuffer(k)) as Buffer).length);
    expect([...byBlock.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
    );
    for (const [block, length] of byBlock)
      expect(length).toBe(4 + 6 * (block === last ? (1299 % SEQ_BLOCK) + 1 : SEQ_BLOCK));
  });

  it('recognises a redelivery with the first delivery, even when the device has counted blocks of events since', async () => {
    const s = store();
    const first = face('f-early', 0, '08:00:00', 'gate-b1', 5);
    const later = Array.from({ length: 400 }, (_, i) => face(`f-later-${i}`, 1, '09:00:00', 'gate-b1', 6 + i));
    await applyInOrder(s, [first, ...later]);
    expect(statuses(await s.applyEvents([first]))).toEqual(['duplicate']);
  });

  it('counts a device whose seq restarted at 0 (factory reset): same blocks, other ids', async () => {
    const s = store();
    const before = [face('f-a', 0, '08:00:00', 'gate-b1', 0), face('f-b', 0, '08:01:00', 'gate-b1', 1)];
    const after = [face('f-c', 1, '08:00:00', 'gate-b1', 0), face('f-d', 1, '08:01:00', 'gate-b1', 1)];
    expect(statuses(await applyInOrder(s, [...before, ...after]))).toEqual([
      'counted',
      'counted',
      'counted',
      'counted',
    ]);
    expect(statuses(await applyInOrder(s, [...after, ...before]))).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
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
    // all in one block of each device (seq 1–3), so the block has seen day 20 when the day-6 events come
    await applyInOrder(s, [face('f-new', 20), passage('p-new', 20), open('o-new', 20)]);
    const late = await applyInOrder(s, [
      face('f-late', 7, '08:00:00', 'gate-b1', 2),
      passage('p-late', 7, 2),
      open('o-late', 7, '08:00:00', 2),
    ]);
    expect(statuses(late)).toEqual(['counted', 'counted', 'counted']);
    const early = await applyInOrder(s, [
      face('f-old', 6, '08:00:00', 'gate-b1', 3),
      passage('p-old', 6, 3),
      open('o-old', 6, '08:00:00', 3),
    ]);
    expect(early).toEqual([
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
      { status: 'outside-window', windowFromDay: DAY0 + 7 },
    ]);
    const lateAgain = await applyInOrder(s, [
      face('f-late', 7, '08:00:00', 'gate-b1', 2),
      passage('p-late', 7, 2),
      open('o-late', 7, '08:00:00', 2),
    ]);
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

import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { SEQ_BLOCK } from '../../../src/adapters/redis/idempotency.js';
import type { AcceptedEvent } from '../../../src/core/intake.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import { accept, at, DAY0, detection, facePayload, tinyEstate } from '../../helpers/core-fixtures.js';
import { applyInOrder, keysUnder, useRedis } from '../../helpers/redis.js';

/**
 * Idempotency blocks retired by event time (retireBlocks-17.lua): a device's blocks whose newest day has left the
 * window go once its events reach a newer day, while every event is still counted once.
 */
const ctx = useRedis();
const WINDOW = 7;
const store = () =>
  new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection({ windowDays: WINDOW }) });
const statuses = (outcomes: StoreOutcome[]) => [...new Set(outcomes.map((o) => o.status))];
// one estate object for the whole test, as the gateway's registry holds one
const estate = tinyEstate();
const PER_DAY = 200; // more than a block a day: a busy gate

const faces = (days: number, seqFrom = 0): AcceptedEvent[] =>
  Array.from({ length: days * PER_DAY }, (_, i) => {
    const day = Math.floor(i / PER_DAY);
    const minute = String(i % 60).padStart(2, '0');
    const ms = at(day, `${String(8 + ((i % PER_DAY) % 12)).padStart(2, '0')}:${minute}:00`);
    return accept(
      'gate-main',
      { ...facePayload(`f-${seqFrom + i}`, ms, `P-${i % 40}`, false), seq: seqFrom + i },
      estate,
    );
  });
const blocks = async () =>
  (await keysUnder(ctx.prefix, ctx.redis))
    .filter((k) => /:ids:gate-main:\d+$/.test(k))
    .map((k) => Number(k.split(':').at(-1)))
    .sort((a, b) => a - b);
const blockOf = (seq: number) => Math.floor(seq / SEQ_BLOCK);

describe('idempotency blocks retired by event time', () => {
  it("keeps a busy gate's blocks of the window only, and still counts every event of the window once", async () => {
    const s = store();
    const stream = faces(20);
    expect(statuses(await applyInOrder(s, stream))).toEqual(['counted']);
    // the window of day 19 starts on day 13: blocks holding only older days are gone, the one holding day 12's
    // last events and day 13's first stays
    const firstKept = blockOf(13 * PER_DAY);
    const last = blockOf(20 * PER_DAY - 1);
    expect(await blocks()).toEqual(Array.from({ length: last - firstKept + 1 }, (_, i) => firstKept + i));
    // the window's events are all still known; those before it are refused, never counted again
    expect(statuses(await s.applyEvents(stream.slice(13 * PER_DAY)))).toEqual(['duplicate']);
    expect(statuses(await s.applyEvents(stream.slice(0, 12 * PER_DAY)))).toEqual(['outside-window']);
    expect(await blocks()).toEqual(Array.from({ length: last - firstKept + 1 }, (_, i) => firstKept + i));
  });

  it('refuses a first delivery older than the window of the device, where its block is gone', async () => {
    const s = store();
    await applyInOrder(s, faces(10));
    const late = accept('gate-main', { ...facePayload('late', at(1), 'P-late', false), seq: 5 }, estate);
    expect(await s.applyEvents([late])).toEqual([{ status: 'outside-window', windowFromDay: DAY0 + 10 - WINDOW }]);
    expect(await blocks()).not.toContain(0);
  });

  it('carries on, in a second instance, from the block the first one retired up to', async () => {
    const [a, b] = [store(), store()];
    const stream = faces(16);
    await applyInOrder(a, stream.slice(0, 10 * PER_DAY));
    expect((await blocks())[0]).toBe(blockOf(3 * PER_DAY));
    await applyInOrder(b, stream.slice(10 * PER_DAY));
    expect((await blocks())[0]).toBe(blockOf(9 * PER_DAY));
    expect(statuses(await a.applyEvents(stream.slice(9 * PER_DAY)))).toEqual(['duplicate']);
  });

  it('leaves the blocks of a run before a factory reset to their TTL', async () => {
    const s = store();
    await applyInOrder(s, faces(3, 5 * SEQ_BLOCK));
    const reset = Array.from({ length: 3 * PER_DAY }, (_, i) => {
      const day = 3 + Math.floor(i / PER_DAY);
      return accept(
        'gate-main',
        { ...facePayload(`r-${i}`, at(day, '09:00:00') + i * 1000, 'P-r', false), seq: i },
        estate,
      );
    });
    expect(statuses(await applyInOrder(s, reset))).toEqual(['counted']);
    const kept = await blocks();
    expect(kept).toContain(blockOf(5 * SEQ_BLOCK)); // the old run's first block: not walked, expires by TTL
    expect(
      await ctx.redis.pttl(`${ctx.keys.seen(estate.id, undefined, 'gate-main', blockOf(5 * SEQ_BLOCK))}`),
    ).toBeGreaterThan(0);
  });

  it('stays correct with the state of a device written before blocks were retired', async () => {
    const s = store();
    await applyInOrder(s, faces(2));
    const device = ctx.keys.deviceStatus(estate.id, undefined, 'gate-main');
    const state = (await ctx.redis.hget(device, 'seq')) as string;
    await ctx.redis.hset(device, 'seq', state.split(' ').slice(0, 8).join(' '));
    const next = faces(12).slice(2 * PER_DAY);
    expect(statuses(await applyInOrder(s, next))).toEqual(['counted']);
    // the state starts again at the block of the first event after the upgrade: the older ones wait for their TTL
    expect((await blocks())[0]).toBe(0);
  });
});

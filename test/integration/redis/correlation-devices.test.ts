import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import { accept, alarmPayload, at, detection, iso } from '../../helpers/core-fixtures.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const store = () => new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection() });

let n = 0;
const smoke = (time: string, active: boolean, id = `a-${n++}`) =>
  accept('smoke-b1-101', alarmPayload(id, at(0, time), 'smoke', active));
const alarmOf = (o: StoreOutcome | undefined) => (o && 'alarm' in o ? o.alarm : undefined);

describe('RedisCorrelationStore: device alarms', () => {
  it('reports a raised alarm active since its event time', async () => {
    const [raised] = await store().applyEvents([smoke('02:00:00', true)]);
    expect(raised).toEqual({ status: 'counted', units: [], alarm: { active: true, sinceMs: at(0, '02:00:00') } });
  });

  it('keeps the newest state when an older clear arrives late', async () => {
    const s = store();
    await s.applyEvents([smoke('02:00:00', true)]);
    const [lateClear] = await s.applyEvents([smoke('01:00:00', false)]);
    expect(lateClear?.status).toBe('counted');
    expect(alarmOf(lateClear)).toEqual({ active: true, sinceMs: at(0, '02:00:00') });
  });

  it('clears the alarm with a newer clear', async () => {
    const s = store();
    await s.applyEvents([smoke('02:00:00', true)]);
    const [cleared] = await s.applyEvents([smoke('02:30:00', false)]);
    expect(alarmOf(cleared)).toEqual({ active: false, sinceMs: at(0, '02:30:00') });
  });

  it('keeps each alarm kind of a device apart', async () => {
    const s = store();
    await s.applyEvents([smoke('02:00:00', true)]);
    const [battery] = await s.applyEvents([
      accept('smoke-b1-101', alarmPayload('b-1', at(0, '03:00:00'), 'low-battery', false)),
    ]);
    expect(alarmOf(battery)).toEqual({ active: false, sinceMs: at(0, '03:00:00') });
    const [smokeAgain] = await s.applyEvents([smoke('01:00:00', false)]);
    expect(alarmOf(smokeAgain)?.active).toBe(true);
  });

  it('counts a redelivered alarm once and reports the current state', async () => {
    const s = store();
    await s.applyEvents([smoke('02:00:00', true, 'a-dup')]);
    await s.applyEvents([smoke('02:30:00', false)]);
    const [again] = await s.applyEvents([smoke('02:00:00', true, 'a-dup')]);
    expect(again).toEqual({ status: 'duplicate', units: [], alarm: { active: false, sinceMs: at(0, '02:30:00') } });
  });

  it('records alarms of an estate entrance gate, which belongs to no building', async () => {
    const [tamper] = await store().applyEvents([accept('gate-main', alarmPayload('t-1', at(0), 'tamper', true))]);
    expect(alarmOf(tamper)?.active).toBe(true);
    expect(await ctx.redis.exists(ctx.keys.alarms('tiny', undefined, 'gate-main'))).toBe(1);
  });
});

describe('RedisCorrelationStore: stairwell passages and statuses', () => {
  const passage = (id: string, time: string, inCount: number, outCount: number) =>
    accept('stair-b1-1', {
      id,
      seq: n++,
      ts: iso(at(0, time)),
      type: 'passage',
      in: inCount,
      out: outCount,
      periodS: 300,
    });

  it('adds counting periods to the floor and counts a redelivered period once', async () => {
    const s = store();
    const first = passage('p-1', '08:00:00', 4, 9);
    const outcomes = await s.applyEvents([first, passage('p-2', '08:05:00', 1, 0)]);
    const [again] = await s.applyEvents([passage('p-1', '08:00:00', 4, 9)]);
    expect(outcomes.map((o) => o.status)).toEqual(['counted', 'counted']);
    expect(again).toEqual({ status: 'duplicate', units: [] });
    const day = first.day;
    const totals = await ctx.redis.hgetall(ctx.keys.floorCounters('tiny', 'b1', 1));
    expect(totals).toEqual({ [`${day}|in`]: '5', [`${day}|out`]: '9' });
  });

  it('writes every key of a mixed batch with a TTL of at least the window', async () => {
    await store().applyEvents([smoke('02:00:00', true), passage('p-1', '08:00:00', 1, 1)]);
    const keys = [...ctx.touched].filter((k) => k.startsWith(`${ctx.prefix}:`));
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) {
      const ttl = await ctx.redis.pttl(key);
      if (ttl === -2) continue; // read but never written
      expect(ttl, key).toBeGreaterThan(14 * 86_400_000);
    }
  });
});

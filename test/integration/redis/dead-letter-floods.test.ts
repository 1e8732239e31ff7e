import { describe, expect, it } from 'vitest';
import { RedisDeadLetters } from '../../../src/adapters/redis/dead-letter-store.js';
import type { FloodRecord } from '../../../src/core/flood-records.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const T0 = Date.parse('2026-11-26T08:00:00Z');
const deadLetters = (maxLen = 1000) =>
  new RedisDeadLetters({ redis: ctx.redis, keys: ctx.keys, retentionDays: 14, maxLen, floodRecordMs: 1000 });

const flood = (deviceId: string, count: number, firstSeq: number, over: Partial<FloodRecord> = {}): FloodRecord => ({
  estateId: 'tiny',
  deviceId,
  topic: `linli/v1/tiny/${deviceId}/event`,
  count,
  first: { seq: firstSeq, id: `e-${firstSeq}` },
  last: { seq: firstSeq + count - 1, id: `e-${firstSeq + count - 1}` },
  preview: `{"seq":${firstSeq}}`,
  ...over,
});

describe('RedisDeadLetters floods', () => {
  it('counts every dropped message but appends one dead letter per device a second', async () => {
    const dl = deadLetters();
    // 200 batches of 25 over two seconds: 5,000 messages
    for (let i = 0; i < 200; i++) await dl.recordFloods([flood('gate-b1', 25, i * 25)], T0 + i * 10);
    expect((await dl.counts())['device-flood']).toBe(5000);
    const letters = await dl.list({ limit: 100 });
    // the record opened at T0 is appended by the batch at T0+1000, the next one by the flush after the last batch
    expect(letters).toHaveLength(1);
    await dl.flushFloods(T0 + 1999);
    expect(await dl.list({ limit: 100 })).toHaveLength(1);
    await dl.flushFloods(T0 + 2010);
    const [second, first] = await dl.list({ limit: 100 });
    expect(first).toMatchObject({
      reason: 'device-flood',
      estateId: 'tiny',
      deviceId: 'gate-b1',
      topic: 'linli/v1/tiny/gate-b1/event',
      preview: '{"seq":0}',
      count: 101 * 25,
    });
    expect(first?.detail).toBe(
      `2525 messages over the device's rate limit dropped unread between ${new Date(T0).toISOString()} and ${new Date(T0 + 1000).toISOString()}; first: seq 0, id "e-0"; last: seq 2524, id "e-2524"`,
    );
    expect(second).toMatchObject({ count: 99 * 25, preview: '{"seq":2525}' });
    expect((first?.count ?? 0) + (second?.count ?? 0)).toBe(5000);
  });

  it('keeps devices apart, and names neither estate nor device that the registry did not know', async () => {
    const dl = deadLetters();
    await dl.recordFloods(
      [
        flood('gate-b1', 3, 0),
        flood('lock-b1-101', 2, 10),
        flood('', 4, 0, { deviceId: undefined, first: {}, last: {} }),
        flood('', 1, 0, { estateId: undefined, deviceId: undefined, topic: 'linli/v1/nowhere/x/event' }),
      ],
      T0,
    );
    await dl.flushFloods(T0 + 1000);
    const letters = await dl.list({ limit: 10 });
    expect(letters.map((l) => [l.estateId, l.deviceId, l.count]).sort()).toEqual(
      [
        ['tiny', 'gate-b1', 3],
        ['tiny', 'lock-b1-101', 2],
        ['tiny', undefined, 4],
        [undefined, undefined, 1],
      ].sort(),
    );
    expect(letters.find((l) => l.count === 4)?.detail).toContain('first: no seq or id');
    expect(await dl.counts()).toEqual({ 'device-flood': 10 });
  });

  it('lets a flood leave the other dead letters in the capped stream', async () => {
    const dl = deadLetters(100);
    await dl.record([
      { reason: 'invalid-json', detail: 'x', topic: 't', preview: '{', estateId: 'tiny', deviceId: 'gate-b1' },
    ]);
    // ten seconds of 1,000 a second in batches of 50
    for (let i = 0; i < 200; i++) await dl.recordFloods([flood('lock-b1-101', 50, i * 50)], T0 + i * 50);
    await dl.flushFloods(T0 + 20_000);
    const letters = await dl.list({ limit: 1000 });
    expect(letters.filter((l) => l.reason === 'device-flood').length).toBeLessThanOrEqual(11);
    expect(letters.some((l) => l.reason === 'invalid-json')).toBe(true);
    expect(await dl.counts()).toEqual({ 'invalid-json': 1, 'device-flood': 10_000 });
  });

  it('expires the open records with the dead letters', async () => {
    await deadLetters().recordFloods([flood('gate-b1', 1, 0)], T0);
    const ttl = await ctx.redis.pttl(ctx.keys.deadLetterFloods);
    expect(ttl).toBeGreaterThan(13 * 86_400_000);
  });
});

import { describe, expect, it } from 'vitest';
import { RedisDeadLetters } from '../../../src/adapters/redis/dead-letter-store.js';
import type { Rejection, RejectReason } from '../../../src/core/rejections.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const deadLetters = (maxLen = 1000) =>
  new RedisDeadLetters({ redis: ctx.redis, keys: ctx.keys, retentionDays: 14, maxLen });

const rejection = (reason: RejectReason, n: number, over: Partial<Rejection> = {}): Rejection => ({
  reason,
  detail: `detail ${n}`,
  topic: `linli/v1/tiny/dev-${n}/event`,
  estateId: 'tiny',
  deviceId: `dev-${n}`,
  preview: `{"n":${n}}`,
  ...over,
});

describe('RedisDeadLetters', () => {
  it('keeps every field of a rejection and lists the newest first', async () => {
    const dl = deadLetters();
    await dl.record([rejection('invalid-json', 1)]);
    await dl.record([rejection('unknown-device', 2), rejection('invalid-event', 3)]);
    const listed = await dl.list({ limit: 10 });
    expect(listed.map((d) => d.detail)).toEqual(['detail 3', 'detail 2', 'detail 1']);
    expect(listed[2]).toMatchObject({
      reason: 'invalid-json',
      detail: 'detail 1',
      topic: 'linli/v1/tiny/dev-1/event',
      estateId: 'tiny',
      deviceId: 'dev-1',
      preview: '{"n":1}',
    });
    expect(listed[2]?.id).toMatch(/^\d+-\d+$/);
    expect(Date.parse(listed[2]?.at as string)).not.toBeNaN();
  });

  it('omits the estate and device of a message whose topic named none', async () => {
    const dl = deadLetters();
    await dl.record([rejection('invalid-topic', 1, { estateId: undefined, deviceId: undefined, topic: 'junk' })]);
    const [letter] = await dl.list({ limit: 1 });
    expect(letter).not.toHaveProperty('estateId');
    expect(letter).not.toHaveProperty('deviceId');
    expect(letter?.topic).toBe('junk');
  });

  it('filters by reason and stops at the limit', async () => {
    const dl = deadLetters();
    await dl.record(Array.from({ length: 6 }, (_, i) => rejection(i % 2 ? 'invalid-json' : 'future-timestamp', i)));
    const json = await dl.list({ limit: 10, reason: 'invalid-json' });
    expect(json.map((d) => d.reason)).toEqual(['invalid-json', 'invalid-json', 'invalid-json']);
    expect(await dl.list({ limit: 2 })).toHaveLength(2);
    expect(await dl.list({ limit: 10, reason: 'store-error' })).toEqual([]);
  });

  it('pages through more than 200 entries without repeating one', async () => {
    const dl = deadLetters();
    await dl.record(Array.from({ length: 450 }, (_, i) => rejection(i === 0 ? 'outside-window' : 'invalid-json', i)));
    const all = await dl.list({ limit: 1000 });
    expect(all).toHaveLength(450);
    expect(new Set(all.map((d) => d.id)).size).toBe(450);
    expect((await dl.list({ limit: 5, reason: 'outside-window' })).map((d) => d.detail)).toEqual(['detail 0']);
  });

  it('counts rejections per reason', async () => {
    const dl = deadLetters();
    await dl.record([rejection('invalid-json', 1), rejection('invalid-json', 2), rejection('unknown-device', 3)]);
    await dl.record([rejection('invalid-json', 4)]);
    expect(await dl.counts()).toEqual({ 'invalid-json': 3, 'unknown-device': 1 });
  });

  it('reports no counts before the first rejection', async () => {
    expect(await deadLetters().counts()).toEqual({});
  });

  it('expires the stream and the counters after the retention', async () => {
    await deadLetters().record([rejection('invalid-json', 1)]);
    for (const key of [ctx.keys.deadLetters, ctx.keys.deadLetterCounts]) {
      const ttl = await ctx.redis.pttl(key);
      expect(ttl).toBeGreaterThan(13 * 86_400_000);
      expect(ttl).toBeLessThanOrEqual(14 * 86_400_000);
    }
  });
});

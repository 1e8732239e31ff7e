import { describe, expect, it } from 'vitest';
import { measureRedisMemory, usedMemory } from '../../../scripts/redis-memory/measure.js';
import { useRedis } from '../../helpers/redis.js';

/**
 * `npm run memory`'s breakdown against real Redis: every key under the prefix counted once, under its keys.ts kind,
 * and a key keys.ts does not build under a catch-all named after it.
 */
const ctx = useRedis();
const TTL = 60_000;

describe('Redis memory breakdown by key kind', () => {
  it('groups keys by the keys.ts builder that makes them, with their bytes, encodings and share a unit', async () => {
    const k = ctx.keys;
    const units = ['b1-101', 'b1-102'].map((u) => k.unit('e1', 'b1', u));
    for (const u of units) await ctx.redis.hset(u.cred, 'card-1', '20000:0', 'card-2', '20000:01');
    for (const u of units) await ctx.redis.pexpire(u.cred, TTL);
    await ctx.redis.set(k.seen('e1', 'b1', 'lock-b1-101', 0), Buffer.alloc(16), 'PX', TTL);
    await ctx.redis.set(`${ctx.prefix}:{e1/b1}:stray:thing`, 'x', 'PX', TTL);

    const report = await measureRedisMemory(ctx.redis, ctx.prefix, { units: 2 });

    const byKind = Object.fromEntries(report.kinds.map((kind) => [kind.kind, kind]));
    expect(Object.keys(byKind).sort()).toEqual(['other :{*}:stray', 'seen', 'unit.cred']);
    expect(byKind['unit.cred']).toMatchObject({ keys: 2, encodings: { listpack: 2 } });
    expect(byKind.seen).toMatchObject({ keys: 1, pattern: '<prefix>:{*/*}:ids:*:*' });
    expect(report.keys).toBe(4);
    expect(report.bytes).toBe(report.kinds.reduce((n, kind) => n + kind.bytes, 0));
    expect(report.bytesPerUnit).toBe(Math.round(report.bytes / 2));
    expect(await usedMemory(ctx.redis)).toBeGreaterThan(report.bytes);
  });
});

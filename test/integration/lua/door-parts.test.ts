import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.js';

/** door_write and door_range (scripts/includes/doorParts.lua) on their own: parts behave as the one ZSET did. */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/doorParts.lua', import.meta.url),
  'utf8',
);
const PARTS = 'local parts = { KEYS[1], KEYS[2], KEYS[3], KEYS[4] }\n';
const WRITE = `${INCLUDE}${PARTS}door_write(parts, tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), 60000)`;
const RANGE = `${INCLUDE}${PARTS}return door_range(parts, tonumber(ARGV[1]), tonumber(ARGV[2]))`;

const parts = () => [0, 1, 2, 3].map((i) => `${ctx.prefix}:{b1}:door-faces:${i}`);
const write = (ts: number, member: string, retention = 100_000) =>
  ctx.redis.eval(WRITE, 4, ...parts(), ts, member, retention);
const range = async (from: number, to: number) => (await ctx.redis.eval(RANGE, 4, ...parts(), from, to)) as string[];
const T = 1_800_000_000_000;

describe('door parts', () => {
  it('spreads members over the parts by their second and reads them back in time order', async () => {
    for (let s = 7; s >= 0; s--) await write(T + s * 1000, `${T + s * 1000}|k|p${s}`);
    const counts = await Promise.all(parts().map((k) => ctx.redis.zcard(k)));
    expect(counts).toEqual([2, 2, 2, 2]);
    expect(await range(T + 2000, T + 5000)).toEqual([2, 3, 4, 5].map((s) => `${T + s * 1000}|k|p${s}`));
  });

  it('orders members of the same time as one ZSET does, whatever part they sit in', async () => {
    await write(T, `${T}|u|b`);
    await write(T, `${T}|k|a`);
    expect(await range(T, T)).toEqual([`${T}|k|a`, `${T}|u|b`]);
  });

  it('trims every part to the retention on every write, as the one ZSET was', async () => {
    await write(T, 'old-0');
    await write(T + 1000, 'old-1');
    await write(T + 150_000, 'new', 100_000);
    expect(await range(0, T * 2)).toEqual(['new']);
    // parts left empty are gone, not kept as empty keys
    expect((await Promise.all(parts().map((k) => ctx.redis.exists(k)))).reduce((a, b) => a + b, 0)).toBe(1);
  });
});

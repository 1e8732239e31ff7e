import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.js';

/** day_set_add and day_sets_in (scripts/includes/daySets.lua) on their own, against real Redis. */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/daySets.lua', import.meta.url),
  'utf8',
);
const ADD = `${INCLUDE}
day_set_add(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], 60000)
return redis.call('HGET', KEYS[1], ARGV[1])`;
// reply: field, its days in the window (sorted), … for every field with days in from..to
const READ = `${INCLUDE}
local out = {}
for field, days in pairs(day_sets_in(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))) do
  out[#out + 1] = field
  out[#out + 1] = days.n .. ' days, last ' .. days.last
end
return out`;

const DAY = 20_000;
const key = () => `${ctx.prefix}:u:x:link`;
const add = async (field: string, day: number, window = 14) =>
  (await ctx.redis.eval(ADD, 1, key(), field, day, window)) as string;
const read = async (from: number, to: number) => {
  const flat = (await ctx.redis.eval(READ, 1, key(), from, to)) as string[];
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
};

describe('day sets', () => {
  it('keeps one char a day after the oldest day, each day once, in any order of arrival', async () => {
    await add('k|p', DAY + 3);
    await add('k|p', DAY + 1);
    await add('k|p', DAY + 3);
    expect(await add('k|p', DAY + 2)).toBe(`${DAY + 1}:012`);
  });

  it('forgets on add the days before the window of the day added', async () => {
    await add('k|p', DAY);
    await add('k|p', DAY + 1);
    expect(await add('k|p', DAY + 14)).toBe(`${DAY + 1}:0=`); // '=' is 48 + 13
    expect(await add('k|p', DAY + 40)).toBe(`${DAY + 40}:0`);
  });

  it('reads the days of the window, rewriting fields that lost days and deleting those left empty', async () => {
    await add('k|old', DAY);
    for (const d of [DAY + 2, DAY + 5, DAY + 9]) await add('k|p', d);
    expect(await read(DAY + 1, DAY + 5)).toEqual({ 'k|p': `2 days, last ${DAY + 5}` });
    // only the days before the window go: DAY + 9 stays, though after its end
    expect(await ctx.redis.hgetall(key())).toEqual({ 'k|p': `${DAY + 2}:037` });
    expect(await read(DAY + 10, DAY + 20)).toEqual({});
    expect(await ctx.redis.exists(key())).toBe(0);
  });

  it('stays within a listpack value for a person linked every day of a 14-day window', async () => {
    for (let d = 0; d < 14; d++) await add('k|1.abcdefghijklmnop', DAY + d);
    expect((await ctx.redis.hget(key(), 'k|1.abcdefghijklmnop'))?.length).toBe(20);
    expect(await ctx.redis.call('OBJECT', 'ENCODING', key())).toBe('listpack');
  });
});

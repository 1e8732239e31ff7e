import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.js';

/** record_entry and person_days (scripts/includes/faceEntries.lua) on their own, against real Redis. */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/faceEntries.lua', import.meta.url),
  'utf8',
);
const WINDOW = 14;
const RECORD = `${INCLUDE}
local day = tonumber(ARGV[2])
record_entry(KEYS[1], ARGV[1], day, ARGV[3] ~= '' and ARGV[3] or nil, day - ${WINDOW} + 1, 60000)
return redis.call('HGET', KEYS[1], ARGV[1])`;
// reply: days entered, then unit, days linked there, … (units sorted)
const DAYS = `${INCLUDE}
local entered, linked = person_days(KEYS[1], ARGV[1], tonumber(ARGV[2]))
local units = {}
for u in pairs(linked) do units[#units + 1] = u end
table.sort(units)
local out = { entered }
for _, u in ipairs(units) do out[#out + 1] = u; out[#out + 1] = linked[u] end
return out`;

const DAY = 20_000;
const key = () => `${ctx.prefix}:entries`;
const record = async (person: string, day: number, unit = '') =>
  (await ctx.redis.eval(RECORD, 1, key(), person, day, unit)) as string | null;
const days = async (person: string, from: number) => {
  const [entered, ...flat] = (await ctx.redis.eval(DAYS, 1, key(), person, from)) as (string | number)[];
  const linked: Record<string, number> = {};
  for (let i = 0; i < flat.length; i += 2) linked[flat[i] as string] = flat[i + 1] as number;
  return { entered, linked };
};

describe('face entries', () => {
  it('names each unit once and writes a char a day, with the indexes of the units linked that day', async () => {
    await record('k|p', DAY + 2);
    await record('k|p', DAY, 'b1-702');
    await record('k|p', DAY + 2, 'b1-1101');
    await record('k|p', DAY + 2, 'b1-702');
    expect(await record('k|p', DAY + 2)).toBe(`#${DAY}:b1-702+b1-1101:00,210`);
    expect(await days('k|p', DAY)).toEqual({ entered: 2, linked: { 'b1-1101': 1, 'b1-702': 2 } });
    expect(await days('k|p', DAY + 1)).toEqual({ entered: 1, linked: { 'b1-1101': 1, 'b1-702': 1 } });
  });

  it('keeps a resident linked home on every day of the window within a listpack value', async () => {
    for (let d = 0; d < WINDOW; d++) await record('k|1.abcdefghijklmnop', DAY + d, 'b12-1203');
    const value = (await ctx.redis.hget(key(), 'k|1.abcdefghijklmnop')) as string;
    expect(value.length).toBeLessThanOrEqual(64);
    expect(await ctx.redis.call('OBJECT', 'ENCODING', key())).toBe('listpack');
    expect(await days('k|1.abcdefghijklmnop', DAY)).toEqual({ entered: WINDOW, linked: { 'b12-1203': WINDOW } });
  });

  it('drops days before the window of the day recorded, and the units only they named', async () => {
    await record('k|p', DAY, 'b1-101');
    await record('k|p', DAY + 5, 'b1-102');
    expect(await record('k|p', DAY + WINDOW)).toBe(`#${DAY + 5}:b1-102:00,9`);
  });

  it('reads and rewrites values of the layout before it', async () => {
    await ctx.redis.hset(key(), 'k|old', `${DAY}:b1-101+b1-102,${DAY + 1},${DAY + 3}:b1-101`);
    expect(await days('k|old', DAY)).toEqual({ entered: 3, linked: { 'b1-101': 2, 'b1-102': 1 } });
    // a face seen again on a day already there is still rewritten in the new layout
    expect(await record('k|old', DAY + 1)).toBe(`#${DAY}:b1-101+b1-102:001,1,30`);
    expect(await days('k|old', DAY + 1)).toEqual({ entered: 2, linked: { 'b1-101': 1 } });
  });

  it('drops faces whose newest day has left the window on the first entry of a newer day', async () => {
    await record('u|courier', DAY);
    await ctx.redis.hset(key(), 'u|legacy', `${DAY}:b1-101`);
    await record('k|resident', DAY + 2);
    expect(await ctx.redis.hexists(key(), 'u|courier')).toBe(1);
    await record('k|resident', DAY + WINDOW);
    expect(await ctx.redis.hexists(key(), 'u|courier')).toBe(0);
    expect(await ctx.redis.hexists(key(), 'u|legacy')).toBe(0);
    expect(await record('k|resident', DAY + WINDOW)).toBe(`#${DAY + 2}::0,<`);
  });

  it('leaves out the units past the 208th a face was linked to, and still records its day', async () => {
    for (let u = 0; u < 210; u++) await record('u|cleaner', DAY, `b1-${u}`);
    const { entered, linked } = await days('u|cleaner', DAY);
    expect(entered).toBe(1);
    expect(Object.keys(linked)).toHaveLength(208);
  });
});

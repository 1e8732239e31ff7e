import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.js';

/** record_entry, link_face and person_days (scripts/includes/faceEntries.lua) on their own, against real Redis. */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/faceEntries.lua', import.meta.url),
  'utf8',
);
const WINDOW = 14;
const RECORD = `${INCLUDE}
local day = tonumber(ARGV[2])
local linked, newest = record_entry(KEYS[1], ARGV[1], day, ARGV[3] ~= '' and ARGV[3] or nil, day - ${WINDOW} + 1, 60000)
return { redis.call('HGET', KEYS[1], ARGV[1]), linked, newest or -1 }`;
const LINK = `${INCLUDE}
local day = tonumber(ARGV[2])
link_face(KEYS[1], KEYS[2], ARGV[1], day, ARGV[3], day - ${WINDOW} + 1, 60000, tonumber(ARGV[4]))
return redis.call('HGETALL', KEYS[2])`;
// reply: entered, days here, newest day here (or -1), most days elsewhere
const DAYS = `${INCLUDE}
local entered, here, last, elsewhere = person_days(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4],
  entry_unit_code(KEYS[1], ARGV[4], false))
return { entered, here, last or -1, elsewhere }`;

const DAY = 20_000;
const key = () => `${ctx.prefix}:{b1}:entries`;
const linkKey = () => `${ctx.prefix}:{b1}:link`;
const recordFull = async (person: string, day: number, unit = '') =>
  (await ctx.redis.eval(RECORD, 1, key(), person, day, unit)) as [string | null, number, number];
const record = async (person: string, day: number, unit = '') => (await recordFull(person, day, unit))[0];
const link = async (person: string, day: number, unit: string, minLinkDays = 3) =>
  (await ctx.redis.eval(LINK, 2, key(), linkKey(), person, day, unit, minLinkDays)) as string[];
const days = async (person: string, unit: string, from = DAY, to = DAY + 100) => {
  const [entered, here, last, elsewhere] = (await ctx.redis.eval(DAYS, 1, key(), person, from, to, unit)) as number[];
  return { entered, here, last, elsewhere };
};

describe('face entries', () => {
  it('numbers units once a building and writes a char a day, with the codes of the units linked that day', async () => {
    await record('k|p', DAY + 2);
    await record('k|p', DAY, 'b1-702');
    await record('k|p', DAY + 2, 'b1-1101');
    await record('k|p', DAY + 2, 'b1-702');
    // a day's codes in the order the units were linked
    expect(await record('k|p', DAY + 2)).toBe(`%${DAY}:00,210`);
    expect(await ctx.redis.hget(key(), '~units')).toBe('+b1-702+b1-1101+');
    // another face reuses the building's codes
    expect(await record('u|q', DAY + 1, 'b1-1101')).toBe(`%${DAY + 1}:01`);
    expect(await days('k|p', 'b1-702')).toEqual({ entered: 2, here: 2, last: DAY + 2, elsewhere: 1 });
    expect(await days('k|p', 'b1-1101')).toEqual({ entered: 2, here: 1, last: DAY + 2, elsewhere: 2 });
    expect(await days('k|p', 'b1-702', DAY + 1)).toEqual({ entered: 1, here: 1, last: DAY + 2, elsewhere: 1 });
    // days after the unit's window end count as entered and elsewhere, not here
    expect(await days('k|p', 'b1-702', DAY, DAY + 1)).toEqual({ entered: 2, here: 1, last: DAY, elsewhere: 1 });
    expect(await days('k|p', 'b9-999')).toEqual({ entered: 2, here: 0, last: -1, elsewhere: 2 });
  });

  it('returns the days kept that the face is linked to the unit, and the newest of them', async () => {
    await record('k|p', DAY + 5, 'b1-101');
    expect(await recordFull('k|p', DAY + 1, 'b1-101')).toEqual([`%${DAY + 1}:00,40`, 2, DAY + 5]);
    expect(await recordFull('k|p', DAY + 3, 'b1-102')).toEqual([`%${DAY + 1}:00,21,40`, 1, DAY + 3]);
    expect(await recordFull('k|p', DAY + 3)).toEqual([`%${DAY + 1}:00,21,40`, 0, -1]);
  });

  it('keeps a resident linked home on every day of the window within a listpack value', async () => {
    for (let d = 0; d < WINDOW; d++) await record('k|1.abcdefghijklmnop', DAY + d, 'b12-1203');
    const value = (await ctx.redis.hget(key(), 'k|1.abcdefghijklmnop')) as string;
    expect(value.length).toBeLessThanOrEqual(48);
    expect(await ctx.redis.call('OBJECT', 'ENCODING', key())).toBe('listpack');
    expect(await days('k|1.abcdefghijklmnop', 'b12-1203')).toMatchObject({ entered: WINDOW, here: WINDOW });
  });

  it('drops days before the window of the day recorded', async () => {
    await record('k|p', DAY, 'b1-101');
    await record('k|p', DAY + 5, 'b1-102');
    expect(await record('k|p', DAY + WINDOW)).toBe(`%${DAY + 5}:01,9`);
  });

  it('reads and rewrites values of the two layouts before it', async () => {
    await ctx.redis.hset(key(), 'k|named', `#${DAY}:b1-101+b1-102:001,1,30`);
    await ctx.redis.hset(key(), 'k|old', `${DAY}:b1-101+b1-102,${DAY + 1},${DAY + 3}:b1-101`);
    for (const person of ['k|named', 'k|old']) {
      expect(await days(person, 'b1-101')).toEqual({ entered: 3, here: 2, last: DAY + 3, elsewhere: 1 });
      expect(await days(person, 'b1-102')).toEqual({ entered: 3, here: 1, last: DAY, elsewhere: 2 });
    }
    // seen again on a day already there: rewritten all the same, the units given the building's codes
    expect(await record('k|named', DAY + 1)).toBe(`%${DAY}:001,1,30`);
    expect(await record('k|old', DAY + 1, 'b1-103')).toBe(`%${DAY}:001,12,30`);
    expect(await ctx.redis.hget(key(), '~units')).toBe('+b1-101+b1-102+b1-103+');
    expect(await days('k|old', 'b1-101')).toEqual({ entered: 3, here: 2, last: DAY + 3, elsewhere: 1 });
  });

  it('drops faces whose newest day has left the window on the first entry of a newer day', async () => {
    await record('u|courier', DAY);
    await ctx.redis.hset(key(), 'u|legacy', `${DAY}:b1-101`);
    await ctx.redis.hset(key(), 'u|named', `#${DAY}:b1-101:00`);
    await record('k|resident', DAY + 2, 'b1-101');
    expect(await ctx.redis.hexists(key(), 'u|courier')).toBe(1);
    await record('k|resident', DAY + WINDOW);
    for (const gone of ['u|courier', 'u|legacy', 'u|named']) expect(await ctx.redis.hexists(key(), gone)).toBe(0);
    expect(await record('k|resident', DAY + WINDOW)).toBe(`%${DAY + 2}:00,<`);
    // the building's own fields stay
    expect(await ctx.redis.hget(key(), '~units')).toBe('+b1-101+');
  });

  it('gives two-char codes past the 200th unit of a building, and leaves out units past the 1,864th', async () => {
    const units = Array.from({ length: 1_866 }, (_, u) => `b1-${u}`);
    const bulk = `${INCLUDE}
for i = 1, #ARGV do entry_unit_code(KEYS[1], ARGV[i], true) end`;
    await ctx.redis.eval(bulk, 1, key(), ...units.slice(0, 1_863));
    await record('u|cleaner', DAY, 'b1-199');
    await record('u|cleaner', DAY + 1, 'b1-200');
    await record('u|cleaner', DAY + 1, 'b1-1862');
    await record('u|cleaner', DAY + 2, 'b1-1863');
    await record('u|cleaner', DAY + 2, 'b1-1864');
    const value = (await ctx.redis.hget(key(), 'u|cleaner')) as string;
    expect(Buffer.from(value, 'latin1').length).toBeGreaterThan(0);
    expect(await days('u|cleaner', 'b1-199')).toEqual({ entered: 3, here: 1, last: DAY, elsewhere: 1 });
    expect(await days('u|cleaner', 'b1-200')).toEqual({ entered: 3, here: 1, last: DAY + 1, elsewhere: 1 });
    expect(await days('u|cleaner', 'b1-1862')).toEqual({ entered: 3, here: 1, last: DAY + 1, elsewhere: 1 });
    expect(await days('u|cleaner', 'b1-1863')).toEqual({ entered: 3, here: 1, last: DAY + 2, elsewhere: 1 });
    // the 1,866th unit has no code: its day is recorded, its link is not
    expect(await days('u|cleaner', 'b1-1864')).toEqual({ entered: 3, here: 0, last: -1, elsewhere: 1 });
    expect(await ctx.redis.hget(key(), '~units')).not.toContain('+b1-1864+');
  });
});

describe('link_face', () => {
  it('indexes a face in the unit from its second day linked there, under its newest day', async () => {
    expect(await link('u|t', DAY + 3, 'b1-101')).toEqual([]);
    // a neighbour's door the same day does not count towards this one
    expect(await link('u|t', DAY + 3, 'b1-102')).toEqual([]);
    // links arrive in any order: the newest day is kept
    expect(await link('u|t', DAY + 1, 'b1-101')).toEqual(['u|t', String(DAY + 3)]);
    expect(await link('u|t', DAY + 5, 'b1-101')).toEqual(['u|t', String(DAY + 5)]);
    expect(await link('u|t', DAY + 2, 'b1-101')).toEqual(['u|t', String(DAY + 5)]);
    expect(await ctx.redis.pttl(linkKey())).toBeGreaterThan(0);
  });

  it('indexes a face on its first day linked when one day is enough to live there', async () => {
    expect(await link('u|t', DAY, 'b1-101', 1)).toEqual(['u|t', String(DAY)]);
  });

  it('does not index a face whose days linked there have left the window', async () => {
    await link('u|t', DAY, 'b1-101');
    expect(await link('u|t', DAY + WINDOW, 'b1-101')).toEqual([]);
  });
});

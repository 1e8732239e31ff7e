import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.js';

/**
 * first_delivery (scripts/includes/idempotency.lua) called on its own, against real Redis: the bucket format, the
 * window it keeps in event time, and the byte boundaries of its 8-byte hashes.
 */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/idempotency.lua', import.meta.url),
  'utf8',
);
// reply: 1 first delivery, 0 duplicate, { -1, first day of the window } before the bucket's window
const CALL = `${INCLUDE}
local first, from_day = first_delivery(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
if first == nil then return { -1, from_day } end
return first and 1 or 0`;

const DAY = 20_000;
const WINDOW = 14;
const TTL = 60_000;
const bucket = () => `${ctx.prefix}:seen:dev:0`;
const deliver = async (hex: string, day: number, window = WINDOW): Promise<number | [number, number]> =>
  (await ctx.redis.eval(CALL, 1, bucket(), hex, day, window, TTL)) as number | [number, number];
const hex = (n: number) => n.toString(16).padStart(16, '0');

describe('idempotency buckets', () => {
  it('records a first delivery, recognises the redelivery, and keeps ids of different days apart', async () => {
    expect(await deliver(hex(1), DAY)).toBe(1);
    expect(await deliver(hex(1), DAY)).toBe(0);
    // the same hash on another day is another section: an id is looked up on its own day only
    expect(await deliver(hex(1), DAY + 1)).toBe(1);
    expect(await deliver(hex(1), DAY + 1)).toBe(0);
  });

  it('lays a bucket out as day sections, oldest first, eight bytes an event', async () => {
    await deliver(hex(0xa1), DAY + 2);
    await deliver(hex(0xb1), DAY);
    await deliver(hex(0xa2), DAY + 2);
    const raw = (await ctx.redis.getBuffer(bucket())) as Buffer;
    const header = (day: number, n: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(day + 2 ** 31, 0);
      b.writeUInt32BE(n, 4);
      return b.toString('hex');
    };
    expect(raw.toString('hex')).toBe(header(DAY, 1) + hex(0xb1) + header(DAY + 2, 2) + hex(0xa1) + hex(0xa2));
    expect(await ctx.redis.pttl(bucket())).toBeGreaterThan(TTL - 5000);
  });

  it('recognises a duplicate after a day boundary and a late one up to the last day of the window', async () => {
    expect(await deliver(hex(7), DAY)).toBe(1);
    for (let d = 1; d < WINDOW; d++) expect(await deliver(hex(100 + d), DAY + d)).toBe(1);
    // the newest day is DAY + 13: DAY is the window's first day, so its events are still known
    expect(await deliver(hex(7), DAY)).toBe(0);
    // a late first delivery inside the window is counted
    expect(await deliver(hex(8), DAY)).toBe(1);
    expect(await deliver(hex(8), DAY)).toBe(0);
  });

  it('forgets a day once the window has passed it, and refuses its events from then on', async () => {
    await deliver(hex(7), DAY);
    await deliver(hex(9), DAY + WINDOW); // DAY leaves the window
    const raw = (await ctx.redis.getBuffer(bucket())) as Buffer;
    expect(raw.length).toBe(16); // only DAY + 14's section is left
    expect(await deliver(hex(7), DAY)).toEqual([-1, DAY + 1]);
    expect(await deliver(hex(10), DAY)).toEqual([-1, DAY + 1]);
    expect(((await ctx.redis.getBuffer(bucket())) as Buffer).length).toBe(16);
  });

  it('matches whole hashes only, never eight bytes across two of them or a header', async () => {
    // hashes whose bytes, read across their boundary, spell the probe: 00..01|02..  -> 0102030405060708 straddles
    await deliver('ffffffffff010203', DAY);
    await deliver('0405060708ffffff', DAY);
    expect(await deliver('0102030405060708', DAY)).toBe(1);
    // a header's bytes (day + 2^31, count) are no hash either
    const header = Buffer.alloc(8);
    header.writeUInt32BE(DAY + 2 ** 31, 0);
    header.writeUInt32BE(3, 4);
    expect(await deliver(header.toString('hex'), DAY)).toBe(1);
    expect(await deliver('0102030405060708', DAY)).toBe(0);
  });

  it('holds thousands of ids in one day section, each once', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => hex(i * 0x9e3779b1 + 1));
    for (const id of ids) expect(await deliver(id, DAY)).toBe(1);
    const again = await Promise.all(ids.map((id) => deliver(id, DAY)));
    expect(again.every((r) => r === 0)).toBe(true);
    expect(((await ctx.redis.getBuffer(bucket())) as Buffer).length).toBe(8 + 8 * ids.length);
  });
});

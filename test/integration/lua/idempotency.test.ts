import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEQ_BLOCK } from '../../../src/adapters/redis/idempotency.js';
import { useRedis } from '../../helpers/redis.js';

/**
 * first_delivery (scripts/includes/idempotency.lua) called on its own, against real Redis: the block layout, the
 * slots of reused seq numbers, and the window it keeps in event time, per block and per device.
 */
const ctx = useRedis();
const INCLUDE = readFileSync(
  new URL('../../../src/adapters/redis/scripts/includes/idempotency.lua', import.meta.url),
  'utf8',
);
// reply: 1 first delivery, 0 duplicate, { -1, first day of the window } before the window
const CALL = `${INCLUDE}
local first, from_day = first_delivery(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]),
  tonumber(ARGV[5]))
if first == nil then return { -1, from_day } end
return first and 1 or 0`;

const DAY = 20_000;
const WINDOW = 14;
const TTL = 60_000;
const BLOCK = SEQ_BLOCK;
const blockKey = (block: number) => `${ctx.prefix}:ids:dev:${block}`;
const deliver = async (hex: string, seq: number, day: number): Promise<number | [number, number]> =>
  (await ctx.redis.eval(CALL, 1, blockKey(Math.floor(seq / BLOCK)), hex, seq, day, WINDOW, TTL)) as
    | number
    | [number, number];
// the hash's first 48 bits are what a block keeps: n goes there
const hex = (n: number) => `${n.toString(16).padStart(12, '0')}0000`;
const raw = async (block: number) => (await ctx.redis.getBuffer(blockKey(block))) as Buffer | null;
const dayHeader = (day: number) => (day + 2 ** 31).toString(16).padStart(8, '0');

describe('idempotency blocks', () => {
  it('agrees with the adapter on the size of a block', () => {
    expect(Number(/local IDEM_BLOCK = (\d+)/.exec(INCLUDE)?.[1])).toBe(SEQ_BLOCK);
  });

  it('records a first delivery in its seq slot and recognises the redelivery', async () => {
    expect(await deliver('abcdef0100000001', 3, DAY)).toBe(1);
    expect(await deliver('abcdef0100000001', 3, DAY)).toBe(0);
    // header (newest day), then slots 0–3: three empty, slot 3 holding the hash's first 48 bits
    expect((await raw(0))?.toString('hex')).toBe(`${dayHeader(DAY)}${'00'.repeat(18)}abcdef010000`);
    expect(await ctx.redis.pttl(blockKey(0))).toBeGreaterThan(TTL - 5000);
  });

  it('keeps a whole block in 6 bytes a seq, each event once, in any order', async () => {
    const seqs = Array.from({ length: BLOCK }, (_, i) => BLOCK + ((i * 37) % BLOCK));
    for (const seq of seqs) expect(await deliver(hex(seq * 0x9e3779b1 + 1), seq, DAY)).toBe(1);
    for (const seq of seqs) expect(await deliver(hex(seq * 0x9e3779b1 + 1), seq, DAY)).toBe(0);
    expect((await raw(1))?.length).toBe(4 + 6 * BLOCK);
  });

  it('counts another event on a used seq (a factory reset) once, kept whole beside the slots', async () => {
    const [a, b, c] = ['1111111100000001', '2222222200000002', '3333333300000003'];
    expect(await deliver(a, 5, DAY)).toBe(1);
    expect(await deliver(b, 5, DAY + 1)).toBe(1);
    expect(await deliver(c, 5, DAY + 1)).toBe(1);
    for (const h of [a, b, c]) expect(await deliver(h, 5, DAY + 1)).toBe(0);
    const block = await raw(0);
    expect(block?.length).toBe(4 + 6 * BLOCK + 2 * 6);
    expect(block?.subarray(4 + 6 * 5, 4 + 6 * 6).toString('hex')).toBe('111111110000');
    expect(block?.subarray(4 + 6 * BLOCK).toString('hex')).toBe('222222220000333333330000');
  });

  it('recognises an event resent under another seq of its block', async () => {
    expect(await deliver(hex(0x77), 10, DAY)).toBe(1);
    expect(await deliver(hex(0x77), 11, DAY)).toBe(0);
    expect(await deliver(hex(0x78), 11, DAY)).toBe(1);
  });

  it('matches whole records only, never 6 bytes across two of them', async () => {
    // two records whose bytes, read across their boundary, spell the probe: ffffffffff01|0203040506ff
    await deliver('ffffffffff010000', 0, DAY);
    await deliver('0203040506ff0000', 1, DAY);
    expect(await deliver('0102030405060000', 2, DAY)).toBe(1);
    expect(await deliver('0102030405060000', 2, DAY)).toBe(0);
  });

  it('keeps a hash whose first 48 bits are zero apart from an empty slot', async () => {
    expect(await deliver('000000000000beef', 9, DAY)).toBe(1);
    expect(await deliver('000000000000beef', 9, DAY)).toBe(0);
  });

  it('recognises a late event up to the first day of the window and refuses one before it', async () => {
    expect(await deliver(hex(1), 0, DAY)).toBe(1);
    expect(await deliver(hex(2), 1, DAY + WINDOW - 1)).toBe(1);
    expect(await deliver(hex(1), 0, DAY)).toBe(0);
    expect(await deliver(hex(3), 2, DAY)).toBe(1);
    expect(await deliver(hex(4), 3, DAY - 1)).toEqual([-1, DAY]);
  });

  it('keeps a block whole until its TTL, older days included, as long as it is written', async () => {
    expect(await deliver(hex(1), 0, DAY)).toBe(1);
    expect(await deliver(hex(2), 1, DAY + 3 * WINDOW)).toBe(1);
    // day DAY is two windows behind the block's newest day: refused, though its slot is still held
    expect(await deliver(hex(1), 0, DAY)).toEqual([-1, DAY + 2 * WINDOW + 1]);
    expect((await raw(0))?.subarray(4, 10).toString('hex')).toBe('000000000001');
  });

  it('moves a block’s newest day forward, never back', async () => {
    await deliver(hex(1), 0, DAY + 3);
    await deliver(hex(2), 1, DAY + 1);
    expect((await raw(0))?.subarray(0, 4).toString('hex')).toBe(dayHeader(DAY + 3));
    await deliver(hex(3), 2, DAY + 5);
    expect((await raw(0))?.subarray(0, 4).toString('hex')).toBe(dayHeader(DAY + 5));
  });
});

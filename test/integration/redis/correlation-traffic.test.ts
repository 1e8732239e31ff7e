import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import type { Unit } from '../../../src/core/estate.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import type { UnitSignals } from '../../../src/core/signals.js';
import { accept, accessPayload, at, detection, iso, tinyEstate } from '../../helpers/core-fixtures.js';
import { applyInOrder, useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const estate = tinyEstate();
const store = () => new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection() });
let seq = 1;

const open = (lock: string, id: string, day: number, credential?: string, time = '08:00:00') =>
  accept(lock, accessPayload(id, at(day, time), credential));
const passage = (id: string, day: number, inCount: number) =>
  accept('stair-b1-1', {
    id,
    seq: seq++,
    ts: iso(at(day, '20:00:00')),
    type: 'passage',
    in: inCount,
    out: 0,
    periodS: 900,
  });

function signalsOf(outcome: StoreOutcome | undefined): UnitSignals {
  if (outcome?.status !== 'counted') throw new Error(`expected counted, got ${JSON.stringify(outcome)}`);
  return outcome.units[0] as UnitSignals;
}

describe('RedisCorrelationStore: recent door traffic', () => {
  it('counts the recentDays complete days before the newest day, not the running day nor older ones', async () => {
    // day d has d + 1 openings of b1-101: 1 on day 0 … 6 on day 5; with recentDays 4, on day 5 the recent days are 1–4
    const events = [0, 1, 2, 3, 4, 5].flatMap((day) =>
      Array.from({ length: day + 1 }, (_, i) => open('lock-b1-101', `o-${day}-${i}`, day, i % 2 ? 'A' : undefined)),
    );
    const outcomes = await applyInOrder(store(), events);
    const last = signalsOf(outcomes.at(-1));
    // days 1–4: 2 + 3 + 4 + 5 = 14 openings; odd i carries a credential: 1 + 1 + 2 + 2 = 6 identified
    expect(last.recent).toEqual({ days: 4, identified: 6, anonymous: 8 });
    expect(last.openings.identified + last.openings.anonymous).toBe(21);
  });

  it('reads the same recent traffic back without an event', async () => {
    const s = store();
    await applyInOrder(s, [open('lock-b1-101', 'o-1', 0), open('lock-b1-101', 'o-2', 1, 'A')]);
    const read = await s.readUnit(estate, estate.units.get('b1-101') as Unit);
    expect(read?.recent).toEqual({ days: 4, identified: 0, anonymous: 1 });
  });
});

describe('RedisCorrelationStore: floor counters', () => {
  it("sums the floor's stairwell entries and every unit door's openings over the recent complete days", async () => {
    const s = store();
    await applyInOrder(s, [
      passage('p-0', 0, 50), // before the recent days when day 5 is the newest
      passage('p-2', 2, 7),
      passage('p-4', 4, 5),
      passage('p-5', 5, 100), // the running day
      open('lock-b1-102', 'n-2', 2, 'B'), // the neighbour on the same floor
      open('lock-b1-102', 'n-3', 3),
      open('lock-b1-101', 'o-4', 4, 'A'),
      open('lock-b1-201', 'x-4', 4, 'C'), // another floor
    ]);
    const [latest] = await s.applyEvents([open('lock-b1-101', 'o-5', 5, 'A')]);
    expect(signalsOf(latest).floor).toEqual({ stairsIn: 12, openings: 3 });
    const counters = await ctx.redis.hgetall(ctx.keys.floorCounters('tiny', 'b1', 1));
    expect(Object.keys(counters).filter((k) => k.endsWith('|open'))).toHaveLength(4);
  });

  it('counts a redelivered opening once on its floor, and a failed attempt not at all', async () => {
    const s = store();
    const first = open('lock-b1-101', 'o-1', 0, 'A');
    const failed = accept('lock-b1-101', accessPayload('f-1', at(0, '09:00:00'), 'Z', { ok: false }));
    await s.applyEvents([first, failed]);
    await s.applyEvents([first]);
    const counters = await ctx.redis.hgetall(ctx.keys.floorCounters('tiny', 'b1', 1));
    expect(counters).toEqual({ [`${first.day}|open`]: '1' });
  });

  it('forgets days that left the window when a new day is counted', async () => {
    const s = store();
    await applyInOrder(s, [open('lock-b1-101', 'o-0', 0, 'A'), passage('p-0', 0, 3), passage('p-20', 20, 1)]);
    const counters = await ctx.redis.hgetall(ctx.keys.floorCounters('tiny', 'b1', 1));
    const day20 = open('lock-b1-101', 'x', 20).day;
    expect(Object.keys(counters).sort()).toEqual([`${day20}|in`, `${day20}|out`]);
    expect(await ctx.redis.pttl(ctx.keys.floorCounters('tiny', 'b1', 1))).toBeGreaterThan(14 * 86_400_000);
  });
});

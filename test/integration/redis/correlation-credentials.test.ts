import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import type { Detection } from '../../../src/core/detection.js';
import type { Unit } from '../../../src/core/estate.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import type { UnitSignals } from '../../../src/core/signals.js';
import {
  accept,
  accessPayload,
  at,
  credentialPayload,
  DAY0,
  detection,
  tinyEstate,
} from '../../helpers/core-fixtures.js';
import { applyInOrder, useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const estate = tinyEstate();
const unit = estate.units.get('b1-101') as Unit;
const LOCK = 'lock-b1-101';

const storeWith = (d: Partial<Detection> = {}) =>
  new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection(d) });

function signalsOf(outcome: StoreOutcome | undefined): UnitSignals {
  if (!outcome || (outcome.status !== 'counted' && outcome.status !== 'duplicate')) {
    throw new Error(`expected unit signals, got ${JSON.stringify(outcome)}`);
  }
  return outcome.units[0] as UnitSignals;
}
const open = (id: string, day: number, credential: string | undefined, time = '08:00:00', method?: string) =>
  accept(LOCK, accessPayload(id, at(day, time), credential, { method }));

describe('RedisCorrelationStore: credentials', () => {
  it('counts a credential used on one day as used, not as a resident', async () => {
    const store = storeWith();
    const [, second] = await applyInOrder(store, [open('o-1', 0, 'A', '08:00:00'), open('o-2', 0, 'A', '19:00:00')]);
    expect(signalsOf(second).credentials).toEqual({ distinct: 1, active: 0, enrolled: 0, removed: 0 });
    expect(signalsOf(second).openings).toEqual({ identified: 2, anonymous: 0, failed: 0, night: 0 });
  });

  it('counts a credential used on two distinct days as an active resident', async () => {
    const store = storeWith();
    const outcomes = await applyInOrder(store, [open('o-1', 0, 'A'), open('o-2', 1, 'A'), open('o-3', 1, 'B')]);
    expect(signalsOf(outcomes[2]).credentials).toMatchObject({ distinct: 2, active: 1 });
    expect(signalsOf(outcomes[2]).window).toEqual({ days: 14, fromDay: DAY0 + 1 - 13, toDay: DAY0 + 1 });
  });

  it('stops counting a credential not used in the last recentDays days of the window', async () => {
    // A opens on days 0 and 1, then only B comes home: with recentDays 4, A still counts on day 4, not on day 5
    const store = storeWith({ recentDays: 4 });
    const days = [0, 1, 2, 3, 4, 5];
    const outcomes = await applyInOrder(store, [
      open('a-0', 0, 'A'),
      open('a-1', 1, 'A'),
      ...days.map((d) => open(`b-${d}`, d, 'B')),
    ]);
    expect(signalsOf(outcomes.at(-2)).credentials).toMatchObject({ distinct: 2, active: 2 });
    expect(signalsOf(outcomes.at(-1)).credentials).toMatchObject({ distinct: 2, active: 1 });
  });

  it('counts a redelivered event once and returns unchanged signals', async () => {
    const store = storeWith();
    const first = open('o-1', 0, 'A');
    const [counted] = await store.applyEvents([first]);
    const [again] = await store.applyEvents([open('o-1', 0, 'A')]);
    const [, inBatch] = await store.applyEvents([open('o-2', 0, 'B'), open('o-2', 0, 'B')]);
    expect(counted?.status).toBe('counted');
    expect(again?.status).toBe('duplicate');
    expect(signalsOf(again)).toEqual(signalsOf(counted));
    expect(inBatch?.status).toBe('duplicate');
    expect(signalsOf(inBatch).openings.identified).toBe(2);
  });

  it('keys idempotency on the device: the same id from another lock is another event', async () => {
    const store = storeWith();
    const [a] = await store.applyEvents([open('o-1', 0, 'A')]);
    const [b] = await store.applyEvents([accept('lock-b1-102', accessPayload('o-1', at(0), 'A'))]);
    expect([a?.status, b?.status]).toEqual(['counted', 'counted']);
  });

  describe('window edges (windowDays 7)', () => {
    const store = () => storeWith({ windowDays: 7 });

    it('counts an event on the first day of the window', async () => {
      const [, edge] = await applyInOrder(store(), [open('o-1', 10, 'A'), open('o-2', 10 - 7 + 1, 'B')]);
      expect(edge?.status).toBe('counted');
      expect(signalsOf(edge).credentials.distinct).toBe(2);
      expect(signalsOf(edge).window).toEqual({ days: 7, fromDay: DAY0 + 4, toDay: DAY0 + 10 });
    });

    it('refuses an event of the day before the window as outside-window, on every delivery', async () => {
      const s = store();
      const [, late] = await applyInOrder(s, [open('o-1', 10, 'A'), open('o-2', 10 - 7, 'B')]);
      expect(late).toEqual({ status: 'outside-window', windowFromDay: DAY0 + 4 });
      // idempotency keeps the window only: the redelivery is refused again, never counted
      const [replay] = await s.applyEvents([open('o-2', 10 - 7, 'B')]);
      expect(replay).toEqual({ status: 'outside-window', windowFromDay: DAY0 + 4 });
      expect((await s.readUnit(estate, unit))?.credentials.distinct).toBe(1);
    });

    it('drops the oldest day when an event of the next day moves the window', async () => {
      const s = store();
      await applyInOrder(s, [open('o-1', 4, 'old'), open('o-2', 4, 'old2', '21:00:00'), open('o-3', 10, 'A')]);
      expect((await s.readUnit(estate, unit))?.credentials.distinct).toBe(3);
      const [next] = await s.applyEvents([open('o-4', 11, 'A')]);
      expect(signalsOf(next).credentials).toMatchObject({ distinct: 1, active: 1 });
      expect(signalsOf(next).openings.identified).toBe(2);
      expect(signalsOf(next).window.fromDay).toBe(DAY0 + 5);
      const { cred, state } = ctx.keys.unit('tiny', 'b1', 'b1-101');
      // one field per credential, its days as "<base>:<char per day>": the two of day 4 are gone with it
      expect(Object.values(await ctx.redis.hgetall(cred))).toEqual([`${DAY0 + 10}:01`]);
      expect(await ctx.redis.hexists(state, `o:${DAY0 + 4}`)).toBe(0);
    });
  });

  it('no longer counts a credential removed after its last use', async () => {
    const store = storeWith();
    const before = await applyInOrder(store, [open('o-1', 0, 'A'), open('o-2', 1, 'A'), open('o-3', 1, 'B')]);
    expect(signalsOf(before[2]).credentials.active).toBe(1);
    const [removed] = await store.applyEvents([accept(LOCK, credentialPayload('c-1', at(2), 'removed', 'A'))]);
    expect(signalsOf(removed).credentials).toEqual({ distinct: 2, active: 0, enrolled: 0, removed: 1 });
  });

  it('counts a credential again when it is used on two days after its removal', async () => {
    const store = storeWith();
    const outcomes = await applyInOrder(store, [
      open('o-1', 0, 'A'),
      accept(LOCK, credentialPayload('c-1', at(1), 'removed', 'A')),
      accept(LOCK, credentialPayload('c-2', at(2), 'enrolled', 'A')),
      open('o-2', 3, 'A'),
      open('o-3', 4, 'A'),
    ]);
    expect(signalsOf(outcomes[4]).credentials).toEqual({ distinct: 1, active: 1, enrolled: 1, removed: 1 });
  });

  it.each(['password', 'key'])('counts a %s opening as anonymous, even when a credential is sent', async (method) => {
    const store = storeWith();
    const outcomes = await applyInOrder(store, [
      open('o-1', 0, undefined, '08:00:00', method),
      open('o-2', 1, 'slot-9', '08:00:00', method),
      open('o-3', 2, 'slot-9', '08:00:00', method),
    ]);
    expect(signalsOf(outcomes[2]).openings).toEqual({ identified: 0, anonymous: 3, failed: 0, night: 0 });
    expect(signalsOf(outcomes[2]).credentials.distinct).toBe(0);
  });

  it('counts openings between 23:00 and 05:00 local time as night-time openings', async () => {
    const store = storeWith();
    const times = ['22:59:59', '23:00:00', '02:30:00', '04:59:59', '05:00:00'];
    const outcomes = await applyInOrder(
      store,
      times.map((t, i) => open(`n-${i}`, 1, 'A', t)),
    );
    expect(signalsOf(outcomes.at(-1)).openings).toEqual({ identified: 5, anonymous: 0, failed: 0, night: 3 });
  });

  it('counts failed attempts apart from openings', async () => {
    const store = storeWith();
    const [failed] = await store.applyEvents([accept(LOCK, accessPayload('o-1', at(0), 'A', { ok: false }))]);
    expect(signalsOf(failed).openings).toEqual({ identified: 0, anonymous: 0, failed: 1, night: 0 });
    expect(signalsOf(failed).credentials.distinct).toBe(0);
  });

  it('reads nothing for a unit without events, and the newest signals for one with events', async () => {
    const store = storeWith();
    expect(await store.readUnit(estate, unit)).toBeUndefined();
    const [last] = await applyInOrder(store, [open('o-1', 0, 'A'), open('o-2', 1, 'A')]).then((o) => o.slice(-1));
    expect(await store.readUnit(estate, unit)).toEqual(signalsOf(last));
  });

  it('dead-letters an event whose script Redis refuses instead of retrying it forever', async () => {
    const store = storeWith();
    const event = open('o-1', 0, 'A');
    // the lock has one idempotency bucket (0); a hash where a string belongs makes the script fail on every try
    const seen = ctx.keys.seen('tiny', 'b1', LOCK, 0);
    await ctx.redis.hset(seen, 'not', 'a bucket');
    await ctx.redis.pexpire(seen, 60_000);
    const [outcome] = await store.applyEvents([event]);
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome?.status === 'failed' && outcome.detail).toMatch(/^redis refused: .*WRONGTYPE/);
  });
});

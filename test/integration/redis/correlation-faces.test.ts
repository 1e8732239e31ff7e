import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import type { Detection } from '../../../src/core/detection.js';
import type { Unit } from '../../../src/core/estate.js';
import type { AcceptedEvent } from '../../../src/core/intake.js';
import type { StoreOutcome } from '../../../src/core/ports.js';
import {
  accept,
  accessPayload,
  at,
  credentialPayload,
  DAY0,
  detection,
  facePayload,
  tinyEstate,
} from '../../helpers/core-fixtures.js';
import { applyInOrder, useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const estate = tinyEstate();
const b1_101 = estate.units.get('b1-101') as Unit;

const storeWith = (d: Partial<Detection> = {}) =>
  new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection(d) });
const unitsOf = (o: StoreOutcome | undefined) => (o && 'units' in o ? o.units : []);
/** One day linked is enough to be counted among a unit's linked faces (by default it takes two: linkedFaceDays). */
const linkingStore = (d: Partial<Detection> = {}) => storeWith({ minLinkDays: 1, ...d });

let n = 0;
const face = (
  day: number,
  time: string,
  person = 'L-10293',
  opts: { known?: boolean; gate?: string; dir?: 'in' | 'out' } = {},
) =>
  accept(opts.gate ?? 'gate-b1', facePayload(`f-${n++}`, at(day, time), person, opts.known ?? true, opts.dir ?? 'in'));
const open = (day: number, time: string, lock = 'lock-b1-101', credential = 'A') =>
  accept(lock, accessPayload(`o-${n++}`, at(day, time), credential));
const byPassword = (day: number, time: string) =>
  accept('lock-b1-101', accessPayload(`o-${n++}`, at(day, time), undefined));

describe('RedisCorrelationStore: linking faces to units (linkGapS 180)', () => {
  it('links a face that entered the building door up to linkGapS before the opening', async () => {
    const [, opening] = await applyInOrder(linkingStore(), [face(0, '08:00:00'), open(0, '08:03:00')]);
    expect(unitsOf(opening)[0]?.faces).toMatchObject({ knownLinked: 1, unknownLinked: 0 });
  });

  it('does not link a face that entered one second more than linkGapS before the opening', async () => {
    const [, opening] = await applyInOrder(linkingStore(), [face(0, '08:00:00'), open(0, '08:03:01')]);
    expect(unitsOf(opening)[0]?.faces.knownLinked).toBe(0);
  });

  it('links a face that arrives after the opening it preceded', async () => {
    const store = linkingStore();
    const [, late] = await applyInOrder(store, [open(0, '08:01:40'), face(0, '08:00:00')]);
    expect(late?.status).toBe('counted');
    expect(unitsOf(late).map((u) => [u.unitId, u.faces.knownLinked])).toEqual([['b1-101', 1]]);
    expect((await store.readUnit(estate, b1_101))?.faces.knownLinked).toBe(1);
  });

  it('does not link a late face to an opening more than linkGapS after it', async () => {
    const [, late] = await applyInOrder(storeWith(), [open(0, '08:03:01'), face(0, '08:00:00')]);
    expect(unitsOf(late)).toEqual([]);
  });

  it('links a face and an opening on either side of the hour, in either order of arrival', async () => {
    const [, opening] = await applyInOrder(linkingStore(), [face(0, '08:59:00'), open(0, '09:01:00')]);
    expect(unitsOf(opening)[0]?.faces.knownLinked).toBe(1);
    const [, late] = await applyInOrder(linkingStore(), [open(1, '09:01:00'), face(1, '08:59:00', 'L-2')]);
    expect(unitsOf(late).map((u) => u.unitId)).toEqual(['b1-101']);
  });

  it("keeps a building's door faces and openings an hour a listpack, in a ring of hours past the retention", async () => {
    const store = storeWith({ linkRetentionH: 48 });
    await applyInOrder(store, [face(0, '08:10:00'), open(0, '08:11:00')]);
    const door = ctx.keys.doorHour(estate.id, 'b1', Math.floor(at(0, '08:10:00') / 3_600_000) % 50);
    expect(await ctx.redis.call('OBJECT', 'ENCODING', door)).toBe('listpack');
    expect(await ctx.redis.zcard(door)).toBe(2);
    // 50 hours later the same slot serves again, and drops the hour it held a ring ago
    await applyInOrder(store, [face(2, '10:20:00', 'L-3')]);
    const [member, score] = await ctx.redis.zrange(door, '0', '-1', 'WITHSCORES');
    expect(await ctx.redis.zcard(door)).toBe(1);
    expect(member).toMatch(/^f\d+\|k\|/);
    expect(score).toBe(String(at(2, '10:20:00')));
    expect(await ctx.redis.pttl(door)).toBeLessThanOrEqual(49 * 3_600_000);
  });

  it('links a face to every unit whose lock opened within the gap', async () => {
    const [, , late] = await applyInOrder(storeWith(), [
      open(0, '08:01:00', 'lock-b1-101'),
      open(0, '08:02:00', 'lock-b1-102'),
      face(0, '08:00:00'),
    ]);
    expect(
      unitsOf(late)
        .map((u) => u.unitId)
        .sort(),
    ).toEqual(['b1-101', 'b1-102']);
  });

  it('links nothing for a face leaving the building or seen at the estate entrance', async () => {
    const store = linkingStore();
    await applyInOrder(store, [
      face(0, '08:00:00', 'L-1', { dir: 'out' }),
      face(0, '08:00:30', 'L-2', { gate: 'gate-main' }),
    ]);
    const [opening] = await store.applyEvents([open(0, '08:01:00')]);
    expect(unitsOf(opening)[0]?.faces.knownLinked).toBe(0);
  });

  it('files a link under the day of the opening when the face came in before midnight', async () => {
    const [, opening] = await applyInOrder(linkingStore(), [face(0, '23:59:00'), open(1, '00:01:00')]);
    expect(unitsOf(opening)[0]?.window.toDay).toBe(DAY0 + 1);
    expect(unitsOf(opening)[0]?.faces.knownLinked).toBe(1);
  });

  it('counts a face among the linked ones from its second day linked, and keeps its first day in the building only', async () => {
    const store = storeWith();
    const [, first] = await applyInOrder(store, [face(0, '08:00:00'), open(0, '08:01:00')]);
    expect(unitsOf(first)[0]?.faces.knownLinked).toBe(0);
    const k = ctx.keys.unit(estate.id, 'b1', 'b1-101');
    expect(await ctx.redis.exists(k.link)).toBe(0);
    expect(await ctx.redis.hlen(ctx.keys.entries(estate.id, 'b1'))).toBeGreaterThan(0);
    const [, second] = await applyInOrder(store, [face(1, '08:00:00'), open(1, '08:01:00')]);
    expect(unitsOf(second)[0]?.faces.knownLinked).toBe(1);
    expect(await ctx.redis.hvals(k.link)).toEqual([String(DAY0 + 1)]);
  });

  it('counts a person linked on 3 distinct days as a resident', async () => {
    const events = [0, 1, 2].flatMap((d) => [face(d, '18:00:00'), open(d, '18:01:00')]);
    const outcomes = await applyInOrder(storeWith(), events);
    expect(unitsOf(outcomes.at(-1))[0]?.faces).toMatchObject({ knownResidents: 1, knownLinked: 1 });
  });

  it('does not count a person linked often but on only 2 days as a resident', async () => {
    const events = [0, 0, 1, 1].flatMap((d, i) => [face(d, `1${i}:00:00`), open(d, `1${i}:01:00`)]);
    const outcomes = await applyInOrder(storeWith(), events);
    expect(unitsOf(outcomes.at(-1))[0]?.faces).toMatchObject({ knownResidents: 0, knownLinked: 1 });
  });

  it('does not count a face linked on too small a share of the days it entered the building', async () => {
    // a neighbour who enters every day and happens to come in just before this door opens on 3 of 7 days
    const days = [0, 1, 2, 3, 4, 5, 6];
    const events = days.flatMap((d) => [face(d, '18:00:00'), open(d, d < 3 ? '18:01:00' : '08:00:00')]);
    const store = storeWith({ minLinkShare: 0.5 });
    await applyInOrder(store, events);
    expect((await store.readUnit(estate, b1_101))?.faces).toMatchObject({ knownResidents: 0, knownLinked: 1 });
    await applyInOrder(store, [open(6, '18:02:00')]);
    expect((await store.readUnit(estate, b1_101))?.faces).toMatchObject({ knownResidents: 1, knownLinked: 1 });
  });

  it('counts a person in the unit they are linked to on the most days, not in a neighbour linked less often', async () => {
    // every evening the person comes in; the neighbour's door (b1-102) opens a minute later on 4 of 6 days and
    // their own (b1-101) two minutes later on all 6: they live in b1-101 only
    const b1_102 = estate.units.get('b1-102') as Unit;
    const days = [0, 1, 2, 3, 4, 5];
    const events = days.flatMap((d) => [
      face(d, '18:00:00'),
      ...(d < 4 ? [open(d, '18:01:00', 'lock-b1-102', 'N')] : []),
      open(d, '18:02:00'),
    ]);
    const store = storeWith({ minLinkShare: 0.5 });
    await applyInOrder(store, events);
    expect((await store.readUnit(estate, b1_101))?.faces).toMatchObject({ knownResidents: 1 });
    expect((await store.readUnit(estate, b1_102))?.faces).toMatchObject({ knownResidents: 0, knownLinked: 1 });
  });

  it('stops counting a face not linked in the last recentDays days of the window', async () => {
    // a visitor linked on days 0-2 leaves; the door keeps opening: on day 6 (recentDays 4) the visitor no longer lives here
    const store = storeWith({ recentDays: 4 });
    const visit = [0, 1, 2].flatMap((d) => [face(d, '18:00:00', 'T-guest', { known: false }), open(d, '18:01:00')]);
    await applyInOrder(store, [...visit, open(5, '08:00:00')]);
    expect((await store.readUnit(estate, b1_101))?.faces).toMatchObject({ unknownResidents: 1 });
    await applyInOrder(store, [open(6, '08:00:00')]);
    expect((await store.readUnit(estate, b1_101))?.faces).toMatchObject({ unknownResidents: 0, unknownLinked: 1 });
  });

  it('stops counting faces last seen before credentials were removed, until they are linked again', async () => {
    // three tenants live here for three days; on day 3 the landlord removes a credential (they move out)
    const tenants = ['T-1', 'T-2', 'T-3'];
    const stay = [0, 1, 2].flatMap((d) => [
      ...tenants.map((t) => face(d, '18:00:00', t, { known: false })),
      open(d, '18:01:00'),
    ]);
    const store = storeWith();
    await applyInOrder(store, stay);
    expect((await store.readUnit(estate, b1_101))?.faces.unknownResidents).toBe(3);
    const removal = accept('lock-b1-101', credentialPayload(`r-${n++}`, at(3, '10:00:00'), 'removed', 'A'));
    await applyInOrder(store, [removal]);
    expect((await store.readUnit(estate, b1_101))?.faces.unknownResidents).toBe(0);
    // one of them comes back the next day: linked again, counted again
    await applyInOrder(store, [face(4, '18:00:00', 'T-1', { known: false }), open(4, '18:01:00')]);
    expect((await store.readUnit(estate, b1_101))?.faces.unknownResidents).toBe(1);
  });

  it('counts an unregistered face apart from registered ones', async () => {
    const events = [0, 1, 2].flatMap((d) => [face(d, '18:00:00', 'T-7f2c91', { known: false }), open(d, '18:01:00')]);
    const outcomes = await applyInOrder(storeWith(), events);
    expect(unitsOf(outcomes.at(-1))[0]?.faces).toEqual({
      knownResidents: 0,
      unknownResidents: 1,
      knownLinked: 0,
      unknownLinked: 1,
    });
  });

  it('links a redelivered face once and still reports the units it links to', async () => {
    const store = storeWith();
    const f = face(0, '08:00:00');
    const [, first] = await applyInOrder(store, [open(0, '08:01:00'), f]);
    const [again] = await store.applyEvents([f]);
    expect(again?.status).toBe('duplicate');
    expect(unitsOf(again)).toEqual(unitsOf(first));
  });
});

describe('RedisCorrelationStore: arrival order', () => {
  /** Four days of one household: two fingerprints, a password user, a visitor, a removal and a failed attempt. */
  function week(): AcceptedEvent[] {
    const events: AcceptedEvent[] = [];
    for (let d = 0; d < 4; d++) {
      events.push(face(d, '07:58:00', 'L-1'), open(d, '08:00:00', 'lock-b1-101', 'A'));
      events.push(face(d, '18:29:00', 'T-9', { known: false }), open(d, '18:30:00', 'lock-b1-101', 'B'));
      events.push(byPassword(d, '20:00:00'));
      events.push(accept('lock-b1-101', accessPayload(`x-${n++}`, at(d, '03:00:00'), 'Z', { ok: false })));
    }
    events.push(face(1, '12:00:00', 'L-2'), open(1, '12:02:00', 'lock-b1-101', 'C'));
    return events;
  }
  function shuffle<T>(items: T[], seed: number): T[] {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  it.each([1, 7, 42])(
    'gives the same final signals for shuffled events as for ordered ones (seed %i)',
    async (seed) => {
      const d = { linkRetentionH: 168 };
      const events = week();
      const ordered = storeWith(d);
      await applyInOrder(ordered, events);
      const keys = createKeys(`${ctx.prefix}:shuffled`);
      const shuffled = new RedisCorrelationStore({ redis: ctx.redis, keys, detection: () => detection(d) });
      await applyInOrder(shuffled, shuffle(events, seed));
      const expected = await ordered.readUnit(estate, b1_101);
      expect(expected).toMatchObject({
        credentials: { distinct: 3, active: 2 },
        // L-2, linked on one day only, is not among the linked faces
        faces: { knownResidents: 1, unknownResidents: 1, knownLinked: 1, unknownLinked: 1 },
        openings: { identified: 9, anonymous: 4, failed: 4 },
      });
      expect(await shuffled.readUnit(estate, b1_101)).toEqual(expected);
    },
  );
});

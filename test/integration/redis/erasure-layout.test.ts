import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import type { Unit } from '../../../src/core/estate.js';
import {
  accept,
  accessPayload,
  at,
  DAY0,
  detection,
  facePayload,
  fixedPseudonymiser,
  tinyEstate,
} from '../../helpers/core-fixtures.js';
import { applyInOrder, keysUnder, useRedis } from '../../helpers/redis.js';

/** Erasure against the compact layout: a person's face and credential leave no field, member or value behind. */
const ctx = useRedis();
const estate = tinyEstate();
const unit = estate.units.get('b1-101') as Unit;

/** Every field, member and value under the test prefix, as text. */
async function everything(): Promise<string> {
  const out: string[] = [];
  for (const key of await keysUnder(ctx.prefix, ctx.redis)) {
    const type = await ctx.redis.type(key);
    if (type === 'hash') out.push(JSON.stringify(await ctx.redis.hgetall(key)));
    else if (type === 'zset') out.push(JSON.stringify(await ctx.redis.zrange(key, '0', '-1')));
    else if (type === 'string') out.push((await ctx.redis.get(key)) ?? '');
    else out.push(`${key}: ${type}`);
  }
  return out.join('\n');
}

describe('erasure of the compact unit layout', () => {
  it('removes the face links and the credential day sets of a person from the unit and its building', async () => {
    const store = new RedisCorrelationStore({ redis: ctx.redis, keys: ctx.keys, detection: () => detection() });
    const days = [0, 1, 2, 3];
    await applyInOrder(
      store,
      days.flatMap((d) => [
        accept('gate-b1', facePayload(`f-${d}`, at(d, '08:00:00'), 'L-1', true)),
        accept('lock-b1-101', accessPayload(`o-${d}`, at(d, '08:00:30'), 'card-1')),
        accept('lock-b1-101', accessPayload(`p-${d}`, at(d, '19:00:30'), 'card-2')),
      ]),
    );
    const person = fixedPseudonymiser('tiny', 'person', 'L-1');
    const card = fixedPseudonymiser('tiny', 'cred:lock-b1-101', 'card-1');
    const other = fixedPseudonymiser('tiny', 'cred:lock-b1-101', 'card-2');
    const { link, cred } = ctx.keys.unit('tiny', 'b1', 'b1-101');
    // the unit indexes the face under its newest day linked (its days are in the building's entries), and keeps
    // one field per credential, its four days as "<first day>:0123"
    expect(await ctx.redis.hget(link, `k|${person}`)).toBe(String(DAY0 + 3));
    expect(await ctx.redis.hget(cred, card)).toBe(`${DAY0}:0123`);
    expect(Object.keys(await ctx.redis.hgetall(cred)).sort()).toEqual([card, other].sort());
    const before = await everything();
    expect(before).toContain(person);
    expect(before).toContain(card);

    const { removed, units } = await store.erase(estate, {
      personTag: `k|${person}`,
      credential: { unit, pseudonym: card },
    });
    expect(removed).toBeGreaterThanOrEqual(3);
    expect(units.map((u) => u.id)).toEqual(['b1-101']);
    const after = await everything();
    expect(after).not.toContain(person);
    expect(after).not.toContain(card);
    expect(after).toContain(other);
    expect((await store.readUnit(estate, unit))?.faces.knownLinked).toBe(0);
    expect((await store.readUnit(estate, unit))?.credentials.distinct).toBe(1);
  });
});

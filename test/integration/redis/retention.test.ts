import { describe, expect, it } from 'vitest';
import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { accept, accessPayload, at, detection, facePayload } from '../../helpers/core-fixtures.js';
import { applyInOrder, keysUnder, useRedis } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait.js';

const ctx = useRedis();

describe('retention of person-scoped state', () => {
  it('gives every key a TTL within the retention, and leaves nothing once it has passed', async () => {
    const retentionMs = 4000;
    const store = new RedisCorrelationStore({
      redis: ctx.redis,
      keys: ctx.keys,
      detection: () => detection(),
      retentionMs,
    });
    await applyInOrder(store, [
      accept('gate-b1', facePayload('f-1', at(0, '08:00:00'), 'L-1', true)),
      accept('lock-b1-102', accessPayload('o-1', at(0, '08:00:30'), 'resident-1')),
      accept('gate-main', facePayload('f-2', at(0, '08:01:00'), 'T-9', false)),
    ]);
    const keys = await keysUnder(ctx.prefix, ctx.redis);
    expect(keys.length).toBeGreaterThan(5);
    const ttls = await Promise.all(keys.map((k) => ctx.redis.pttl(k)));
    // -1: no TTL; -2: already expired (a slow machine), which is what retention asks
    expect(keys.filter((_, i) => ttls[i] === -1)).toEqual([]);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(retentionMs);
    await waitFor(
      async () => (await keysUnder(ctx.prefix, ctx.redis)).length === 0,
      'every key to expire',
      retentionMs + 5000,
    );
  });
});

import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/adapters/redis/connect.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import { defineScripts, scriptsOf } from '../../../src/adapters/redis/scripts.js';
import { keySlot } from '../../helpers/key-slot.js';
import { useRedis } from '../../helpers/redis.js';
import { type PrivateRedisCluster, startRedisCluster } from '../../helpers/redis-cluster.js';

/**
 * Every store test runs on one Redis whose test connection refuses a command with keys in different cluster slots
 * (test/helpers/redis.ts), so each script call they make is also proven to stay in one slot. This file proves that
 * guard against a real cluster: same slot numbers, and the same refusal.
 */
const ctx = useRedis({ verifyKeys: false });

describe('the cross-slot guard of the store tests', () => {
  let cluster: PrivateRedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = (await connectRedis({ url: '', cluster: cluster.nodes })) as Cluster;
    defineScripts(redis);
  }, 30_000);
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('computes the slot the cluster computes, hash tags included', async () => {
    const keys = createKeys('t');
    const samples = [
      keys.unit('hyxc', 'b7', '7-1203').state,
      keys.seen('hyxc', undefined, 'gate-main', 20_000),
      keys.alertStream,
      keys.deadLetters,
      keys.auditTip,
      keys.rateLimit('p:operator-1'),
      'no-tag',
      'empty{}tag',
      'two{a}{b}',
      'open{only',
      '{}{x}',
      'ünïcode{楼3}',
    ];
    const node = redis.nodes('master')[0];
    const real = await Promise.all(samples.map((k) => node?.cluster('KEYSLOT', k)));
    expect(samples.map((k) => keySlot(k))).toEqual(real);
  });

  it('refuses a script whose keys lie in two slots, as the cluster does', async () => {
    const keys = createKeys(ctx.prefix);
    const seq = keys.deviceStatus('tiny', 'b1', 'stair-b1-1');
    const crossing = [keys.seen('tiny', 'b1', 'stair-b1-1', 1), keys.floorCounters('tiny', 'b2', 1), seq];
    expect(keySlot(crossing[0] as string)).not.toBe(keySlot(crossing[1] as string));
    const args = ['e-1', 1, 1, 0, 14, 60_000, 128, 1_800_000_000_000];
    await expect(scriptsOf(ctx.redis).recordPassage(...(crossing as string[]), ...args)).rejects.toThrow(/CROSSSLOT/);
    // ioredis refuses it before sending when auto-pipelining; the server answers CROSSSLOT otherwise
    await expect(scriptsOf(redis).recordPassage(...(crossing as string[]), ...args)).rejects.toThrow(
      /CROSSSLOT|same slot/,
    );
    // the same call within one building passes both
    const within = [keys.seen('tiny', 'b1', 'stair-b1-1', 1), keys.floorCounters('tiny', 'b1', 1), seq];
    await expect(scriptsOf(ctx.redis).recordPassage(...within, ...args)).resolves.toEqual([0]);
    await expect(scriptsOf(redis).recordPassage(...within, ...args)).resolves.toEqual([0]);
  });
});

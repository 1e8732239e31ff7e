import type { Cluster, Redis } from 'ioredis';
import { scanKeys } from './scan-keys.js';

/**
 * Deletes every key under `prefix:` (SCAN, never FLUSHALL or KEYS: the Redis may serve others) and returns how many.
 * Demo resets, dry-run replays, evaluations and tests all clean up their own prefix through this. One UNLINK per
 * key: a batch of keys of different slots would be refused on a cluster (CROSSSLOT), and auto-pipelining sends the
 * single deletions together anyway.
 */
export async function deleteKeysUnder(redis: Redis | Cluster, prefix: string): Promise<number> {
  if (!prefix) throw new Error('refusing to delete keys under an empty prefix');
  let removed = 0;
  for await (const keys of scanKeys(redis, `${prefix}:*`)) {
    const counts = await Promise.all(keys.map((k) => redis.unlink(k)));
    removed += counts.reduce((n, c) => n + c, 0);
  }
  return removed;
}

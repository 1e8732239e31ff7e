import type { Cluster, Redis } from 'ioredis';

/**
 * Deletes every key under `prefix:` (SCAN, never FLUSHALL or KEYS: the Redis may serve others) and returns how many.
 * Demo resets, dry-run replays, evaluations and tests all clean up their own prefix through this.
 */
export async function deleteKeysUnder(redis: Redis | Cluster, prefix: string): Promise<number> {
  if (!prefix) throw new Error('refusing to delete keys under an empty prefix');
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await (redis as Redis).scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

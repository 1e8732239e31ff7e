import type { Redis } from 'ioredis';

/** Deletes every key under `prefix:` (SCAN, never FLUSHALL: the Redis may serve others). Returns how many. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

import { Cluster, type Redis } from 'ioredis';

/**
 * Every key matching `pattern`, a batch at a time (SCAN, never KEYS: the Redis may serve others). SCAN walks one
 * server's keyspace, so on a cluster it walks every master in turn; replicas hold nothing more.
 */
export async function* scanKeys(redis: Redis | Cluster, pattern: string, count = 1000): AsyncGenerator<string[]> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length) yield keys;
    } while (cursor !== '0');
  }
}

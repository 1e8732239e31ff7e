import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

const HOW_TO_START =
  "start one with `redis-server --port 6379 --save '' --daemonize yes`, or `docker compose up -d redis`, or set REDIS_URL";

/**
 * Connects or fails fast with one line that says how to get a Redis. Once connected, ioredis reconnects by itself;
 * a command fails after two retries so that the ingest retries whole batches instead of piling commands up.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 2,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 3000),
  });
  redis.on('error', () => undefined); // reported through readiness and failed commands, not as unhandled events
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(`cannot reach Redis at ${url} (${(err as Error).message}): ${HOW_TO_START}`);
  }
  return redis;
}

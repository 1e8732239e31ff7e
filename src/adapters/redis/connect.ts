import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** One Redis (`url`), or a Redis Cluster found through some of its nodes (`cluster`, which wins when present). */
export type RedisTarget = string | { url: string; cluster?: readonly string[] };

const HOW_TO_START =
  "start one with `redis-server --port 6379 --save '' --daemonize yes`, or `docker compose up -d redis`, or set REDIS_URL (REDIS_CLUSTER_NODES for a cluster)";

/**
 * Once connected, ioredis reconnects by itself; a command fails after two retries so that the ingest retries whole
 * batches instead of piling commands up.
 */
const COMMON = {
  maxRetriesPerRequest: 2,
  retryStrategy: (times: number) => Math.min(100 * 2 ** times, 3000),
} satisfies RedisOptions;

/**
 * Connects or fails fast with one line that says how to get a Redis. Returns a `Cluster` for a cluster target: it
 * routes every command to the master of its key's slot, and with auto-pipelining groups concurrent commands per
 * node, so the stores work unchanged as long as each command (each script) stays in one slot (see keys.ts).
 */
export async function connectRedis(target: RedisTarget, timeoutMs = 5000): Promise<Redis | Cluster> {
  const { url, cluster } = typeof target === 'string' ? { url: target, cluster: undefined } : target;
  const nodes = cluster?.length ? cluster : undefined;
  const redis = nodes ? clusterClient(nodes, timeoutMs) : singleClient(url, timeoutMs);
  redis.on('error', () => undefined); // reported through readiness and failed commands, not as unhandled events
  try {
    await withTimeout(
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      timeoutMs + 1000,
    );
  } catch (err) {
    redis.disconnect();
    const where = nodes ? `Redis Cluster ${nodes.map(withoutPassword).join(', ')}` : `Redis at ${withoutPassword(url)}`;
    throw new RedisUnavailableError(`cannot reach ${where} (${(err as Error).message}): ${HOW_TO_START}`);
  }
  return redis;
}

function singleClient(url: string, timeoutMs: number): Redis {
  return new Redis(url, { ...COMMON, lazyConnect: true, enableAutoPipelining: true, connectTimeout: timeoutMs });
}

function clusterClient(nodes: readonly string[], timeoutMs: number): Cluster {
  const startup: ClusterNode[] = nodes.map((n) => {
    const u = new URL(n);
    return { host: u.hostname, port: Number(u.port || 6379) };
  });
  // the nodes the cluster reports are reached with these options, so credentials and TLS come from the first URL
  const first = new URL(nodes[0] as string);
  return new Cluster(startup, {
    lazyConnect: true,
    enableAutoPipelining: true,
    // like a single Redis it reconnects for ever once running; at start the timeout above fails fast
    clusterRetryStrategy: COMMON.retryStrategy,
    redisOptions: {
      ...COMMON,
      connectTimeout: timeoutMs,
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
}

/** Error messages and logs never carry a password from a URL. */
function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A new connection like `redis` (a new Cluster for a cluster), for blocking reads: XREAD BLOCK holds its connection,
 * and on the shared auto-pipelined one it would stall every command queued behind it. The copy has no listeners.
 */
export function duplicateConnection(redis: Redis | Cluster): Redis | Cluster {
  // both classes can copy themselves; their duplicate() signatures just do not unify
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}

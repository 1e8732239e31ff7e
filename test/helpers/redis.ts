import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { type Command, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { deleteKeysUnder } from '../../src/adapters/redis/delete-keys.js';
import { createKeys, type Keys } from '../../src/adapters/redis/keys.js';
import { scanKeys } from '../../src/adapters/redis/scan-keys.js';
import { defineScripts } from '../../src/adapters/redis/scripts.js';
import type { AcceptedEvent } from '../../src/core/intake.js';
import type { CorrelationStore, StoreOutcome } from '../../src/core/ports.js';
import { keySlot } from './key-slot.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RedisContext = {
  /** One connection per test file, with every Lua script defined as a command. */
  readonly redis: Redis;
  /** Key builders for this test's prefix. */
  readonly keys: Keys;
  /** `test-<uuid>`, new for every test. */
  readonly prefix: string;
  /** Every key named by a command this connection sent during the current test (script KEYS included). */
  readonly touched: ReadonlySet<string>;
};

/** Opens a connection that fails fast instead of queueing commands while Redis is down. */
export async function connectTestRedis(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  await redis.connect();
  return redis;
}

/**
 * Every key whose name starts with `prefix` (SCAN, never KEYS; every master of a cluster). Opens a short-lived
 * connection when none is given.
 */
export async function keysUnder(prefix: string, redis?: Redis | Cluster): Promise<string[]> {
  const conn = redis ?? (await connectTestRedis());
  try {
    const found = new Set<string>();
    for await (const batch of scanKeys(conn, `${globEscape(prefix)}*`)) for (const k of batch) found.add(k);
    return [...found].sort();
  } finally {
    if (!redis) await conn.quit();
  }
}

/** Keys of `prefix` without a TTL (PTTL -1). Every key Linli writes must expire. */
export async function keysWithoutTtl(prefix: string, redis: Redis | Cluster): Promise<string[]> {
  const keys = await keysUnder(prefix, redis);
  const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
  return keys.filter((_, i) => (ttls[i] ?? -1) <= 0);
}

/**
 * Checks what a test left behind: every key the connection named lies under the test's prefix, and every key under
 * the prefix expires. Throws with the offending keys.
 */
export async function verifyOwnKeys(
  ctx: Pick<RedisContext, 'redis' | 'prefix' | 'touched'>,
  persistent: (key: string) => boolean = () => false,
): Promise<void> {
  const outside = [...ctx.touched].filter((k) => !k.startsWith(`${ctx.prefix}:`));
  if (outside.length) throw new Error(`keys outside the test prefix were touched: ${outside.join(', ')}`);
  const immortal = (await keysWithoutTtl(ctx.prefix, ctx.redis)).filter((k) => !persistent(k));
  if (immortal.length) throw new Error(`keys without a TTL: ${immortal.join(', ')}`);
}

/** The audit log's keys: they never expire by design, since an audit log must outlive the data it audits. */
export const isAuditKey = (key: string): boolean => key.includes(':{audit}:');

export type UseRedisOptions = {
  /** After each test, fail it when it touched a key outside its prefix or left a key without TTL (default true). */
  verifyKeys?: boolean;
  /**
   * Keys meant to persist, exempt from the TTL check (still confined to the prefix and deleted after the test):
   * pass `isAuditKey` in the audit log's tests, whose keys have no TTL on purpose.
   */
  persistentKeys?: (key: string) => boolean;
};

/**
 * Wires a Redis connection into the current test file: one connection for the file (scripts defined), a fresh
 * random key prefix for each test, and in afterEach the deletion of that prefix's keys only.
 */
export function useRedis(opts: UseRedisOptions = {}): RedisContext {
  let redis: Redis | undefined;
  let prefix = '';
  let keys: Keys | undefined;
  const touched = new Set<string>();

  beforeAll(async () => {
    redis = await connectTestRedis();
    defineScripts(redis);
    recordKeys(redis, touched);
  });
  beforeEach(() => {
    prefix = `test-${randomUUID()}`;
    keys = createKeys(prefix);
    touched.clear();
  });
  afterEach(async () => {
    if (!redis || !prefix) return;
    try {
      if (opts.verifyKeys !== false) await verifyOwnKeys({ redis, prefix, touched }, opts.persistentKeys);
    } finally {
      await deleteKeysUnder(redis, prefix);
    }
  });
  afterAll(async () => {
    await redis?.quit();
  });

  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useRedis(): ${what} is only available inside a test`);
    return value;
  };
  return {
    get redis() {
      return must(redis, 'redis');
    },
    get keys() {
      return must(keys, 'keys');
    },
    get prefix() {
      return must(prefix || undefined, 'prefix');
    },
    touched,
  };
}

/**
 * Wraps sendCommand so that the key arguments of every command (EVALSHA's KEYS too) are collected, and so that a
 * command whose keys lie in different cluster slots is refused as a Redis Cluster refuses it (CROSSSLOT): every
 * store test on this single Redis then also proves that its scripts would run on a cluster.
 */
function recordKeys(redis: Redis, into: Set<string>): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command: Command, stream?: Parameters<Redis['sendCommand']>[1]) => {
    const keys = command.getKeys();
    for (const key of keys) into.add(String(key));
    const slots = new Set(keys.map((k) => keySlot(k)));
    if (slots.size > 1) {
      const named = keys.map((k) => `${String(k)} (slot ${keySlot(k)})`).join(', ');
      command.reject(new Error(`CROSSSLOT ${command.name} would be refused by a Redis Cluster: ${named}`));
      return command.promise;
    }
    return send(command, stream);
  };
}

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Applies events one at a time, in the given order, and returns their outcomes. */
export async function applyInOrder(store: CorrelationStore, events: readonly AcceptedEvent[]): Promise<StoreOutcome[]> {
  const out: StoreOutcome[] = [];
  for (const e of events) out.push(...(await store.applyEvents([e])));
  return out;
}

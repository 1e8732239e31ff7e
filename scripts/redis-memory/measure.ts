import type { Redis } from 'ioredis';
import { scanKeys } from '../../src/adapters/redis/scan-keys.js';
import { keyKinds, kindOf } from './key-kinds.js';

export type KindUsage = {
  kind: string;
  pattern: string;
  keys: number;
  /** MEMORY USAGE … SAMPLES 0 summed: every element counted, key name and value, not the server's overhead. */
  bytes: number;
  /** bytes / units, when the units are given. */
  bytesPerUnit?: number;
  /** OBJECT ENCODING → keys: a listpack or intset that turned into a hashtable shows here. */
  encodings: Record<string, number>;
};

export type MemoryBreakdown = {
  prefix: string;
  keys: number;
  bytes: number;
  units?: number;
  bytesPerUnit?: number;
  kinds: KindUsage[];
};

const BATCH = 1000;

/**
 * Every key under `prefix:` grouped by the kind keys.ts builds it as, with its MEMORY USAGE (SAMPLES 0: exact,
 * not estimated from five elements) and encoding. The figure issue 6 sets its target on; bench/ measures with it.
 */
export async function measureRedisMemory(
  redis: Redis,
  prefix: string,
  opts: { units?: number } = {},
): Promise<MemoryBreakdown> {
  const kinds = keyKinds();
  const byKind = new Map<string, KindUsage>();
  for await (const keys of scanKeys(redis, `${prefix}:*`, BATCH)) {
    const pipe = redis.pipeline();
    for (const key of keys) {
      pipe.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
      pipe.call('OBJECT', 'ENCODING', key);
    }
    const replies = (await pipe.exec()) ?? [];
    keys.forEach((key, i) => {
      const [, bytes] = replies[2 * i] ?? [];
      const [, encoding] = replies[2 * i + 1] ?? [];
      if (bytes === null || bytes === undefined) return; // expired between SCAN and MEMORY USAGE
      const { kind, pattern } = kindOf(kinds, prefix, key);
      const usage = byKind.get(kind) ?? { kind, pattern, keys: 0, bytes: 0, encodings: {} };
      usage.keys++;
      usage.bytes += Number(bytes);
      const enc = String(encoding);
      usage.encodings[enc] = (usage.encodings[enc] ?? 0) + 1;
      byKind.set(kind, usage);
    });
  }

  const perUnit = (bytes: number) => (opts.units ? { bytesPerUnit: Math.round(bytes / opts.units) } : {});
  const list = [...byKind.values()].sort((a, b) => b.bytes - a.bytes).map((k) => ({ ...k, ...perUnit(k.bytes) }));
  const bytes = list.reduce((n, k) => n + k.bytes, 0);
  return {
    prefix,
    keys: list.reduce((n, k) => n + k.keys, 0),
    bytes,
    ...(opts.units ? { units: opts.units } : {}),
    ...perUnit(bytes),
    kinds: list,
  };
}

/** INFO memory's used_memory: everything the server holds, overhead included. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

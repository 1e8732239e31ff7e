import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'linli-config-cluster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MISSING = join(dir, 'missing.json');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis Cluster configuration', () => {
  it('has no cluster by default: one Redis at redis.url', () => {
    expect(loadConfig({}, MISSING).redis.cluster).toBeUndefined();
  });

  it('reads REDIS_CLUSTER_NODES as a comma-separated list of node URLs', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000, redis://10.0.0.2:7001,' }, MISSING);
    expect(config.redis.cluster).toEqual(['redis://10.0.0.1:7000', 'redis://10.0.0.2:7001']);
  });

  it('reads redis.cluster from the config file, credentials and TLS included', () => {
    const file = join(dir, 'cluster.json');
    writeFileSync(file, JSON.stringify({ redis: { cluster: ['rediss://user:secret@redis-a:6380'] } }));
    expect(loadConfig({ LINLI_CONFIG: file }).redis.cluster).toEqual(['rediss://user:secret@redis-a:6380']);
  });

  it('names the node, the variable and what a node URL must look like', () => {
    expect(errorOf(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://a:7000,10.0.0.2:7001' }, MISSING))).toBe(
      'invalid configuration: redis.cluster.1 (env REDIS_CLUSTER_NODES): must be redis://host:port or rediss://host:port',
    );
  });

  it('refuses an empty list in the file instead of silently using redis.url', () => {
    const file = join(dir, 'empty.json');
    writeFileSync(file, JSON.stringify({ redis: { cluster: [] } }));
    expect(errorOf(() => loadConfig({ LINLI_CONFIG: file }))).toBe(
      `invalid configuration: redis.cluster (in ${file}): name at least one node, or leave cluster out for a single Redis`,
    );
  });
});

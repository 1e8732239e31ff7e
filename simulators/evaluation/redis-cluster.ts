import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './mosquitto.js';

const run = promisify(execFile);

export type PrivateRedisCluster = {
  /** `redis://127.0.0.1:<port>` of each master: what `redis.cluster` (REDIS_CLUSTER_NODES) takes. */
  nodes: string[];
  ports: number[];
  stop(): Promise<void>;
};

const cli = (port: number, ...args: string[]) =>
  run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis cluster: timed out waiting for ${what}`);
}

function stopProcess(proc: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/**
 * A private Redis Cluster of `masters` masters without replicas on free loopback ports, each a child process with
 * its files in a temp dir, so that tests and benchmarks exercise real slot routing (MOVED, CROSSSLOT) without
 * touching the shared Redis. `stop()` ends exactly these processes and removes the dir.
 */
export async function startRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-redis-cluster-'));
  const procs: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(procs.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      // one at a time: freePort releases the port it found, so asking twice before a bind could return it twice
      const port = await freePort();
      const proc = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore' },
      );
      procs.push(proc);
      ports.push(port);
      await waitFor(`redis-server on ${port}`, async () => (await cli(port, 'ping')).stdout.trim() === 'PONG', 5000);
    }
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    // every node must agree before a client connects, or its first commands meet CLUSTERDOWN
    for (const port of ports) {
      await waitFor(
        `cluster_state:ok on ${port}`,
        async () => (await cli(port, 'cluster', 'info')).stdout.includes('cluster_state:ok'),
        15_000,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes: ports.map((p) => `redis://127.0.0.1:${p}`), ports, stop };
}

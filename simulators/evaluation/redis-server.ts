import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './mosquitto.js';

export type PrivateRedis = { url: string; port: number; pid: number; stop(): Promise<void> };

export type PrivateRedisOptions = {
  /** A fixed port: a restarted server must come back where its clients reconnect. */
  port?: number;
  /**
   * Where `SHUTDOWN SAVE` writes its snapshot and a restart on the same directory loads it, as a Redis restarted
   * for maintenance does. Without it nothing is ever written to disk.
   */
  dataDir?: string;
};

/**
 * A redis-server of our own on a loopback port, without persistence: used_memory then holds nothing but what
 * the measured run wrote, and the shared development Redis is left alone. Stopped by its pid, never by name. The
 * memory measurement, the bench and the fault harness start theirs here (a Redis Cluster: redis-cluster.ts; a
 * broker: mosquitto.ts).
 */
export async function startPrivateRedis(bin = 'redis-server', opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const disk = opts.dataDir ? ['--dir', opts.dataDir, '--dbfilename', 'dump.rdb'] : [];
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...disk],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`${bin} exited with ${code} before it answered on port ${port}`);
  });
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitForPing(url), failed]);
  failed.catch(() => undefined); // the server exits when we stop it: not an error then
  const pid = child.pid as number;
  return {
    url,
    port,
    pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // it may be on its way out already (SHUTDOWN): then there is nothing to signal, only the exit to wait for
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForPing(url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no Redis answered at ${url}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './mosquitto.js';

export type PrivateRedis = { url: string; port: number; pid: number; stop(): Promise<void> };

/**
 * A redis-server of our own on a free loopback port, without persistence: used_memory then holds nothing but what
 * the measured run wrote, and the shared development Redis is left alone. Stopped by its pid, never by name. The
 * memory measurement and the bench start theirs here (a Redis Cluster: redis-cluster.ts; a broker: mosquitto.ts).
 */
export async function startPrivateRedis(bin = 'redis-server'): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
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
      if (child.exitCode !== null) return;
      process.kill(pid, 'SIGTERM');
      await once(child, 'exit');
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

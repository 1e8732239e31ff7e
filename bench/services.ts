import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startMosquitto } from '../simulators/evaluation/mosquitto.js';

export type PrivateRedis = { url: string; pid: number; client: Redis; stop(): Promise<void> };

/** A private redis-server on a free loopback port, nothing on disk; the bench may flush it between runs. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-redis-'));
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  let client: Redis | undefined;
  for (let i = 0; !client; i++) {
    const attempt = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    attempt.on('error', () => undefined);
    try {
      await attempt.connect();
      client = attempt;
    } catch (err) {
      attempt.disconnect();
      if (i > 50) throw new Error(`redis-server on ${port} did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ready = client;
  return {
    url,
    pid: proc.pid as number,
    client: ready,
    stop: async () => {
      ready.disconnect();
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Mosquitto shaped as deploy/mosquitto.conf: no count limit on queued messages, and 1,000 in-flight QoS 1
 * messages per client, which is the width of the gateway's acknowledge-after-commit batches.
 */
export const startBenchBroker = () => startMosquitto(['max_inflight_messages 1000']);

export type Child<In, Out> = {
  proc: ChildProcess;
  send(m: In): void;
  next<T extends Out>(type: string): Promise<T>;
  stop(stopMessage?: In): Promise<void>;
};

/** Forks a TypeScript child with IPC; `next(type)` waits for its next message of that type. */
export function forkChild<In, Out extends { type: string }>(
  script: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {},
): Child<In, Out> {
  const proc = fork(new URL(script, import.meta.url), args, {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: Out[] = [];
  const waiting: { type: string; resolve: (m: Out) => void; reject: (e: Error) => void }[] = [];
  const deliver = () => {
    for (let i = 0; i < waiting.length; i++) {
      const w = waiting[i] as (typeof waiting)[number];
      const at = inbox.findIndex((m) => m.type === w.type || m.type === 'error');
      if (at < 0) continue;
      const [m] = inbox.splice(at, 1) as [Out];
      waiting.splice(i--, 1);
      if (m.type === 'error') w.reject(new Error(`${script}: ${(m as unknown as { error: string }).error}`));
      else w.resolve(m);
    }
  };
  proc.on('message', (m: Out) => {
    inbox.push(m);
    deliver();
  });
  proc.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${script} exited with code ${code}`));
  });
  return {
    proc,
    send: (m) => proc.send(m as object),
    next: <T extends Out>(type: string) =>
      new Promise<T>((resolve, reject) => {
        if (proc.exitCode !== null) return reject(new Error(`${script} has exited (${proc.exitCode})`));
        waiting.push({ type, resolve: resolve as (m: Out) => void, reject });
        deliver();
      }),
    async stop(stopMessage) {
      if (proc.exitCode !== null) return;
      if (stopMessage) proc.send(stopMessage as object);
      else proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await new Promise((r) => proc.once('exit', r));
      clearTimeout(killer);
    },
  };
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

export { freePort };

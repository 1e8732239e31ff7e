import { type ChildProcess, fork } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, startMosquitto } from '../simulators/evaluation/mosquitto.js';
import { startPrivateRedis } from '../simulators/evaluation/redis-server.js';

export type BenchRedis = { url: string; client: Redis; stop(): Promise<void> };

/** A private redis-server and a plain connection to it; the bench flushes it between runs. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const server = await startPrivateRedis();
  const client = new Redis(server.url);
  return {
    url: server.url,
    client,
    stop: async () => {
      client.disconnect();
      await server.stop();
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

export { freePort };

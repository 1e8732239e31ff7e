import type { Redis } from 'ioredis';

export type RedisCpu = { cpuUs: number; inputBytes: number; commands: Record<string, { calls: number; usec: number }> };

/** Redis's own CPU time and per-command call counts, to difference around a run. */
export async function redisCpu(redis: Redis): Promise<RedisCpu> {
  const cpu = await redis.info('cpu');
  const seconds = (name: string) => Number(cpu.match(new RegExp(`${name}:([\\d.]+)`))?.[1] ?? 0);
  const commands: RedisCpu['commands'] = {};
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) {
    commands[m[1] as string] = { calls: Number(m[2]), usec: Number(m[3]) };
  }
  const inputBytes = Number((await redis.info('stats')).match(/total_net_input_bytes:(\d+)/)?.[1] ?? 0);
  return { cpuUs: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6, inputBytes, commands };
}

/** Per event: Redis CPU, and the calls and time of each command that ran during the run. */
export type RedisPerEvent = {
  cpuUsPerEvent: number;
  /** Bytes the clients sent Redis, an event. */
  inputBytesPerEvent: number;
  commands: Record<string, { callsPerEvent: number; usPerEvent: number }>;
};

export function redisPerEvent(before: RedisCpu, after: RedisCpu, events: number): RedisPerEvent {
  const commands: Record<string, { callsPerEvent: number; usPerEvent: number }> = {};
  for (const [name, a] of Object.entries(after.commands)) {
    const b = before.commands[name] ?? { calls: 0, usec: 0 };
    if (a.calls === b.calls) continue;
    commands[name] = { callsPerEvent: (a.calls - b.calls) / events, usPerEvent: (a.usec - b.usec) / events };
  }
  return {
    cpuUsPerEvent: (after.cpuUs - before.cpuUs) / events,
    inputBytesPerEvent: (after.inputBytes - before.inputBytes) / events,
    commands,
  };
}

/** Redis calls slower than `thresholdMs` from now on (the slow log), to explain latency outliers. */
export async function watchSlowCalls(redis: Redis, thresholdMs: number): Promise<void> {
  await redis.config('SET', 'slowlog-log-slower-than', String(Math.round(thresholdMs * 1000)));
  await redis.slowlog('RESET');
}

export type SlowCalls = { count: number; slowestMs: number; slowest: string };

export async function slowCallsSince(redis: Redis): Promise<SlowCalls> {
  const log = (await redis.slowlog('GET', 1000)) as [number, number, number, string[]][];
  await redis.slowlog('RESET');
  let slowest = log[0];
  for (const entry of log) if (slowest === undefined || entry[2] > slowest[2]) slowest = entry;
  return {
    count: log.length,
    slowestMs: slowest ? slowest[2] / 1000 : 0,
    // the script's name is not in the log; its key count and first key say which one it was
    slowest: slowest ? slowest[3].slice(0, 4).join(' ').slice(0, 120) : '',
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usedMemory } from '../scripts/redis-memory/measure.js';
import type { PrivateBroker } from '../simulators/evaluation/mosquitto.js';
import { ephemeralPrincipals } from '../src/adapters/http/ephemeral-principals.js';
import { ENV_OVERRIDES } from '../src/config/env-overrides.js';
import { type Consumer, collect, driveSlice, type Publisher, type SliceResult } from './drive.js';
import { cpuBetween, type SharedCpu, snapshotCpu } from './machine-cpu.js';
import type { GcPauses } from './protocol.js';
import {
  type RedisPerEvent,
  redisCpu,
  redisPerEvent,
  type SlowCalls,
  slowCallsSince,
  watchSlowCalls,
} from './redis-figures.js';
import { type BenchRedis, forkChild, freePort } from './services.js';
import { type Percentiles, percentiles } from './stats.js';
import type { Workload } from './workload.js';
import { ProbeClient } from './ws-probe-client.js';

/**
 * The Node flags `npm start` and the container run the gateway with: a 32 MiB young generation, which cut the
 * gateway's CPU per event by about a sixth here (fewer, cheaper scavenges of the short-lived objects of each batch).
 */
const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=32'];

export type BenchPlan = {
  warmup: number;
  measured: number;
  /** Events of the full-speed burst that sets the reference rate of the fixed-rate runs. */
  referenceBurst: number;
  latencySeconds: number;
  /** Fixed rates, as shares of the rate measured at full speed. */
  latencyShares: number[];
  probeEveryMs: number;
};

export type Services = { redis: BenchRedis; broker: PrivateBroker; dir: string; profileDir?: string };

type LatencyRun = {
  share: number;
  rate: number;
  achievedPerSecond: number;
  commitLatencyMs: Percentiles;
  alertLatencyMs: Percentiles;
  probesUnanswered: number;
  missing: number;
  gatewayLoopDelayMaxMs: number;
  gatewayGc: GcPauses;
  /** The gateway's CPU per event at this rate: small batches cost more per event than a burst's full ones. */
  gatewayCpuUsPerEvent: number;
  redisSlowCalls: SlowCalls;
};

export type GatewayRun = {
  /** `events`: published to the gateway in this run (warm-up, full speed and fixed rates). */
  workload: { label: string; units: number; events: number; days: number };
  redisMiB: number;
  max: SliceResult;
  redis: RedisPerEvent;
  /** The machine and the publisher and broker beside the gateway, during the full-speed slice. */
  shared: SharedCpu | undefined;
  /** Full speed just before the fixed-rate runs: their shares are of this rate. */
  referencePerSecond: number;
  latency: LatencyRun[];
  gatewayRssMiB: number;
  redisBytesPerUnit: number;
  redisKeys: number;
  alertsOnWebSocket: number;
};

async function startPublisher(s: Services, w: Workload): Promise<{ publisher: Publisher; keys: string[] }> {
  const publisher: Publisher = forkChild('./publisher-child.ts', [s.broker.url, w.eventsFile]);
  const ready = await publisher.next<{ type: 'ready'; count: number; keys: string[] }>('ready');
  return { publisher, keys: ready.keys };
}

/** The same warm-up and measured burst through the baseline subscriber; its Redis writes are flushed after. */
export async function benchBaseline(
  w: Workload,
  plan: BenchPlan,
  s: Services,
): Promise<{ max: SliceResult; redis: RedisPerEvent; shared: SharedCpu | undefined }> {
  await s.redis.client.flushall();
  const { publisher, keys } = await startPublisher(s, w);
  const baseline: Consumer = forkChild('./baseline-child.ts', [s.broker.url, s.redis.url]);
  try {
    await baseline.next('ready');
    console.log(`baseline: ${plan.warmup} warm-up events, then ${plan.measured} at full speed…`);
    await driveSlice(publisher, baseline, keys, { from: 0, count: plan.warmup, rate: null });
    const pids = { publisher: publisher.proc.pid, broker: s.broker.pid };
    const redisBefore = await redisCpu(s.redis.client);
    const cpuBefore = snapshotCpu(pids);
    const max = await driveSlice(publisher, baseline, keys, { from: plan.warmup, count: plan.measured, rate: null });
    const shared = cpuBetween(cpuBefore, snapshotCpu(pids), plan.measured);
    return { max, redis: redisPerEvent(redisBefore, await redisCpu(s.redis.client), plan.measured), shared };
  } finally {
    await baseline.stop({ type: 'stop' });
    await publisher.stop({ type: 'stop' });
    await s.redis.client.flushall();
  }
}

/** The gateway as a child process on an empty Redis: warm-up, full speed, then each fixed rate with probes. */
export async function benchGateway(w: Workload, plan: BenchPlan, s: Services): Promise<GatewayRun> {
  await s.redis.client.flushall();
  const empty = await usedMemory(s.redis.client);
  const { publisher, keys } = await startPublisher(s, w);
  const port = await freePort();
  const { tokens, principals } = await ephemeralPrincipals('bench');
  const configFile = join(s.dir, `config-${w.label}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      instanceId: `bench-${w.label}`,
      http: { host: '127.0.0.1', port },
      redis: { url: s.redis.url },
      mqtt: { url: s.broker.url },
      estates: [w.estateFile],
      auth: { principals },
      privacy: { pseudonymKey: 'bench-pseudonym-key-of-at-least-32-characters' },
      // the workload compresses days into minutes; a limit no device reaches keeps the limiter's cost measured
      ingest: { deviceRate: { perSecond: 100_000, burst: 1_000_000 } },
      log: { level: 'warn' },
    }),
  );
  // the configuration is the file alone: variables of the calling shell must not override it
  const cleared = Object.fromEntries(Object.keys(ENV_OVERRIDES).map((k) => [k, '']));
  const execArgv = [...GATEWAY_NODE_FLAGS, ...(s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`] : [])];
  const gateway: Consumer = forkChild('./gateway-child.ts', [], {
    env: { ...cleared, LINLI_CONFIG: configFile },
    execArgv,
  });
  const ws = new ProbeClient();
  try {
    await gateway.next('ready');
    await ws.connect(`ws://127.0.0.1:${port}/ws/alerts`, tokens.operator);
    let from = 0;
    const next = (count: number) => {
      const at = from;
      from += count;
      if (from > keys.length) throw new Error(`workload ${w.label} has ${keys.length} events; the plan needs ${from}`);
      return at;
    };
    console.log(
      `gateway (${w.label}, ${w.units} units): ${plan.warmup} warm-up events, then ${plan.measured} at full speed…`,
    );
    await driveSlice(publisher, gateway, keys, { from: next(plan.warmup), count: plan.warmup, rate: null });
    const pids = { publisher: publisher.proc.pid, broker: s.broker.pid };
    const redisBefore = await redisCpu(s.redis.client);
    const cpuBefore = snapshotCpu(pids);
    const max = await driveSlice(publisher, gateway, keys, {
      from: next(plan.measured),
      count: plan.measured,
      rate: null,
    });
    const shared = cpuBetween(cpuBefore, snapshotCpu(pids), plan.measured);
    const redis = redisPerEvent(redisBefore, await redisCpu(s.redis.client), plan.measured);
    console.log(`  ${Math.round(max.eventsPerSecond)} events/s`);
    // The window fills as the scenario goes on and later events cost more, so the fixed rates are shares of the
    // rate reached just before them, on a short burst, not of the long burst at the start.
    const reference = await driveSlice(publisher, gateway, keys, {
      from: next(plan.referenceBurst),
      count: plan.referenceBurst,
      rate: null,
    });
    console.log(`  ${Math.round(reference.eventsPerSecond)} events/s on a burst just before the fixed rates`);
    const probe = { estateId: w.estateId, devices: w.probeDevices, everyMs: plan.probeEveryMs };
    const latency: LatencyRun[] = [];
    await watchSlowCalls(s.redis.client, 5);
    for (const share of plan.latencyShares) {
      const rate = Math.max(100, Math.round(reference.eventsPerSecond * share));
      const count = Math.min(rate * plan.latencySeconds, keys.length - from);
      console.log(`  ${Math.round(share * 100)} % of it: ${rate} events/s for ${plan.latencySeconds} s…`);
      const run = await driveSlice(publisher, gateway, keys, { from: next(count), count, rate, probe });
      await new Promise((r) => setTimeout(r, 1000)); // the last probes' alerts are on their way
      const alerts = ws.probes.pair(run.probes);
      latency.push({
        share,
        rate,
        achievedPerSecond: run.publishedPerSecond,
        commitLatencyMs: run.commitLatencyMs,
        alertLatencyMs: percentiles(alerts.latenciesMs),
        probesUnanswered: alerts.unanswered + alerts.mismatched,
        missing: run.missing,
        gatewayLoopDelayMaxMs: run.loopDelayMaxMs,
        gatewayGc: run.gc,
        gatewayCpuUsPerEvent: run.cpuUsPerEvent,
        redisSlowCalls: await slowCallsSince(s.redis.client),
      });
    }
    const last = await collect(gateway);
    const redisBytes = (await usedMemory(s.redis.client)) - empty;
    return {
      workload: { label: w.label, units: w.units, events: from, days: w.days },
      redisMiB: redisBytes / 2 ** 20,
      max,
      redis,
      shared,
      referencePerSecond: reference.eventsPerSecond,
      latency,
      gatewayRssMiB: last.figures.rssBytes / 2 ** 20,
      redisBytesPerUnit: redisBytes / w.units,
      redisKeys: await s.redis.client.dbsize(),
      alertsOnWebSocket: ws.alertsReceived,
    };
  } finally {
    ws.close();
    await gateway.stop({ type: 'stop' });
    await publisher.stop({ type: 'stop' });
  }
}

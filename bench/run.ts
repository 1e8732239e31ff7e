/**
 * `npm run bench`: the gateway's throughput, latency and memory on this machine, against a baseline measured in
 * the same run. Private Redis and Mosquitto on loopback ports; the publisher, the baseline and the gateway are
 * separate processes; a WebSocket client times publish-to-alert. Prints a report and writes it as JSON.
 *   npm run bench [-- --quick] [--seed 1] [--growth 1000,10000,100000|none] [--profile] [--out out/bench.json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../scripts/usage-error.js';
import { type BenchArgs, readBenchArgs } from './args.js';
import { type BenchPlan, benchBaseline, benchGateway } from './phases.js';
import { printReport } from './report.js';
import { startBenchBroker, startBenchRedis } from './services.js';
import { buildWorkload } from './workload.js';

let args: BenchArgs;
try {
  args = readBenchArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(2);
}
const { seed, growth } = args;

const plan: BenchPlan = args.quick
  ? {
      warmup: 2_000,
      measured: 20_000,
      referenceBurst: 5_000,
      latencySeconds: 4,
      latencyShares: [0.25, 0.5, 0.9],
      probeEveryMs: 50,
    }
  : {
      warmup: 10_000,
      measured: 150_000,
      referenceBurst: 30_000,
      latencySeconds: 15,
      latencyShares: [0.25, 0.5, 0.9],
      probeEveryMs: 20,
    };
const growthPlan: BenchPlan = { ...plan, measured: args.quick ? 20_000 : 100_000, latencyShares: [0.5] };

const dir = mkdtempSync(join(tmpdir(), 'linli-bench-'));
const redis = await startBenchRedis();
const broker = await startBenchBroker();
const profileDir = args.profile ? join(process.cwd(), 'out', 'bench-profile') : undefined;
try {
  const started = Date.now();
  // enough events for the warm-up, the measured burst and the fixed-rate runs at up to ~20,000 events/s
  const cap = (p: BenchPlan) =>
    p.warmup +
    p.measured +
    p.referenceBurst +
    Math.ceil(p.latencyShares.reduce((a, s) => a + s, 0) * 20_000 * p.latencySeconds);
  console.log('building the default scenario workload…');
  const main = buildWorkload({ kind: 'scenario', name: 'default', seed, events: cap(plan) }, dir);
  const services = { redis, broker, dir, profileDir };
  const baseline = await benchBaseline(main, plan, services);
  const gateway = await benchGateway(main, plan, services);
  const growthRuns = [];
  for (const units of growth) {
    console.log(`building a ${units}-unit workload…`);
    const w = buildWorkload({ kind: 'generated', units, seed, events: cap(growthPlan) }, dir);
    growthRuns.push(await benchGateway(w, growthPlan, services));
  }
  const report = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      redis: (await redis.client.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown',
      mosquitto: 'private, max_inflight_messages 1000, max_queued_messages 0',
    },
    plan,
    baseline,
    gateway,
    ratioToBaseline: gateway.max.eventsPerSecond / baseline.max.eventsPerSecond,
    growth: growthRuns,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync(join(args.out, '..'), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  console.log(`\nreport written to ${args.out}`);
} finally {
  await broker.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `npm run chaos`: the gateway under faults. Each scenario runs real processes — the gateway as a child process,
 * Redis and Mosquitto on private loopback ports — with a seeded stream, and compares what Redis holds afterwards
 * with an oracle computed from the events themselves and with a clean run of the same stream.
 *
 *   npm run chaos [-- --quick] [--seed 1] [--scenario kill-restart,redis-outage] [--out out/chaos.json]
 *
 * Exits 1 when a scenario fails, 2 on a bad option.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../simulators/lib/cli-args.js';
import { loadEstateFiles } from '../src/adapters/estate-files.js';
import { EstateRegistry } from '../src/core/registry.js';
import { type ChaosArgs, readChaosArgs } from './args.js';
import { type ChaosContext, drain, startBroker, startRedis, writeGatewayConfig } from './context.js';
import { GatewayProcess } from './gateway-process.js';
import { expectedCounters } from './oracle.js';
import { publishAll } from './publisher.js';
import { printChaosReport } from './report.js';
import { SCENARIOS } from './scenarios/index.js';
import { readState } from './state.js';
import { checkedResult, type ScenarioResult, verdict } from './verdict.js';
import { buildChaosWorkload } from './workload.js';

let args: ChaosArgs;
try {
  args = readChaosArgs(
    process.argv.slice(2),
    SCENARIOS.map((s) => s.name),
  );
} catch (err) {
  if (!(err instanceof CliError)) throw err;
  process.stderr.write(`chaos: ${err.message}\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'linli-chaos-'));
const started = Date.now();
const events = args.quick ? 5_000 : 20_000;
console.log(`building a ${events}-event stream (seed ${args.seed})…`);
const workload = buildChaosWorkload(args.seed, events, dir);
const registry = new EstateRegistry(loadEstateFiles([workload.estateFile]));
const services = await startRedis(dir);
/** What the running scenario started, stopped when it ends. */
let running: { stop(): Promise<void> }[] = [];
const stopRunning = async () => {
  for (const s of running.reverse()) await s.stop().catch(() => undefined);
  running = [];
};

const ctx: ChaosContext = {
  workload,
  registry,
  expected: expectedCounters(workload.messages, registry),
  reference: undefined,
  redis: services.redis,
  dir,
  seed: args.seed,
  quick: args.quick,
  async gateway(name, overrides = {}) {
    await services.redis.client.flushall();
    const broker = await startBroker();
    running.push(broker);
    const { file, config, port, tokens } = await writeGatewayConfig(
      dir,
      name,
      { redisUrl: services.redis.url, mqttUrl: broker.url, estateFile: workload.estateFile },
      overrides,
    );
    const gateway = new GatewayProcess(file, port);
    running.push(gateway);
    return { gateway, config, port, tokens, broker };
  },
  drain: (g, quietMs) => drain(g, quietMs),
  state: (config) => readState(services.redis.client, config, registry),
};

const results: ScenarioResult[] = [];
try {
  console.log('reference: the stream once, in order, through a clean gateway…');
  const { gateway, config, broker } = await ctx.gateway('reference');
  await gateway.start();
  await publishAll(broker.url, workload.messages);
  await ctx.drain(gateway);
  // the clean run must itself match the oracle, or every comparison with it means nothing
  const reference = await verdict(ctx, config, {
    scenario: 'reference',
    sent: workload.messages.length,
    reported: gateway.handled,
  });
  await stopRunning();
  ctx.reference = await ctx.state(config);
  results.push(reference);
  for (const scenario of SCENARIOS.filter((s) => args.scenarios.includes(s.name))) {
    console.log(`${scenario.name}: ${scenario.about}…`);
    const t = Date.now();
    try {
      const r = await scenario.run(ctx);
      r.figures.seconds = Math.round((Date.now() - t) / 1000);
      results.push(r);
      console.log(`  ${r.passed ? 'passed' : 'FAILED'} in ${r.figures.seconds} s`);
      for (const c of r.checks.filter((c) => !c.ok)) console.log(`    ✗ ${c.check}: ${c.detail}`);
    } catch (err) {
      console.log(`  FAILED: ${(err as Error).message}`);
      results.push(
        checkedResult(
          scenario.name,
          [{ check: 'ran to the end', ok: false, detail: (err as Error).stack ?? String(err) }],
          {
            sent: 0,
            events: workload.messages.length,
            reported: { counted: 0, duplicates: 0, rejected: 0 },
          },
        ),
      );
    } finally {
      await stopRunning();
    }
  }
} finally {
  await stopRunning();
  await services.stop();
  rmSync(dir, { recursive: true, force: true });
}

const report = {
  seed: args.seed,
  quick: args.quick,
  events: workload.messages.length,
  units: workload.units,
  seconds: Math.round((Date.now() - started) / 1000),
  results,
};
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
printChaosReport(report);
console.log(`\nreport written to ${args.out}`);
process.exit(results.every((r) => r.passed) ? 0 : 1);

/**
 * `npm run memory -- --scenario default --seed 1 [--days N] [--start ISO] [--batch 500] [--out FILE] [--redis-server PATH]`:
 * plays a named scenario through the engine into a private redis-server of its own (free loopback port, no
 * persistence) and reports INFO used_memory before and after per unit, and the memory by key kind (keys.ts), as
 * a table and as JSON (out/redis-memory-<scenario>.json). Issue 6's target (≤ 8 KiB per unit on the default
 * scenario) is this figure; bench/ imports measureRedisMemory to take the same measurement. The scenario starts
 * `days` before now unless --start pins it: pin it to compare two layouts on the very same events.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../simulators/evaluation/redis-server.js';
import { loadNamedScenario } from '../simulators/lib/index.js';
import { tallyHandled } from '../src/handled-tally.js';
import { feedScenario } from './redis-memory/feed.js';
import { measureRedisMemory, usedMemory } from './redis-memory/measure.js';
import { formatReport, type MemoryReport } from './redis-memory/report.js';
import { scenarioEngine } from './redis-memory/scenario-engine.js';
import { scenarioNameArg, seedArg } from './scenario-args.js';
import { UsageError } from './usage-error.js';

export { type KindUsage, type MemoryBreakdown, measureRedisMemory, usedMemory } from './redis-memory/measure.js';
export type { MemoryReport } from './redis-memory/report.js';

const PREFIX = 'linli';

function readArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'default' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string' },
      start: { type: 'string' },
      batch: { type: 'string', default: '500' },
      out: { type: 'string' },
      'redis-server': { type: 'string', default: 'redis-server' },
    },
  });
  const scenario = scenarioNameArg(values.scenario as string);
  const seed = seedArg(values.seed as string);
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) throw new UsageError('--days: a whole number ≥ 1');
  const start = values.start;
  if (start !== undefined && Number.isNaN(Date.parse(start))) throw new UsageError('--start: an ISO 8601 instant');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('--batch: a whole number ≥ 1');
  const out = values.out ?? `out/redis-memory-${scenario}.json`;
  return { scenario, seed, days, start, batchSize, out, redisServer: values['redis-server'] as string };
}

/** Plays the scenario into a fresh private Redis and measures what it holds afterwards. */
export async function measureScenario(args: ReturnType<typeof readArgs>): Promise<MemoryReport> {
  const scenario = loadNamedScenario(args.scenario, {
    seed: args.seed,
    ...(args.days === undefined ? {} : { days: args.days }),
    ...(args.start === undefined ? {} : { start: args.start }),
  });
  const server = await startPrivateRedis(args.redisServer);
  try {
    // a plain connection: the private server is one node, whatever the gateway's Redis is
    const redis = new Redis(server.url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
    try {
      const engine = scenarioEngine(redis, server.url, scenario, PREFIX);
      const tally = tallyHandled(engine.bus);
      const before = await usedMemory(redis);
      const started = Date.now();
      const messages = await feedScenario(engine, scenario, {
        batchSize: args.batchSize,
        onDay: (p) => {
          process.stderr.write(
            `day ${p.day}/${p.days} ${p.date}: ${p.messages.toLocaleString('en-US')} messages, ${Math.round(p.messages / ((Date.now() - started) / 1000))}/s\n`,
          );
        },
      });
      process.stderr.write(`${tally.counted} counted, ${tally.duplicates} duplicates, ${tally.rejected} rejected\n`);
      const after = await usedMemory(redis);
      const units = scenario.estate.units.size;
      const version = /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? '?';
      return {
        scenario: args.scenario,
        seed: args.seed,
        units,
        messages,
        redisVersion: version,
        usedMemory: { before, after, perUnit: Math.round((after - before) / units) },
        breakdown: await measureRedisMemory(redis, PREFIX, { units }),
      };
    } finally {
      redis.disconnect();
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const report = await measureScenario(args);
  console.log(formatReport(report));
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${args.out}`);
}

// run only as the command: bench/ imports measureRedisMemory from here
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`memory: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}

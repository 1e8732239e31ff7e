/**
 * `npm run redis-cost -- [--scenario default] [--seed 1] [--days 8] [--measured 1] [--redis-server PATH]`: where
 * Redis spends its time. Plays a named scenario through the engine into a private redis-server (as `npm run memory`
 * does) and, over the last `measured` days, logs every command with Redis's slow log at a threshold of 0 µs; then
 * prints, per script and per command, the calls, the average and longest time and the share of the total. Commands
 * a script calls are logged on their own too, so they also appear under their own names: the script rows are the
 * ones to compare. The bench says how much Redis costs an event; this says which script it is.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../simulators/evaluation/redis-server.js';
import { loadNamedScenario } from '../simulators/lib/index.js';
import { loadScriptSources } from '../src/adapters/redis/scripts.js';
import { feedScenario } from './redis-memory/feed.js';
import { scenarioEngine } from './redis-memory/scenario-engine.js';
import { scenarioNameArg, seedArg } from './scenario-args.js';
import { UsageError } from './usage-error.js';

// the slow log keeps at most this many commands; a day of the default scenario makes about half a million
const LOG_CAPACITY = 2_000_000;

type Row = { name: string; calls: number; totalUs: number; maxUs: number };

function readArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'default' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '8' },
      measured: { type: 'string', default: '1' },
      'redis-server': { type: 'string', default: 'redis-server' },
    },
  });
  const scenario = scenarioNameArg(values.scenario as string);
  const seed = seedArg(values.seed as string);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 2) throw new UsageError('--days: a whole number ≥ 2');
  const measured = Number(values.measured);
  if (!Number.isInteger(measured) || measured < 1 || measured >= days)
    throw new UsageError('--measured: a whole number of days ≥ 1 and below --days');
  return { scenario, seed, days, measured, redisServer: values['redis-server'] as string };
}

async function measure(args: ReturnType<typeof readArgs>): Promise<{ rows: Row[]; logged: number }> {
  // a fixed start: the same events on every run, whatever the day it runs
  const scenario = loadNamedScenario(args.scenario, {
    seed: args.seed,
    days: args.days,
    start: '2026-11-05T00:00:00+08:00',
  });
  const scriptNames = new Map(
    loadScriptSources().map((s) => [createHash('sha1').update(s.lua).digest('hex'), s.name] as const),
  );
  const server = await startPrivateRedis(args.redisServer);
  const redis = new Redis(server.url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
  const admin = new Redis(server.url, { maxRetriesPerRequest: 2 });
  try {
    const engine = scenarioEngine(redis, server.url, scenario, 'linli');
    await feedScenario(engine, scenario, {
      batchSize: 500,
      onDay: async (p) => {
        process.stderr.write(`day ${p.day}/${p.days} ${p.date}: ${p.messages.toLocaleString('en-US')} messages\n`);
        if (p.day !== args.days - args.measured) return;
        await admin.config('SET', 'slowlog-max-len', String(LOG_CAPACITY));
        await admin.config('SET', 'slowlog-log-slower-than', '0');
        await admin.slowlog('RESET');
      },
    });
    const log = (await admin.slowlog('GET', LOG_CAPACITY)) as [number, number, number, string[]][];
    const rows = new Map<string, Row>();
    for (const [, , us, argv] of log) {
      const command = String(argv[0]).toLowerCase();
      const name = command === 'evalsha' ? (scriptNames.get(String(argv[1])) ?? 'evalsha (unknown)') : command;
      const row = rows.get(name) ?? { name, calls: 0, totalUs: 0, maxUs: 0 };
      row.calls++;
      row.totalUs += us;
      row.maxUs = Math.max(row.maxUs, us);
      rows.set(name, row);
    }
    return { rows: [...rows.values()].sort((a, b) => b.totalUs - a.totalUs), logged: log.length };
  } finally {
    redis.disconnect();
    admin.disconnect();
    await server.stop();
  }
}

function format({ rows, logged }: { rows: Row[]; logged: number }): string {
  const total = rows.reduce((sum, r) => sum + r.totalUs, 0);
  const lines = [
    '| script or command | calls | µs a call | longest µs | share of the logged time |',
    '| --- | --- | --- | --- | --- |',
    ...rows
      .slice(0, 25)
      .map(
        (r) =>
          `| ${r.name} | ${r.calls.toLocaleString('en-US')} | ${(r.totalUs / r.calls).toFixed(1)} | ${r.maxUs} | ${((100 * r.totalUs) / total).toFixed(1)} % |`,
      ),
  ];
  const full = logged >= LOG_CAPACITY ? ` (the log was full: only the last ${LOG_CAPACITY} commands)` : '';
  return `${lines.join('\n')}\n${logged.toLocaleString('en-US')} commands logged${full}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  Promise.resolve()
    .then(() => measure(readArgs(process.argv.slice(2))))
    .then((result) => console.log(format(result)))
    .catch((err: unknown) => {
      process.stderr.write(`redis-cost: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof UsageError ? 2 : 1);
    });
}

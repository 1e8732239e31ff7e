/**
 * `npm run replay -- FILE [--estate PATH] [--dry-run] [--set detection.overCapacityMargin=3 …]`: feeds a recorded
 * NDJSON file of contract messages through the same intake, correlation and alert path as the gateway.
 * Live (default): alerts go to the configured Redis and reach the control room. Dry run: everything happens under
 * a scratch key prefix, so nothing is raised anywhere; the units that would alert are printed, then the scratch
 * keys are deleted — how an estate tries other thresholds before it goes live. The future-timestamp bound is off:
 * a recording's events come from another day.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadEstateFiles } from '../src/adapters/estate-files.js';
import { connectRedis } from '../src/adapters/redis/connect.js';
import { deleteKeysUnder } from '../src/adapters/redis/delete-keys.js';
import { readRecording } from '../src/adapters/replay/ndjson-source.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { ConfigSchema } from '../src/config/schema.js';
import type { IncomingMessage } from '../src/core/ingest.js';
import { EstateRegistry } from '../src/core/registry.js';
import { createEngine } from '../src/engine.js';
import { tallyHandled } from '../src/handled-tally.js';
import { createLogger } from '../src/logger.js';
import { applyOverrides } from './replay-overrides.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      estate: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      set: { type: 'string', multiple: true },
      batch: { type: 'string', default: '500' },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new ConfigError('usage: replay FILE [--estate PATH] [--dry-run] [--set key=value …]');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new ConfigError('--batch: must be an integer 1–10000');

  const base = loadConfig();
  const dryRun = values['dry-run'] === true;
  const prefix = dryRun ? `${base.redis.keyPrefix}-dryrun-${randomUUID().slice(0, 8)}` : base.redis.keyPrefix;
  const overridden = applyOverrides({ ...base, redis: { ...base.redis, keyPrefix: prefix } }, values.set ?? []);
  const parsed = ConfigSchema.safeParse(overridden);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `--set ${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const config = parsed.data;
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const registry = new EstateRegistry(loadEstateFiles(values.estate ?? config.estates));
  const redis = await connectRedis(config.redis);
  const engine = createEngine({ config, redis, registry, log, maxFutureMs: null });
  const tally = tallyHandled(engine.bus);
  const reasons = tally.reasons;
  let badLines = 0;
  engine.bus.on('alertChanged', ({ change, alert }) => {
    if (change === 'raised')
      console.log(`would raise  ${alert.severity.padEnd(8)} ${alert.kind.padEnd(24)} ${alert.summary}`);
  });

  // the gateway looks for silent devices on a wall-clock beat; a replay runs faster, so it looks after every batch
  const sweepDevices = async () => {
    for (const u of await engine.devices.sweep()) engine.bus.emit('alertChanged', u);
  };

  const started = Date.now();
  try {
    let batch: IncomingMessage[] = [];
    for await (const item of readRecording(file)) {
      if ('error' in item) {
        badLines++;
        console.error(`${file}:${item.line}: ${item.error}`);
        continue;
      }
      batch.push(item.message);
      if (batch.length >= batchSize) {
        await engine.ingest(batch);
        await sweepDevices();
        batch = [];
      }
    }
    if (batch.length) await engine.ingest(batch);
    await sweepDevices();
    const open = await engine.alerts.list({ status: 'open', limit: 100_000 });
    const byKind: Record<string, number> = {};
    for (const a of open) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `\n${dryRun ? 'dry run (nothing raised; scratch keys deleted)' : 'replayed live'}: ` +
        `${tally.counted} counted, ${tally.duplicates} duplicates, ${tally.rejected} dead-lettered` +
        `${
          Object.keys(reasons).length
            ? ` (${Object.entries(reasons)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ')})`
            : ''
        }, ` +
        `${badLines} unreadable lines in ${seconds.toFixed(1)} s\n` +
        `open alerts at the end: ${
          Object.entries(byKind)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ') || 'none'
        }`,
    );
  } finally {
    if (dryRun) await deleteKeysUnder(redis, config.redis.keyPrefix);
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`replay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

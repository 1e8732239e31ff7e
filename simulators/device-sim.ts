/**
 * Plays an estate's devices at event time and publishes their events to an MQTT broker.
 *   npm run simulate -- --estate config/estate.sample.json --days 14 --seed 42 \
 *     --mqtt mqtt://127.0.0.1:1883 --speed max --truth out/truth.json [--group-rental-share 0.03]
 *   npm run simulate -- --scenario default --seed 3 --truth out/truth.json --estate-out out/estate.default.json
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { connectAsync } from 'mqtt';
import { z } from 'zod';
import { parseEstate } from '../src/core/estate.js';
import { CliError, parseCli, seedValue } from './lib/cli-args.js';
import {
  loadNamedScenario,
  namedScenarioEstateFile,
  namedScenarioNames,
  readNamedScenario,
} from './lib/named-scenarios.js';
import { clearStatuses, publishScenario } from './lib/publisher.js';
import { generateScenario, type Scenario } from './lib/scenario.js';
import { writeTruth } from './lib/truth.js';

const USAGE = `usage: simulate [--estate config/estate.sample.json] [--days 14] [--seed 42] [--mqtt mqtt://127.0.0.1:1883]
                [--speed max|N] [--truth out/truth.json] [--group-rental-share 0.03] [--group-rentals N]
                [--start ISO-8601|now] [--max-in-flight 500] [--estate-id ID] [--clear-status] [--dry-run]
                [--ndjson FILE]
       simulate --scenario small|default|sample [--seed N] [--days N] [--start …] [--estate-out FILE] […]
  --scenario plays a named scenario (simulators/scenarios/NAME.json): its estate, days, group rentals and
    confounders; --seed, --days, --start and --estate-id override it, --estate and --group-rental* do not apply.
  --estate-out writes the played estate's registry, for a gateway to load (the default scenario generates it).
  --speed max publishes as fast as the broker acknowledges; --speed N paces events at N× real time.
  --start defaults to now − days, so the last events land at about the present.
  --clear-status removes the devices' retained statuses at the end (for shared development brokers).
  --ndjson writes the events to FILE (one {"topic","payload"} a line) instead of publishing: npm run replay reads it.`;

const ArgsSchema = z.object({
  estate: z.string().min(1).default('config/estate.sample.json'),
  scenario: z
    .string()
    .refine((s) => namedScenarioNames().includes(s), {
      error: () => `must be one of ${namedScenarioNames().join(', ')}`,
    })
    .optional(),
  estateOut: z.string().min(1).optional(),
  days: z.coerce.number().int().min(1).max(366).optional(),
  seed: z.string().min(1).optional(),
  mqtt: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\/\S+$/, 'must be a broker URL such as mqtt://127.0.0.1:1883')
    .default('mqtt://127.0.0.1:1883'),
  speed: z
    .union([z.literal('max'), z.coerce.number().positive()], { error: 'must be "max" or a positive number' })
    .default('max'),
  truth: z.string().min(1).default('out/truth.json'),
  groupRentalShare: z.coerce.number().min(0).max(1).default(0.03),
  groupRentals: z.coerce.number().int().min(0).optional(),
  start: z
    .string()
    .refine(
      (s) => s === 'now' || !Number.isNaN(Date.parse(s)),
      'must be "now" or an ISO 8601 instant such as 2026-11-12T00:00:00+08:00',
    )
    .optional(),
  maxInFlight: z.coerce.number().int().min(1).max(65_000).default(500),
  estateId: z.string().optional(),
  clearStatus: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  ndjson: z.string().min(1).optional(),
});
type Args = z.infer<typeof ArgsSchema>;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function loadScenario(args: Args): Promise<Scenario> {
  const common = {
    ...(args.seed === undefined ? {} : { seed: seedValue(args.seed) }),
    ...(args.days === undefined ? {} : { days: args.days }),
    ...(args.start === undefined ? {} : { start: args.start === 'now' ? Date.now() : args.start }),
    ...(args.estateId === undefined ? {} : { estateId: args.estateId }),
  };
  if (args.scenario) return loadNamedScenario(args.scenario, common);
  const estate = parseEstate(JSON.parse(await readFile(args.estate, 'utf8')), args.estate);
  return generateScenario({
    seed: 42,
    days: 14,
    ...common,
    estate,
    groupRentalShare: args.groupRentalShare,
    ...(args.groupRentals === undefined ? {} : { groupRentals: args.groupRentals }),
  });
}

/** The registry the run plays, under the id it plays it (`--estate-id`), for a gateway to load. */
async function writeEstate(path: string, args: Args, scenario: Scenario): Promise<void> {
  const source = args.scenario
    ? namedScenarioEstateFile(readNamedScenario(args.scenario))
    : JSON.parse(await readFile(args.estate, 'utf8'));
  const file = { ...source, estate: { ...source.estate, id: scenario.estate.id } };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Writes the events as an NDJSON recording (`{"topic","payload"}` per line) for `npm run replay`. */
async function writeRecording(path: string, scenario: Scenario): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let events = 0;
  for (const day of scenario.days()) {
    const lines = day.events.map((e) => JSON.stringify({ topic: e.topic, payload: e.payload }));
    events += lines.length;
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(`wrote ${fmt(events)} events to ${path}`);
}

/** Generates every event without a broker: counts and timing only. */
function dryRun(scenario: Scenario): void {
  const started = performance.now();
  let events = 0;
  for (const day of scenario.days()) events += day.events.length;
  const seconds = (performance.now() - started) / 1000;
  console.log(`generated ${fmt(events)} events in ${seconds.toFixed(2)} s (${fmt(events / seconds)} events/s)`);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const args = parseCli(ArgsSchema, argv, ['dryRun', 'clearStatus']);
  const scenario = await loadScenario(args);
  const { truth } = scenario;
  await writeTruth(args.truth, truth);
  if (args.estateOut) await writeEstate(args.estateOut, args, scenario);
  const tags = Object.entries(truth.confounders).filter(([, n]) => n > 0);
  console.log(
    `${scenario.name ? `scenario ${scenario.name}, ` : ''}estate ${truth.estateId}: ${scenario.estate.units.size} units, ` +
      `${scenario.deviceIds.length} devices; ${truth.groupRentals} group rentals; ${truth.start} → ${truth.end}; ` +
      `truth → ${args.truth}${args.estateOut ? `; estate → ${args.estateOut}` : ''}\n` +
      `confounders: ${tags.map(([tag, n]) => `${tag} ${n}`).join(', ')}`,
  );
  if (args.dryRun) return dryRun(scenario);
  if (args.ndjson) return writeRecording(args.ndjson, scenario);

  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const client = await connectAsync(args.mqtt, { clientId: `linli-sim-${randomUUID().slice(0, 8)}` }, false).catch(
    (err: unknown) => {
      throw new Error(`--mqtt: cannot connect to ${args.mqtt}: ${err instanceof Error ? err.message : String(err)}`);
    },
  );
  const summary = await publishScenario(client, scenario, {
    speed: args.speed,
    maxInFlight: args.maxInFlight,
    signal: abort.signal,
    onProgress: (p) =>
      console.error(
        `day ${p.dayIndex + 1}/${p.dayCount} (${p.date}) · ${fmt(p.published)} events · ${fmt(p.eventsPerSecond)} events/s`,
      ),
  });
  if (args.clearStatus) await clearStatuses(client, scenario);
  await client.endAsync();
  const seconds = summary.elapsedMs / 1000;
  console.log(
    `${abort.signal.aborted ? 'interrupted: ' : ''}published ${fmt(summary.published)} events ` +
      `(+${fmt(summary.statuses)} retained statuses) in ${seconds.toFixed(1)} s: ${fmt(summary.eventsPerSecond)} events/s ` +
      `(generation ${(summary.generationMs / 1000).toFixed(2)} s); group rentals injected: ${truth.groupRentals}`,
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof CliError ? `${err.message}\n${USAGE}` : err instanceof Error ? err.message : err);
  process.exitCode = err instanceof CliError ? 2 : 1;
});

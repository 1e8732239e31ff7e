/**
 * `npm run evaluate -- --scenario default --seeds 1,2,3,4,5`: plays a named scenario through a real broker, the
 * gateway and Redis for each seed, scores the alerts against the ground truth, prints the figures and writes them
 * as JSON (out/evaluation-<scenario>.json unless --out says otherwise).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { formatReport, summarise } from './evaluation/report.js';
import { type BrokerChoice, mosquittoInstalled, runSeed, type SeedRun } from './evaluation/run.js';
import { isScenarioName, namedScenario } from './evaluation/scenarios.js';
import { namedScenarioNames } from './lib/index.js';

const Args = z.strictObject({
  scenario: z
    .string()
    .refine(isScenarioName, { error: () => `must be one of ${namedScenarioNames().join(', ')}` })
    .default('default'),
  seeds: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated integers, e.g. 1,2,3')
    .default('1,2,3,4,5')
    .transform((s) => s.split(',').map(Number)),
  broker: z.enum(['mosquitto', 'embedded']).optional(),
  out: z.string().min(1).optional(),
  'min-presence-days': z.coerce.number().min(0).max(30).default(4),
});

function parseArgs(argv: readonly string[]) {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    if (!flag.startsWith('--') || argv[i + 1] === undefined)
      throw new Error(`expected --flag value pairs, got "${flag}"`);
    raw[flag.slice(2)] = argv[i + 1] as string;
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.') || '?'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const broker: BrokerChoice = args.broker ?? (mosquittoInstalled() ? 'mosquitto' : 'embedded');
  const log = pino({ level: 'warn' });
  const runs: SeedRun[] = [];
  console.log(`evaluating scenario "${args.scenario}" on seeds ${args.seeds.join(', ')} through ${broker}`);
  for (const seed of args.seeds) {
    const scenario = namedScenario(args.scenario, seed);
    const run = await runSeed({ scenario, log, broker, minPresenceDays: args['min-presence-days'] });
    runs.push(run);
    console.log(formatReport([run]).split('\n').slice(1).join('\n'));
  }
  const summary = summarise(args.scenario, broker, runs);
  console.log(`\n${formatReport(runs)}`);
  const out = args.out ?? `out/evaluation-${args.scenario}.json`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`figures written to ${out}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`evaluate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

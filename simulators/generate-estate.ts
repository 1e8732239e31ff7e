/**
 * Writes a deterministic estate registry (contract v1) for demos and tests.
 *   npm run estate:generate                       → config/estate.sample.json (28+ buildings, ≥ 1,000 units)
 *   npm run estate:generate -- --buildings 2 --min-units 0 --out test/fixtures/estate.small.json
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseEstate } from '../src/core/estate.js';
import { CliError, parseCli, seedValue } from './lib/cli-args.js';
import { buildEstateFile } from './lib/estate-builder.js';

const USAGE = `usage: estate:generate [--seed 42] [--buildings 28] [--min-units 1000] [--out config/estate.sample.json]
                       [--estate-id shjy] [--name 盛华景苑] [--timezone Asia/Shanghai]`;

const ArgsSchema = z.object({
  seed: z.string().min(1).default('42'),
  buildings: z.coerce.number().int().min(1).max(500).default(28),
  minUnits: z.coerce.number().int().min(0).max(100_000).default(1000),
  out: z.string().min(1).default('config/estate.sample.json'),
  estateId: z.string().default('shjy'),
  name: z.string().min(1).default('盛华景苑'),
  timezone: z.string().default('Asia/Shanghai'),
});

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const args = parseCli(ArgsSchema, argv);
  const file = buildEstateFile({
    seed: seedValue(args.seed),
    buildings: args.buildings,
    minUnits: args.minUnits,
    estateId: args.estateId,
    name: args.name,
    timezone: args.timezone,
  });
  // The generator is only useful if the gateway accepts what it writes.
  const estate = parseEstate(file, args.out);
  await mkdir(dirname(args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(file, null, 2)}\n`);
  const kinds = new Map<string, number>();
  for (const d of estate.devices.values()) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  const devices = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
  console.log(`${args.out}: ${estate.buildings.size} buildings, ${estate.units.size} units, devices: ${devices}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof CliError ? `${err.message}\n${USAGE}` : err);
  process.exitCode = err instanceof CliError ? 2 : 1;
});

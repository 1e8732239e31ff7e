import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Estate, type EstateFile, parseEstate } from '../../src/core/estate.js';
import { MIX_KINDS } from './confounders.js';
import { buildEstateFile, withFaceGates } from './estate-builder.js';
import { generateScenario, type Scenario, type ScenarioOptions } from './scenario.js';

/**
 * Named scenarios: one JSON file each in simulators/scenarios/, validated here. A scenario names its estate (a
 * registry file, or the options of the seeded estate builder), its length, its group rentals and the confounder
 * mix; a run adds the seed and the start.
 */

const ROOT = new URL('../../', import.meta.url);
const SCENARIO_DIR = new URL('simulators/scenarios/', ROOT);

const Rate = z.strictObject({
  share: z.number().min(0).max(1).describe('share of the households this can happen to'),
  min: z.number().int().min(0).optional().describe('at least this many, chosen at random among those it fits'),
});

export const NamedScenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  estate: z.union([
    z.strictObject({ file: z.string().min(1).describe('registry file, relative to the repository root') }),
    z.strictObject({
      generate: z.strictObject({
        seed: z.union([z.number().int(), z.string()]),
        buildings: z.number().int().min(1).max(500).optional(),
        minUnits: z.number().int().min(0).max(100_000).optional(),
        estateId: z.string().optional(),
        name: z.string().optional(),
        timezone: z.string().optional(),
      }),
    }),
  ]),
  faceGates: z
    .enum(['all', 'entrances', 'none'])
    .default('all')
    .describe('face gates the estate keeps: every one, the estate entrances only, or none (locks and stairwells only)'),
  seed: z.union([z.number().int(), z.string()]).default(42),
  days: z.number().int().min(1).max(366),
  groupRentals: z.union([
    z.strictObject({ share: z.number().min(0).max(1) }),
    z.strictObject({
      count: z.number().int().min(0),
      kinds: z
        .strictObject({
          'shared-credential': z.number().int().min(0).optional(),
          'password-only': z.number().int().min(0).optional(),
          staggered: z.number().int().min(0).optional(),
          relapse: z.number().int().min(0).optional(),
        })
        .optional(),
    }),
  ]),
  confounders: z.partialRecord(z.enum(MIX_KINDS), Rate).optional(),
});
export type NamedScenario = z.infer<typeof NamedScenarioSchema>;

export type NamedRunOptions = Partial<Pick<ScenarioOptions, 'seed' | 'start' | 'estateId' | 'days'>>;

export function namedScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads and validates simulators/scenarios/<name>.json. */
export function readNamedScenario(name: string): NamedScenario {
  if (!namedScenarioNames().includes(name)) {
    throw new RangeError(`no scenario "${name}"; named scenarios: ${namedScenarioNames().join(', ')}`);
  }
  const path = fileURLToPath(new URL(`${name}.json`, SCENARIO_DIR));
  const parsed = NamedScenarioSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.name !== name) throw new Error(`${path}: name "${parsed.data.name}" differs from the file name`);
  return parsed.data;
}

/** The scenario's registry document: its file as read, or the seeded builder's output. */
export function namedScenarioEstateFile(spec: NamedScenario): EstateFile {
  const file: EstateFile =
    'generate' in spec.estate
      ? buildEstateFile(spec.estate.generate)
      : JSON.parse(readFileSync(fileURLToPath(new URL(spec.estate.file, ROOT)), 'utf8'));
  return withFaceGates(file, spec.faceGates);
}

const estates = new Map<string, Estate>();

/** The scenario's estate, parsed once per process (the builder is seeded, so a generated one is always the same). */
export function namedScenarioEstate(spec: NamedScenario): Estate {
  const key = JSON.stringify([spec.estate, spec.faceGates]);
  let estate = estates.get(key);
  if (!estate) {
    const source = 'file' in spec.estate ? spec.estate.file : `scenario ${spec.name}`;
    estate = parseEstate(namedScenarioEstateFile(spec), source);
    estates.set(key, estate);
  }
  return estate;
}

/** Plays a named scenario: `loadNamedScenario('default', { seed: 3 })`. Same name and options, same events. */
export function loadNamedScenario(name: string, options: NamedRunOptions = {}): Scenario {
  const spec = readNamedScenario(name);
  const rentals = spec.groupRentals;
  return generateScenario({
    name: spec.name,
    estate: namedScenarioEstate(spec),
    seed: options.seed ?? spec.seed,
    days: options.days ?? spec.days,
    ...('share' in rentals
      ? { groupRentalShare: rentals.share }
      : { groupRentals: rentals.count, groupRentalKinds: rentals.kinds ?? {} }),
    ...(spec.confounders ? { confounders: spec.confounders } : {}),
    ...(options.start === undefined ? {} : { start: options.start }),
    ...(options.estateId === undefined ? {} : { estateId: options.estateId }),
  });
}

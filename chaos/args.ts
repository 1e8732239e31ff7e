import { z } from 'zod';
import { CliError, parseCli } from '../simulators/lib/cli-args.js';

export type ChaosArgs = { quick: boolean; seed: number; scenarios: string[]; out: string };

const ChaosOptions = z.object({
  quick: z.boolean().default(false),
  seed: z.coerce.number().int().default(1),
  scenario: z.string().optional(),
  out: z.string().min(1).default('out/chaos.json'),
});

/** `npm run chaos` options, each checked; a mistake is a CliError naming the option and what it must be. */
export function readChaosArgs(argv: readonly string[], known: readonly string[]): ChaosArgs {
  const o = parseCli(ChaosOptions, argv, ['quick']);
  const scenarios = o.scenario === undefined ? [...known] : o.scenario.split(',');
  const unknown = scenarios.filter((s) => !known.includes(s));
  if (unknown.length)
    throw new CliError(`--scenario: no scenario ${unknown.join(', ')} (there are ${known.join(', ')})`);
  return { quick: o.quick, seed: o.seed, scenarios, out: o.out };
}

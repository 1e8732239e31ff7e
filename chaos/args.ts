import { parseArgs } from 'node:util';
import { UsageError } from '../scripts/usage-error.js';

export type ChaosArgs = { quick: boolean; seed: number; scenarios: string[]; out: string };

/** `npm run chaos` options, each checked; a mistake is a UsageError naming the option and what it must be. */
export function readChaosArgs(argv: string[], known: readonly string[]): ChaosArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        scenario: { type: 'string' },
        out: { type: 'string', default: 'out/chaos.json' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed: must be an integer, got ${values.seed}`);
  const scenarios = values.scenario === undefined ? [...known] : String(values.scenario).split(',');
  const unknown = scenarios.filter((s) => !known.includes(s));
  if (unknown.length)
    throw new UsageError(`--scenario: no scenario ${unknown.join(', ')} (there are ${known.join(', ')})`);
  return { quick: values.quick === true, seed, scenarios, out: String(values.out) };
}

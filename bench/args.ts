import { parseArgs } from 'node:util';
import { UsageError } from '../scripts/usage-error.js';

export type BenchArgs = { quick: boolean; seed: number; growth: number[]; profile: boolean; out: string };

/** `npm run bench` options, each checked; a mistake is a UsageError naming the option and what it must be. */
export function readBenchArgs(argv: string[]): BenchArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        growth: { type: 'string', default: '1000,10000,100000' },
        profile: { type: 'boolean', default: false },
        out: { type: 'string', default: 'out/bench.json' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed: must be an integer, got ${values.seed}`);
  const growth =
    values.growth === 'none'
      ? []
      : String(values.growth)
          .split(',')
          .map((s) => {
            const n = Number(s);
            if (!Number.isInteger(n) || n < 10 || n > 1_000_000) {
              throw new UsageError(`--growth: ${s} is not a unit count 10–1000000 (or say none)`);
            }
            return n;
          });
  return { quick: values.quick === true, seed, growth, profile: values.profile === true, out: String(values.out) };
}

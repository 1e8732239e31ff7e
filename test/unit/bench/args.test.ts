import { describe, expect, it } from 'vitest';
import { readBenchArgs } from '../../../bench/args.js';
import { UsageError } from '../../../scripts/usage-error.js';

describe('npm run bench options', () => {
  it('defaults to the full plan with the three growth estates', () => {
    expect(readBenchArgs([])).toEqual({
      quick: false,
      seed: 1,
      growth: [1000, 10000, 100000],
      profile: false,
      out: 'out/bench.json',
    });
  });

  it('reads a quick run without growth', () => {
    expect(readBenchArgs(['--quick', '--growth', 'none', '--seed', '7'])).toMatchObject({
      quick: true,
      seed: 7,
      growth: [],
    });
  });

  it.each([
    [['--seed', 'x'], '--seed: must be an integer, got x'],
    [['--growth', '1000,5'], '--growth: 5 is not a unit count 10–1000000 (or say none)'],
    [['--growth', 'lots'], '--growth: lots is not a unit count 10–1000000 (or say none)'],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => readBenchArgs(argv)).toThrow(new UsageError(message));
  });

  it('refuses an option it does not know as a usage error', () => {
    expect(() => readBenchArgs(['--fast'])).toThrow(UsageError);
    expect(() => readBenchArgs(['--fast'])).toThrow(/--fast/);
  });
});

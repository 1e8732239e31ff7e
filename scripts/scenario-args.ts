import { namedScenarioNames } from '../simulators/lib/index.js';
import { UsageError } from './usage-error.js';

/** A `--scenario` value: one of the named scenarios. */
export function scenarioNameArg(value: string): string {
  if (!namedScenarioNames().includes(value))
    throw new UsageError(`--scenario: must be one of ${namedScenarioNames().join(', ')}`);
  return value;
}

/** A `--seed` value: a number when it is one, so `--seed 1` and the default seed 1 play the same scenario. */
export function seedArg(value: string): number | string {
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}

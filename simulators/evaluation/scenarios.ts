import { loadNamedScenario, namedScenarioNames, type Scenario } from '../lib/index.js';

/**
 * A named scenario of simulators/scenarios/ for one seed. By default it starts `days` before now, so no event lies
 * ahead; `start` pins its first instant, so the same seed plays the very same days whenever it runs (a gate in CI
 * must not depend on the time of day it runs at).
 */
export function namedScenario(name: string, seed: number, start?: string): Scenario {
  return loadNamedScenario(name, { seed, ...(start === undefined ? {} : { start }) });
}

/** Every scenario file is a valid choice: adding one needs no code. */
export const isScenarioName = (name: string): boolean => namedScenarioNames().includes(name);

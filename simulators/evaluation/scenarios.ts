import { loadNamedScenario, namedScenarioNames, type Scenario } from '../lib/index.js';

/** A named scenario of simulators/scenarios/ for one seed; it starts `days` before now, so no event lies ahead. */
export function namedScenario(name: string, seed: number): Scenario {
  return loadNamedScenario(name, { seed });
}

/** Every scenario file is a valid choice: adding one needs no code. */
export const isScenarioName = (name: string): boolean => namedScenarioNames().includes(name);

import { loadNamedScenario, type Scenario } from '../lib/index.js';

export const SCENARIO_NAMES = ['small', 'sample', 'default'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A named scenario of simulators/scenarios/ for one seed; it starts `days` before now, so no event lies ahead. */
export function namedScenario(name: ScenarioName, seed: number): Scenario {
  return loadNamedScenario(name, { seed });
}

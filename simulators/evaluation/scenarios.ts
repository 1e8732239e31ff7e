import { readFileSync } from 'node:fs';
import { generateScenario, type Scenario, smallScenario } from '../lib/index.js';

export const SCENARIO_NAMES = ['small', 'sample', 'default'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The named scenarios the evaluation plays; `start` defaults to now − days so no event lies in the future. */
export function namedScenario(name: ScenarioName, seed: number): Scenario {
  switch (name) {
    case 'small':
      return smallScenario({ seed });
    case 'sample':
    case 'default':
      return generateScenario({
        estate: JSON.parse(readFileSync('config/estate.sample.json', 'utf8')),
        seed,
        days: 14,
      });
  }
}

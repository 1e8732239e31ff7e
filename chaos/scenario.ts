import type { ChaosContext } from './context.js';
import type { ScenarioResult } from './verdict.js';

export type Scenario = {
  name: string;
  /** One line for the report: the fault and what must hold. */
  about: string;
  run(ctx: ChaosContext): Promise<ScenarioResult>;
};

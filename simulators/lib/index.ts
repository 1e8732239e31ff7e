/** Public API of the simulators, for the end-to-end tests and the demo script. */
export { type Calendar, createCalendar } from './calendar.js';
export { buildEstateFile, type EstateBuildOptions, legalCapacity } from './estate-builder.js';
export type { Household, HouseholdKind, Person, SimEvent } from './model.js';
export {
  clearStatuses,
  type PublishOptions,
  type PublishProgress,
  type PublishSummary,
  publishScenario,
} from './publisher.js';
export {
  DEFAULT_GROUP_RENTAL_SHARE,
  generateScenario,
  type Scenario,
  type ScenarioDay,
  type ScenarioOptions,
} from './scenario.js';
export {
  loadEstate,
  loadEstateSync,
  SMALL_ESTATE_PATH,
  SMALL_SCENARIO_DEFAULTS,
  smallScenario,
} from './small-scenario.js';
export { buildTruth, type GroundTruth, type TruthUnit, writeTruth } from './truth.js';

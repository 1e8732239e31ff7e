/** Public API of the simulators, for the end-to-end tests, the evaluation and the demo script. */
export { type Calendar, createCalendar } from './calendar.js';
export {
  CONFOUNDER_KINDS,
  type ConfounderKind,
  type ConfounderMix,
  MIX_KINDS,
  type MixKind,
  type MixRate,
} from './confounders.js';
export { buildEstateFile, type EstateBuildOptions, legalCapacity } from './estate-builder.js';
export {
  GROUP_RENTAL_VARIANTS,
  type GroupRentalVariant,
  type Household,
  type HouseholdKind,
  type Person,
  type SimEvent,
  type SimStatus,
} from './model.js';
export {
  loadNamedScenario,
  type NamedRunOptions,
  type NamedScenario,
  NamedScenarioSchema,
  namedScenarioEstate,
  namedScenarioEstateFile,
  namedScenarioNames,
  readNamedScenario,
} from './named-scenarios.js';
export {
  clearStatuses,
  type PublishOptions,
  type PublishProgress,
  type PublishSummary,
  publishScenario,
} from './publisher.js';
export {
  DEFAULT_GROUP_RENTAL_SHARE,
  type GroupRentalKinds,
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
export {
  buildTruth,
  type GroundTruth,
  type TruthInterval,
  type TruthPeriod,
  type TruthUnit,
  writeTruth,
} from './truth.js';

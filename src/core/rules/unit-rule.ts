import type { AlertDraft, AlertKind } from '../alerts.js';
import type { Detection } from '../detection.js';
import type { Unit } from '../estate.js';
import type { ProfileView } from '../estate-profile.js';
import type { OccupancyEstimate } from '../occupancy.js';
import type { UnitSignals } from '../signals.js';

export type UnitRuleContext = {
  estateId: string;
  unit: Unit;
  capacity: number;
  signals: UnitSignals;
  /** Every signal, door traffic included where it counts. */
  estimate: OccupancyEstimate;
  /** Only the people credentials and faces name: stronger evidence, when it suffices on its own. */
  named: OccupancyEstimate;
  detection: Detection;
  /** The estate's own distribution of door traffic, when the gateway keeps one. */
  profile?: ProfileView | undefined;
  /** The unit's floor has a stairwell counter above the ground floor (see occupancy.ts). */
  stairwellCounted: boolean;
};

/**
 * A declarative occupancy rule: returns the alert's content when the unit breaks it, nothing when it does not, and
 * how many distinct days a breach must last before its alert opens (weaker evidence must last longer).
 */
export type UnitRule = {
  kind: AlertKind;
  evaluate(ctx: UnitRuleContext): AlertDraft | undefined;
  /** The same condition at the lower watch level: what keeps an open alert open and catches a relapse. */
  evaluateUnderWatch?(ctx: UnitRuleContext): AlertDraft | undefined;
  confirmDays(ctx: UnitRuleContext): number;
};

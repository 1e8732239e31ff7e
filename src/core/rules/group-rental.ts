import type { Severity } from '../alerts.js';
import { alertEstimate, basisText, occupancyEvidence, restingOn } from './evidence.js';
import type { UnitRule, UnitRuleContext } from './unit-rule.js';

export const GROUP_RENTAL_RULE_TEXT =
  'Shanghai occupancy limit: at most 2 people per room designed for living and at least 5 m² of living area per person';

function severityFor({ estimate, capacity, detection }: UnitRuleContext): Severity {
  const over = estimate.people - capacity;
  if (capacity === 0 || estimate.people >= detection.highSeverityRatio * capacity) return 'high';
  return over >= detection.overCapacityMargin + 2 ? 'medium' : 'low';
}

/**
 * Raised when the people estimate exceeds the unit's legal capacity by the margin AND exceeds its registered
 * household by the same margin: the overcrowding is not explained by the people registered there. One person
 * over is within what a live-in carer, a relative staying a while or a miscounted face produces; a group rental
 * is several people nobody registered.
 */
/** Capacity + margin and registered + margin, both: the group-rental threshold at a margin. */
const crossesAt =
  ({ capacity, unit }: UnitRuleContext, margin: number) =>
  (people: number) =>
    people >= capacity + margin && people >= unit.registered + margin;

export const groupRentalRule: UnitRule = {
  kind: 'group-rental-suspected',
  evaluateUnderWatch: (ctx) =>
    groupRentalRule.evaluate({
      ...ctx,
      detection: { ...ctx.detection, overCapacityMargin: ctx.detection.watchMargin },
    }),
  // just at the threshold, a week of relatives or a carer can look the same, and door traffic is a weaker count
  // than named people: those must last longer
  confirmDays(ctx) {
    const { capacity, unit, detection } = ctx;
    const { estimate } = restingOn(ctx, crossesAt(ctx, detection.overCapacityMargin)) ?? ctx;
    const over = Math.min(estimate.people - capacity, estimate.people - unit.registered);
    return estimate.basis !== 'traffic' && over > detection.overCapacityMargin
      ? detection.confirmDays
      : detection.confirmDaysAtThreshold;
  },
  evaluate(whole) {
    const ctx = restingOn(whole, crossesAt(whole, whole.detection.overCapacityMargin));
    if (!ctx) return undefined;
    const { estimate, capacity, unit, detection } = ctx;
    const margin = detection.overCapacityMargin;
    const evidence = occupancyEvidence(ctx);
    evidence.unshift({
      signal: 'estimate-over-capacity',
      label: 'People estimate vs legal capacity',
      value: estimate.people,
      threshold: capacity,
      text: `About ${estimate.people} people live here (${basisText(estimate)}); the legal capacity is ${capacity} (${unit.rooms} room${unit.rooms === 1 ? '' : 's'}, ${unit.areaM2} m²: min(2 × ${unit.rooms}, floor(${unit.areaM2} / 5))) and ${unit.registered} are registered; an alert needs ${margin} or more beyond both.`,
    });
    return {
      kind: 'group-rental-suspected',
      subject: unit.id,
      estateId: ctx.estateId,
      buildingId: unit.buildingId,
      unitId: unit.id,
      floor: unit.floor,
      severity: severityFor(ctx),
      rule: `${GROUP_RENTAL_RULE_TEXT}: capacity ${capacity}, ${unit.registered} registered, estimate ${estimate.people}.`,
      summary: `Unit ${unit.id}: about ${estimate.people} people for a legal capacity of ${capacity}.`,
      estimate: alertEstimate(ctx),
      evidence,
    };
  },
};

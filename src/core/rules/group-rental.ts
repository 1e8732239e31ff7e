import type { Severity } from '../alerts.js';
import { occupancyEvidence } from './evidence.js';
import type { UnitRule, UnitRuleContext } from './unit-rule.js';

export const GROUP_RENTAL_RULE_TEXT =
  'Shanghai occupancy limit: at most 2 people per room designed for living and at least 5 m² of living area per person';

function severityFor({ estimate, capacity, detection }: UnitRuleContext): Severity {
  const over = estimate.people - capacity;
  if (capacity === 0 || estimate.people >= detection.highSeverityRatio * capacity) return 'high';
  return over >= 2 ? 'medium' : 'low';
}

/** Raised when the people estimate exceeds the unit's legal capacity. */
export const groupRentalRule: UnitRule = {
  kind: 'group-rental-suspected',
  evaluate(ctx) {
    const { estimate, capacity, unit, detection } = ctx;
    if (estimate.people < capacity + detection.overCapacityMargin) return undefined;
    const evidence = occupancyEvidence(ctx.signals, detection);
    evidence.unshift({
      signal: 'estimate-over-capacity',
      label: 'People estimate vs legal capacity',
      value: estimate.people,
      threshold: capacity,
      text: `About ${estimate.people} people live here (from ${estimate.basis}); the legal capacity is ${capacity} (${unit.rooms} rooms, ${unit.areaM2} m²: min(2 × ${unit.rooms}, floor(${unit.areaM2} / 5))).`,
    });
    return {
      kind: 'group-rental-suspected',
      subject: unit.id,
      estateId: ctx.estateId,
      buildingId: unit.buildingId,
      unitId: unit.id,
      floor: unit.floor,
      severity: severityFor(ctx),
      rule: `${GROUP_RENTAL_RULE_TEXT}: capacity ${capacity}, estimate ${estimate.people}.`,
      summary: `Unit ${unit.id}: about ${estimate.people} people for a legal capacity of ${capacity}.`,
      estimate: { people: estimate.people, basis: estimate.basis, capacity, registered: unit.registered },
      evidence,
    };
  },
};

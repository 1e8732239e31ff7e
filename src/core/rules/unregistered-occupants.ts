import { alertEstimate, basisText, occupancyEvidence, restingOn } from './evidence.js';
import type { UnitRule } from './unit-rule.js';

/**
 * Raised when clearly more people live in a unit than are registered there: the estimate reaches registered +
 * margin. Faces missing from the estate's face library are not evidence on their own: registered residents may
 * decline face enrolment (face recognition is never required), so they only count through the estimate.
 */
export const unregisteredOccupantsRule: UnitRule = {
  kind: 'unregistered-occupants',
  // relatives who stay a week or two are not occupants to register: the excess must outlast such a visit
  confirmDays: ({ detection }) => detection.unregisteredConfirmDays,
  evaluate(whole) {
    const margin = whole.detection.unregisteredMargin;
    const ctx = restingOn(whole, (people) => people >= whole.unit.registered + margin);
    if (!ctx) return undefined;
    const { estimate, unit } = ctx;
    const extra = estimate.people - unit.registered;
    const evidence = occupancyEvidence(ctx);
    evidence.unshift({
      signal: 'estimate-over-registered',
      label: 'People estimate vs registered occupants',
      value: estimate.people,
      threshold: unit.registered + margin,
      text: `About ${estimate.people} people live here (${basisText(estimate)}); ${unit.registered} are registered, and an alert needs ${margin} or more beyond that.`,
    });
    return {
      kind: 'unregistered-occupants',
      subject: unit.id,
      estateId: ctx.estateId,
      buildingId: unit.buildingId,
      unitId: unit.id,
      floor: unit.floor,
      severity: extra >= 2 * margin ? 'medium' : 'low',
      rule: `More people live here than are registered: ${margin} or more beyond the ${unit.registered} registered.`,
      summary: `Unit ${unit.id}: about ${estimate.people} people, ${unit.registered} registered.`,
      estimate: alertEstimate(ctx),
      evidence,
    };
  },
};

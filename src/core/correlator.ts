import type { AlertDecision, AlertKind } from './alerts.js';
import { legalCapacity } from './capacity.js';
import { policeAlarmEntry } from './cases/police-view.js';
import type { Detection } from './detection.js';
import type { Estate } from './estate.js';
import type { ProfileView } from './estate-profile.js';
import type { AcceptedEvent } from './intake.js';
import { estimateOccupancy, occupancyContextOf } from './occupancy.js';
import type { StoreOutcome } from './ports.js';
import { alarmSubject, deviceAlarmDraft } from './rules/device-alarm.js';
import { groupRentalRule } from './rules/group-rental.js';
import type { UnitRule } from './rules/unit-rule.js';
import { unregisteredOccupantsRule } from './rules/unregistered-occupants.js';
import type { UnitSignals } from './signals.js';
import { DAY_MS } from './time.js';

export const UNIT_RULES: readonly UnitRule[] = [groupRentalRule, unregisteredOccupantsRule];

/**
 * The alert policy of one unit: every rule either keeps its alert raised (with current evidence) or clears it.
 * A raise's fingerprint changes when the estimate, the severity or the day changes, so a unit that stays over
 * capacity records one occurrence per day, not one per door opening. Occupancy alerts carry the detection's
 * hysteresis (confirmDays, clearAfterDays): an estimate that crosses capacity for a day does not make an alert.
 */
export function decideForUnit(
  estate: Estate,
  signals: UnitSignals,
  detection: Detection,
  eventMs: number,
  rules: readonly UnitRule[] = UNIT_RULES,
  profile?: ProfileView,
): AlertDecision[] {
  const unit = estate.units.get(signals.unitId);
  if (!unit) return [];
  const capacity = legalCapacity(unit);
  const occupancy = occupancyContextOf(estate, unit, detection, profile);
  const estimate = estimateOccupancy(signals, occupancy);
  const named = estimateOccupancy(signals, { ...occupancy, withTraffic: false });
  const ctx = { ...occupancy, estateId: estate.id, unit, capacity, signals, estimate, named };
  return rules.map((rule): AlertDecision => {
    const persistence = {
      day: signals.window.toDay,
      confirmDays: rule.confirmDays(ctx),
      clearAfterDays: detection.clearAfterDays,
    };
    const draft = rule.evaluate(ctx);
    const watched = draft ? undefined : rule.evaluateUnderWatch?.(ctx);
    const raised = draft ?? watched;
    if (!raised) return { ...clear(rule.kind, estate.id, unit.id, eventMs), persistence };
    const fingerprint = `${raised.severity}|${estimate.people}|${signals.window.toDay}`;
    if (!watched) return { action: 'raise', draft: raised, eventMs, fingerprint, persistence };
    const watch = { watchOnly: true, watchMs: detection.watchDays * DAY_MS, confirmDays: detection.confirmDays };
    return { action: 'raise', draft: raised, eventMs, fingerprint, persistence: { ...persistence, ...watch } };
  });
}

/** An alarm alert follows the device's newest reported state of that alarm; safety alarms also reach the police. */
export function decideForAlarm(accepted: AcceptedEvent, state: { active: boolean; sinceMs: number }): AlertDecision[] {
  const { event, binding } = accepted;
  if (event.type !== 'alarm') return [];
  const at = new Date(state.sinceMs).toISOString();
  const draft = deviceAlarmDraft(binding, event.alarm, at);
  const police = policeAlarmEntry(binding, event.alarm, state.active, at, draft.severity);
  const decision: AlertDecision = state.active
    ? { action: 'raise', draft, eventMs: state.sinceMs, fingerprint: `active|${state.sinceMs}` }
    : clear('device-alarm', binding.estateId, alarmSubject(binding.deviceId, event.alarm), state.sinceMs);
  return [police ? { ...decision, police } : decision];
}

/** All decisions that follow from one event's store outcome. */
export function decide(
  accepted: AcceptedEvent,
  outcome: StoreOutcome,
  detection: Detection,
  profile?: ProfileView,
): AlertDecision[] {
  if (outcome.status !== 'counted' && outcome.status !== 'duplicate') return [];
  const decisions = outcome.units.flatMap((s) =>
    decideForUnit(accepted.estate, s, detection, accepted.tsMs, UNIT_RULES, profile),
  );
  if (outcome.alarm) decisions.push(...decideForAlarm(accepted, outcome.alarm));
  return decisions;
}

function clear(kind: AlertKind, estateId: string, subject: string, eventMs: number): AlertDecision {
  return { action: 'clear', kind, estateId, subject, eventMs };
}

import type { GroundTruth } from '../simulators/lib/index.js';
import type { Alert } from '../src/core/alerts.js';

export function printAlert(a: Alert): void {
  const where = a.unitId ? `unit ${a.unitId}` : `device ${a.deviceId}`;
  const numbers = a.estimate
    ? ` [estimate ${a.estimate.people}, capacity ${a.estimate.capacity}, registered ${a.estimate.registered}]`
    : '';
  console.log(
    `ALERT ${a.severity.toUpperCase().padEnd(8)} ${a.kind.padEnd(24)} ${where.padEnd(16)} ${a.summary}${numbers}`,
  );
}

type Tally = { counted: number; duplicates: number; rejected: number; published: number; elapsedS: number };

/** Flagged units against the units that truly have the condition. */
function score(flaggedUnits: (string | undefined)[], actualUnits: string[]) {
  const flagged = new Set(flaggedUnits);
  const actual = new Set(actualUnits);
  const tp = [...flagged].filter((u) => actual.has(u as string)).length;
  const precision = flagged.size ? tp / flagged.size : 1;
  const recall = actual.size ? tp / actual.size : 1;
  return {
    truth: actual.size,
    flagged: flagged.size,
    tp,
    fp: flagged.size - tp,
    fn: actual.size - tp,
    precision,
    recall,
  };
}

const line = (what: string, s: ReturnType<typeof score>) =>
  `${what}: ${s.truth} in the ground truth, ${s.flagged} flagged: ${s.tp} right, ${s.fp} false alarms, ${s.fn} missed (precision ${s.precision.toFixed(2)}, recall ${s.recall.toFixed(2)})`;

/**
 * Occupancy alerts against the simulator's ground truth: those open at the end, and every unit that was alerted at
 * any time during the run (an alert raised and cleared again was still seen by the control room).
 */
export function summarise(allAlerts: readonly Alert[], truth: GroundTruth, tally: Tally, unregisteredMargin = 2) {
  const alerts = allAlerts.filter((a) => a.status === 'open');
  const ofKind = (kind: string) => alerts.filter((a) => a.kind === kind).map((a) => a.unitId);
  const everKind = (kind: string) => allAlerts.filter((a) => a.kind === kind).map((a) => a.unitId);
  const groupRentals = score(
    ofKind('group-rental-suspected'),
    truth.units.filter((u) => u.groupRental).map((u) => u.unitId),
  );
  const unregistered = score(
    ofKind('unregistered-occupants'),
    truth.units.filter((u) => u.occupants >= u.registered + unregisteredMargin).map((u) => u.unitId),
  );
  const groupRentalsEver = score(
    everKind('group-rental-suspected'),
    truth.units.filter((u) => u.groupRental).map((u) => u.unitId),
  );
  const byKind: Record<string, number> = {};
  for (const a of alerts) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  const eventsPerS = Math.round(tally.published / tally.elapsedS);
  const text = [
    `events: ${tally.published} published, ${tally.counted} counted, ${tally.duplicates} duplicates, ${tally.rejected} dead-lettered in ${tally.elapsedS.toFixed(1)} s (${eventsPerS} events/s end to end)`,
    `open alerts: ${
      Object.entries(byKind)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'none'
    }`,
    line('group rentals (alerts open at the end)', groupRentals),
    line('group rentals (alerted at any time, cleared ones included)', groupRentalsEver),
    line(`units with ${unregisteredMargin}+ people beyond their registration`, unregistered),
  ].join('\n');
  return { ...tally, eventsPerS, openAlerts: byKind, groupRentals, groupRentalsEver, unregistered, text };
}

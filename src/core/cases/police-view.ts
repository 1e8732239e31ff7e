import { z } from 'zod';
import type { DeviceBinding } from '../estate.js';
import { CASE_STATES, type Case, type CaseState } from './case.js';

/**
 * What the police see of a case's state: never `candidate`. A relapse under review (reopened, acknowledged,
 * inspected again) is shown as `relapse`; the states after a confirmation as they are.
 */
const POLICE_STATES = [...CASE_STATES.filter((s) => s !== 'candidate'), 'relapse'] as const;
const UNDER_REVIEW: ReadonlySet<CaseState> = new Set(['candidate', 'acknowledged', 'inspecting']);

/**
 * What the police liaison feed may carry, and nothing else: unit-level facts about confirmed cases, relapses and
 * safety alarms. No person identifier, no pseudonym, no evidence about individuals, no free text written about
 * people (inspection findings stay with the property office). Every entry is parsed with this strict schema before
 * it is written, so a field added elsewhere cannot leak through.
 */
export const PoliceEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('case'),
    at: z.string(),
    caseId: z.string(),
    estateId: z.string(),
    buildingId: z.string(),
    unitId: z.string(),
    floor: z.number().int(),
    state: z.enum(POLICE_STATES),
    relapse: z.boolean(),
    severity: z.string(),
    capacity: z.number().int(),
    peopleFound: z.number().int().optional(),
    noticeDeadline: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('alarm'),
    at: z.string(),
    estateId: z.string(),
    buildingId: z.string().optional(),
    unitId: z.string().optional(),
    floor: z.number().int().optional(),
    deviceId: z.string(),
    alarm: z.enum(['smoke', 'forced-open', 'tamper']),
    active: z.boolean(),
    severity: z.string(),
  }),
]);
export type PoliceEntry = z.infer<typeof PoliceEntrySchema>;

/** The police see a case once an inspection confirmed it, and every relapse; never a candidate under review. */
export function policeSeesCase(c: Case): boolean {
  return c.relapse || (c.inspection !== undefined && c.state !== 'dismissed');
}

export function policeCaseEntry(c: Case): PoliceEntry | undefined {
  if (!policeSeesCase(c)) return undefined;
  return PoliceEntrySchema.parse({
    type: 'case',
    at: c.updatedAt,
    caseId: c.id,
    estateId: c.estateId,
    buildingId: c.buildingId,
    unitId: c.unitId,
    floor: c.floor,
    state: c.relapse && UNDER_REVIEW.has(c.state) ? 'relapse' : c.state,
    relapse: c.relapse,
    severity: c.severity,
    capacity: c.capacity,
    ...(c.inspection?.peopleFound === undefined ? {} : { peopleFound: c.inspection.peopleFound }),
    ...(c.notice ? { noticeDeadline: c.notice.deadline } : {}),
  });
}

const SAFETY_ALARMS: ReadonlySet<string> = new Set(['smoke', 'forced-open', 'tamper']);

/** Safety alarms (smoke, forced-open, tamper) reach the police as they are raised and cleared; others never do. */
export function policeAlarmEntry(
  binding: DeviceBinding,
  alarm: string,
  active: boolean,
  at: string,
  severity: string,
): PoliceEntry | undefined {
  if (!SAFETY_ALARMS.has(alarm)) return undefined;
  return PoliceEntrySchema.parse({
    type: 'alarm',
    at,
    estateId: binding.estateId,
    ...(binding.buildingId ? { buildingId: binding.buildingId } : {}),
    ...(binding.unitId ? { unitId: binding.unitId } : {}),
    ...(binding.floor === undefined ? {} : { floor: binding.floor }),
    deviceId: binding.deviceId,
    alarm,
    active,
    severity,
  });
}

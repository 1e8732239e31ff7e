import { z } from 'zod';
import { SeveritySchema } from '../alerts.js';

/**
 * A case is the work that follows a group-rental alert: the alert is the state of the evidence, the case is what
 * the property office, the residents' committee and the police do about it.
 */
export const CASE_STATES = [
  'candidate',
  'acknowledged',
  'inspecting',
  'confirmed',
  'dismissed',
  'notice-served',
  'rectified',
  'watch',
  'closed',
] as const;
export const CaseStateSchema = z.enum(CASE_STATES);
export type CaseState = z.infer<typeof CaseStateSchema>;

/** States in which nothing more happens to the case; a later breach opens a new case. */
export const TERMINAL_STATES: ReadonlySet<CaseState> = new Set(['dismissed', 'closed']);

export const InspectionSchema = z.strictObject({
  inspector: z.string().min(1).max(128),
  findings: z.string().min(1).max(2000),
  peopleFound: z.number().int().min(0).max(200).optional(),
  at: z.string(),
});
export type Inspection = z.infer<typeof InspectionSchema>;

export const CaseHistoryEntrySchema = z.strictObject({
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  from: CaseStateSchema,
  to: CaseStateSchema,
  reason: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type CaseHistoryEntry = z.infer<typeof CaseHistoryEntrySchema>;

export const CaseSchema = z.strictObject({
  id: z.string(),
  estateId: z.string(),
  buildingId: z.string(),
  unitId: z.string(),
  floor: z.number().int(),
  state: CaseStateSchema,
  severity: SeveritySchema,
  /** Opened because a unit under watch breached again: high severity, and it reaches the police feed. */
  relapse: z.boolean(),
  /** The case this one follows: the watched case that relapsed, or the dismissed one whose evidence grew. */
  follows: z.string().optional(),
  openedAt: z.string(),
  updatedAt: z.string(),
  /** Alerts behind the case, oldest first. */
  alertIds: z.array(z.string()),
  /** People estimated when the case opened, and at its newest alert. */
  peopleAtOpen: z.number(),
  peopleNow: z.number(),
  capacity: z.number(),
  registered: z.number(),
  inspection: InspectionSchema.optional(),
  reinspection: InspectionSchema.optional(),
  notice: z.strictObject({ servedAt: z.string(), deadline: z.string(), reference: z.string().optional() }).optional(),
  dismissal: z.strictObject({ reason: z.string(), at: z.string(), people: z.number() }).optional(),
  watchUntil: z.string().optional(),
  /** How often the case was escalated (unacknowledged candidate, overdue notice). */
  escalations: z.number().int(),
  history: z.array(CaseHistoryEntrySchema),
  version: z.number().int(),
});
export type Case = z.infer<typeof CaseSchema>;

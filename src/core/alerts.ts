import { z } from 'zod';
import type { PoliceEntry } from './cases/police-view.js';

export const ALERT_KINDS = [
  'group-rental-suspected',
  'unregistered-occupants',
  'device-alarm',
  'device-offline',
  'device-flood',
] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** Alerts about who lives in a unit; the others are about devices, and never make a unit suspect. */
export const OCCUPANCY_KINDS: ReadonlySet<AlertKind> = new Set(['group-rental-suspected', 'unregistered-occupants']);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const AlertStatusSchema = z.enum(['open', 'cleared']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

/** One signal behind an alert: its value, the window it covers and the threshold it is compared with. */
export const EvidenceSchema = z.object({
  signal: z.string(),
  label: z.string(),
  value: z.number(),
  threshold: z.number().optional(),
  window: z.object({ days: z.number(), from: z.string(), to: z.string() }).optional(),
  text: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** The occupancy model's reading behind an alert: what it counted, from which signals, and how sure it is. */
export const EstimateSchema = z.object({
  people: z.number(),
  basis: z.enum(['credentials', 'faces', 'traffic', 'none']),
  capacity: z.number(),
  registered: z.number(),
  /** The score against the law and the registration: people beyond each (negative when under). */
  overCapacity: z.number(),
  overRegistered: z.number(),
  /** 0–1, how much independent evidence agrees (see occupancy.ts); `factors` says what raised it. */
  confidence: z.number().min(0).max(1),
  factors: z.array(z.object({ factor: z.string(), weight: z.number(), text: z.string() })),
  /** Each signal's own count of people; `lift` is how far the signal that carried the estimate lifted it. */
  counts: z.array(z.object({ signal: z.string(), people: z.number(), counts: z.boolean(), lift: z.number() })),
});
export type AlertEstimate = z.infer<typeof EstimateSchema>;

/** What a rule produces: the alert's content, before the store gives it an identity and a history. */
export const AlertDraftSchema = z.object({
  kind: AlertKindSchema,
  subject: z.string().describe('what the alert is about: a unit id, or a device id for device alarms'),
  estateId: z.string(),
  buildingId: z.string().optional(),
  unitId: z.string().optional(),
  floor: z.number().optional(),
  deviceId: z.string().optional(),
  alarm: z.string().optional(),
  severity: SeveritySchema,
  rule: z.string(),
  summary: z.string(),
  estimate: EstimateSchema.optional(),
  evidence: z.array(EvidenceSchema),
});
export type AlertDraft = z.infer<typeof AlertDraftSchema>;

export const AlertSchema = AlertDraftSchema.extend({
  id: z.string(),
  status: AlertStatusSchema,
  /** Event time (ISO) of the first and newest event that supported the alert. */
  firstSeen: z.string(),
  lastSeen: z.string(),
  clearedAt: z.string().optional(),
  occurrences: z.number().int(),
  version: z.number().int(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const AlertChangeSchema = z.enum(['raised', 'updated', 'cleared']);
export type AlertChange = z.infer<typeof AlertChangeSchema>;

/**
 * Hysteresis in event-time days: a condition opens its alert only once it has held on `confirmDays` distinct days
 * (1: at once), and an open alert clears only after the condition has stayed away for `clearAfterDays` days
 * (0: at once). `day` is the local day the decision speaks for.
 */
export type Persistence = {
  day: number;
  confirmDays: number;
  clearAfterDays: number;
  /**
   * The raise only holds at the lower watch level: it keeps an open alert open, or re-opens one cleared less than
   * `watchMs` ago (relapse watch); otherwise it counts as the condition being away.
   */
  watchOnly?: boolean;
  watchMs?: number;
};

/**
 * What a rule asks of the alert store after an event: keep an alert open (raise or refresh it) or clear it.
 * Without `persistence` both take effect at once (device alarms).
 */
export type AlertDecision = (
  | { action: 'raise'; draft: AlertDraft; eventMs: number; fingerprint: string; persistence?: Persistence }
  | { action: 'clear'; kind: AlertKind; estateId: string; subject: string; eventMs: number; persistence?: Persistence }
) & {
  /** The police feed's entry should the decision change the alert (raise or clear it); appended in the same step. */
  police?: PoliceEntry;
};

/** Stable identity of "the alert of this kind about this subject"; each reopening adds a sequence number. */
export const alertSlot = (estateId: string, subject: string, kind: AlertKind): string =>
  `${estateId}.${subject}.${kind}`;

export function severityOrder(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

import { z } from 'zod';
import { SEVERITIES, type Severity } from '../alerts.js';
import { CASE_STATES, type Case, type CaseHistoryEntry, type CaseState, TERMINAL_STATES } from './case.js';

const Text = (max: number) => z.string().trim().min(1).max(max);

/** What a person asks of a case: the body of `POST /cases/:id/actions`, validated before it reaches the machine. */
export const CaseCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge'), note: Text(2000).optional() }),
  z.strictObject({ action: z.literal('inspect'), note: Text(2000).optional() }),
  z.strictObject({
    action: z.literal('confirm'),
    inspector: Text(128),
    findings: Text(2000),
    peopleFound: z.number().int().min(0).max(200).optional(),
  }),
  z.strictObject({ action: z.literal('dismiss'), reason: Text(2000) }),
  z.strictObject({
    action: z.literal('serve-notice'),
    deadline: z.iso.datetime({ offset: true }).optional(),
    reference: Text(128).optional(),
  }),
  z.strictObject({ action: z.literal('rectify'), inspector: Text(128), findings: Text(2000) }),
  z.strictObject({ action: z.literal('close'), reason: Text(2000) }),
  z.strictObject({ action: z.literal('note'), text: Text(2000) }),
]);
export type CaseCommand = z.infer<typeof CaseCommandSchema>;
export type CaseAction = CaseCommand['action'];

/** What the gateway itself does to a case: watch after rectification, escalate, reopen on relapse. */
export type SystemCommand =
  | { action: 'begin-watch'; until: string }
  | { action: 'escalate'; reason: string }
  | { action: 'relapse'; alertId: string; people: number }
  | { action: 'end-watch' };

const OPEN_STATES = CASE_STATES.filter((s) => !TERMINAL_STATES.has(s));

/**
 * The workflow: from which states each action may be taken and where it leads (`undefined`: the state stays).
 * No skipping: a case is acknowledged before it is inspected, inspected before it is confirmed or dismissed,
 * confirmed before a notice, noticed before it is rectified, and watched before it closes.
 */
const TRANSITIONS: Record<CaseAction | SystemCommand['action'], { from: readonly CaseState[]; to?: CaseState }> = {
  acknowledge: { from: ['candidate'], to: 'acknowledged' },
  inspect: { from: ['acknowledged'], to: 'inspecting' },
  confirm: { from: ['inspecting'], to: 'confirmed' },
  dismiss: { from: ['acknowledged', 'inspecting'], to: 'dismissed' },
  'serve-notice': { from: ['confirmed'], to: 'notice-served' },
  rectify: { from: ['notice-served'], to: 'rectified' },
  'begin-watch': { from: ['rectified'], to: 'watch' },
  close: { from: ['watch'], to: 'closed' },
  'end-watch': { from: ['watch'], to: 'closed' },
  relapse: { from: ['watch'], to: 'candidate' },
  escalate: { from: ['candidate', 'notice-served'] },
  note: { from: OPEN_STATES },
};

export type Actor = { id: string; role: string };
export type TransitionContext = { actor: Actor; nowMs: number; noticeDays: number };

export type TransitionResult =
  | { ok: true; case: Case; entry: CaseHistoryEntry }
  | { ok: false; code: 'GW_ERR_CASE_TRANSITION' | 'GW_ERR_CASE_DEADLINE'; reason: string };

const DAY_MS = 86_400_000;

/** Applies one command to a case, or says why it may not be applied; never mutates its input. */
export function applyCaseCommand(
  current: Case,
  command: CaseCommand | SystemCommand,
  ctx: TransitionContext,
): TransitionResult {
  const rule = TRANSITIONS[command.action];
  if (!rule.from.includes(current.state)) {
    const allowed = rule.from.join(', ');
    return {
      ok: false,
      code: 'GW_ERR_CASE_TRANSITION',
      reason: `cannot ${command.action} a case that is ${current.state}; ${command.action} applies to: ${allowed}`,
    };
  }
  const at = new Date(ctx.nowMs).toISOString();
  const to = rule.to ?? current.state;
  const next: Case = { ...current, state: to, updatedAt: at, version: current.version + 1 };
  const entry: CaseHistoryEntry = {
    at,
    actor: ctx.actor.id,
    role: ctx.actor.role,
    action: command.action,
    from: current.state,
    to,
  };
  switch (command.action) {
    case 'acknowledge':
    case 'inspect':
      if (command.note) entry.reason = command.note;
      break;
    case 'confirm':
      next.inspection = inspection(command, at);
      entry.detail = { inspector: command.inspector, findings: command.findings };
      if (command.peopleFound !== undefined) entry.detail.peopleFound = command.peopleFound;
      break;
    case 'dismiss':
      next.dismissal = { reason: command.reason, at, people: current.peopleNow };
      entry.reason = command.reason;
      break;
    case 'serve-notice': {
      const deadlineMs = command.deadline ? Date.parse(command.deadline) : ctx.nowMs + ctx.noticeDays * DAY_MS;
      if (deadlineMs <= ctx.nowMs) {
        return {
          ok: false,
          code: 'GW_ERR_CASE_DEADLINE',
          reason: `the notice deadline ${command.deadline} has passed`,
        };
      }
      const deadline = new Date(deadlineMs).toISOString();
      next.notice = { servedAt: at, deadline, ...(command.reference ? { reference: command.reference } : {}) };
      entry.detail = { deadline };
      break;
    }
    case 'rectify':
      next.reinspection = inspection(command, at);
      entry.detail = { inspector: command.inspector, findings: command.findings };
      break;
    case 'close':
      entry.reason = command.reason;
      break;
    case 'note':
      entry.reason = command.text;
      break;
    case 'begin-watch':
      next.watchUntil = command.until;
      entry.detail = { until: command.until };
      break;
    case 'escalate':
      next.severity = raise(current.severity);
      next.escalations = current.escalations + 1;
      entry.reason = command.reason;
      entry.detail = { severity: next.severity };
      break;
    case 'relapse':
      next.relapse = true;
      next.severity = maxSeverity(current.severity, 'high');
      next.peopleNow = command.people;
      next.alertIds = current.alertIds.includes(command.alertId)
        ? current.alertIds
        : [...current.alertIds, command.alertId];
      entry.reason = 'the unit breached again while under watch';
      entry.detail = { alertId: command.alertId, people: command.people };
      break;
    case 'end-watch':
      entry.reason = 'the watch ended without a breach';
      break;
  }
  next.history = [...current.history, entry];
  return { ok: true, case: next, entry };
}

function inspection(c: { inspector: string; findings: string; peopleFound?: number }, at: string) {
  return {
    inspector: c.inspector,
    findings: c.findings,
    at,
    ...(c.peopleFound === undefined ? {} : { peopleFound: c.peopleFound }),
  };
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
export const raise = (s: Severity): Severity => SEVERITIES[Math.min(rank(s) + 1, SEVERITIES.length - 1)] as Severity;
export const maxSeverity = (a: Severity, b: Severity): Severity => (rank(a) >= rank(b) ? a : b);

/** The actions open to a case in its current state, for a client to offer. */
export function availableActions(state: CaseState): CaseAction[] {
  return (Object.keys(TRANSITIONS) as (CaseAction | SystemCommand['action'])[]).filter(
    (a): a is CaseAction =>
      CaseCommandSchema.options.some((o) => o.shape.action.value === a) && TRANSITIONS[a].from.includes(state),
  );
}

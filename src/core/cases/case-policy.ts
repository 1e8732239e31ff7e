import type { Alert } from '../alerts.js';
import type { Case } from './case.js';
import type { SystemCommand } from './transitions.js';

export type CasePolicySettings = {
  noticeDays: number;
  watchDays: number;
  acknowledgeWithinMin: number;
  dismissedRegrowth: number;
};

/** Only a suspected group rental starts a case; the other alerts are handled where they are raised. */
export const CASE_ALERT_KIND = 'group-rental-suspected';

/** Whether an alert change can start, join or reopen a case: an open group-rental alert about a unit. */
export const concernsCases = (alert: Alert): boolean =>
  alert.kind === CASE_ALERT_KIND && alert.status === 'open' && alert.unitId !== undefined;

/** What an open group-rental alert means for its unit's newest case. */
export type AlertCaseDecision =
  | { kind: 'open'; follows?: string }
  | { kind: 'link'; caseId: string }
  | { kind: 'relapse'; caseId: string; command: SystemCommand }
  | { kind: 'ignore'; reason: string };

/**
 * An open alert on a unit opens a candidate case unless one is being worked; a unit under watch that breaches again
 * reopens its case as a relapse; a dismissed unit is raised again only once its estimate grew by the regrowth
 * margin (the supervisor judged the evidence as it was, not as it may become).
 */
export function decideCaseForAlert(latest: Case | undefined, alert: Alert, s: CasePolicySettings): AlertCaseDecision {
  if (!concernsCases(alert)) return { kind: 'ignore', reason: 'not an open group-rental alert' };
  const people = alert.estimate?.people ?? 0;
  if (!latest || latest.state === 'closed') return latest ? { kind: 'open', follows: latest.id } : { kind: 'open' };
  if (latest.state === 'watch') {
    // the alert the case was worked on may stay open for days after a rectification while the counts drain out
    // of the window: only an alert raised anew is a breach
    if (latest.alertIds.includes(alert.id)) return { kind: 'link', caseId: latest.id };
    return { kind: 'relapse', caseId: latest.id, command: { action: 'relapse', alertId: alert.id, people } };
  }
  if (latest.state === 'dismissed') {
    const dismissedAt = latest.dismissal?.people ?? latest.peopleNow;
    if (people >= dismissedAt + s.dismissedRegrowth) return { kind: 'open', follows: latest.id };
    return {
      kind: 'ignore',
      reason: `dismissed at ${dismissedAt} people; a new case needs ${dismissedAt + s.dismissedRegrowth}, the estimate is ${people}`,
    };
  }
  return { kind: 'link', caseId: latest.id };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * What the clock does to a case: a candidate nobody acknowledged escalates every `acknowledgeWithinMin` minutes, an
 * overdue notice escalates once a day past its deadline, a rectified case goes under watch, and a watch that ran
 * its course closes the case. Each escalation raises the severity and pushes the case again.
 */
export function dueSystemCommand(c: Case, nowMs: number, s: CasePolicySettings): SystemCommand | undefined {
  const lastEscalationMs = lastActionMs(c, 'escalate') ?? Number.NEGATIVE_INFINITY;
  switch (c.state) {
    case 'candidate': {
      const waitingSinceMs = Math.max(enteredStateMs(c), lastEscalationMs);
      if (nowMs - waitingSinceMs < s.acknowledgeWithinMin * MINUTE_MS) return undefined;
      return { action: 'escalate', reason: `not acknowledged within ${s.acknowledgeWithinMin} minutes` };
    }
    case 'notice-served': {
      if (!c.notice) return undefined;
      const deadlineMs = Date.parse(c.notice.deadline);
      const dueMs = lastEscalationMs >= deadlineMs ? lastEscalationMs + DAY_MS : deadlineMs;
      if (nowMs < dueMs) return undefined;
      return { action: 'escalate', reason: `the rectification notice was due ${c.notice.deadline}` };
    }
    case 'rectified':
      return { action: 'begin-watch', until: new Date(nowMs + s.watchDays * DAY_MS).toISOString() };
    case 'watch':
      return c.watchUntil && nowMs >= Date.parse(c.watchUntil) ? { action: 'end-watch' } : undefined;
    default:
      return undefined;
  }
}

/** When the case entered its current state: its newest state change, or its opening. */
function enteredStateMs(c: Case): number {
  for (let i = c.history.length - 1; i >= 0; i--) {
    const h = c.history[i];
    if (h && h.from !== h.to && h.to === c.state) return Date.parse(h.at);
  }
  return Date.parse(c.openedAt);
}

function lastActionMs(c: Case, action: string): number | undefined {
  for (let i = c.history.length - 1; i >= 0; i--) {
    const h = c.history[i];
    if (h?.action === action) return Date.parse(h.at);
  }
  return undefined;
}

/** A new candidate case for an open group-rental alert. */
export function openCase(alert: Alert, opts: { id: string; nowMs: number; follows?: string | undefined }): Case {
  const at = new Date(opts.nowMs).toISOString();
  const people = alert.estimate?.people ?? 0;
  return {
    id: opts.id,
    estateId: alert.estateId,
    buildingId: alert.buildingId ?? '',
    unitId: alert.unitId ?? alert.subject,
    floor: alert.floor ?? 0,
    state: 'candidate',
    severity: alert.severity,
    relapse: false,
    ...(opts.follows ? { follows: opts.follows } : {}),
    openedAt: at,
    updatedAt: at,
    alertIds: [alert.id],
    peopleAtOpen: people,
    peopleNow: people,
    capacity: alert.estimate?.capacity ?? 0,
    registered: alert.estimate?.registered ?? 0,
    escalations: 0,
    history: [
      {
        at,
        actor: 'linli',
        role: 'system',
        action: 'open',
        from: 'candidate',
        to: 'candidate',
        detail: { alertId: alert.id, people },
      },
    ],
    version: 1,
  };
}

import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/core/alerts.js';
import { CASE_STATES, type Case, type CaseState } from '../../../src/core/cases/case.js';
import {
  type CasePolicySettings,
  decideCaseForAlert,
  dueSystemCommand,
  openCase,
} from '../../../src/core/cases/case-policy.js';
import { PoliceEntrySchema, policeCaseEntry } from '../../../src/core/cases/police-view.js';
import {
  applyCaseCommand,
  availableActions,
  type CaseCommand,
  CaseCommandSchema,
  type TransitionContext,
} from '../../../src/core/cases/transitions.js';

const T0 = Date.parse('2026-11-26T02:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const SETTINGS: CasePolicySettings = { noticeDays: 7, watchDays: 90, acknowledgeWithinMin: 30, dismissedRegrowth: 2 };
const supervisor = (nowMs = T0): TransitionContext => ({
  actor: { id: 'sup-1', role: 'supervisor' },
  nowMs,
  noticeDays: SETTINGS.noticeDays,
});

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'hyxc:b3-102:group-rental-suspected~1',
    kind: 'group-rental-suspected',
    subject: 'b3-102',
    estateId: 'hyxc',
    buildingId: 'b3',
    unitId: 'b3-102',
    floor: 1,
    severity: 'medium',
    rule: 'r',
    summary: 's',
    estimate: {
      people: 9,
      basis: 'credentials',
      capacity: 4,
      registered: 2,
      overCapacity: 5,
      overRegistered: 7,
      confidence: 0.9,
      factors: [],
      counts: [],
    },
    evidence: [],
    status: 'open',
    firstSeen: new Date(T0).toISOString(),
    lastSeen: new Date(T0).toISOString(),
    occurrences: 1,
    version: 1,
    ...over,
  };
}

const candidate = () => openCase(alert(), { id: 'case-1', nowMs: T0 });

/** One valid command of each user action. */
const COMMANDS: Record<CaseCommand['action'], CaseCommand> = {
  acknowledge: { action: 'acknowledge' },
  inspect: { action: 'inspect', note: 'with the residents committee, Thursday' },
  confirm: { action: 'confirm', inspector: 'Wang Li', findings: '9 beds in 2 rooms, partitions', peopleFound: 9 },
  dismiss: { action: 'dismiss', reason: 'family of 5 registered elsewhere, visiting' },
  'serve-notice': { action: 'serve-notice' },
  rectify: { action: 'rectify', inspector: 'Wang Li', findings: 'partitions removed, 2 people live here' },
  close: { action: 'close', reason: 'watch completed' },
  note: { action: 'note', text: 'landlord called' },
};

/** Expected outcome of every action in every state, written out rather than derived from the machine. */
const EXPECTED: Record<CaseCommand['action'], Partial<Record<CaseState, CaseState>>> = {
  acknowledge: { candidate: 'acknowledged' },
  inspect: { acknowledged: 'inspecting' },
  confirm: { inspecting: 'confirmed' },
  dismiss: { acknowledged: 'dismissed', inspecting: 'dismissed' },
  'serve-notice': { confirmed: 'notice-served' },
  rectify: { 'notice-served': 'rectified' },
  close: { watch: 'closed' },
  note: {
    candidate: 'candidate',
    acknowledged: 'acknowledged',
    inspecting: 'inspecting',
    confirmed: 'confirmed',
    'notice-served': 'notice-served',
    rectified: 'rectified',
    watch: 'watch',
  },
};

const inState = (state: CaseState): Case => ({ ...candidate(), state, notice: undefined });

describe('case workflow', () => {
  it('walks a case from candidate to closed, recording who did what', () => {
    let c = candidate();
    const steps: CaseCommand[] = [
      COMMANDS.acknowledge,
      COMMANDS.inspect,
      COMMANDS.confirm,
      COMMANDS['serve-notice'],
      COMMANDS.rectify,
    ];
    for (const step of steps) {
      const r = applyCaseCommand(c, step, supervisor());
      if (!r.ok) throw new Error(r.reason);
      c = r.case;
    }
    expect(c.state).toBe('rectified');
    expect(c.inspection).toMatchObject({ inspector: 'Wang Li', peopleFound: 9 });
    expect(c.notice?.deadline).toBe(new Date(T0 + 7 * DAY).toISOString());
    const watch = dueSystemCommand(c, T0 + MIN, SETTINGS);
    expect(watch).toEqual({ action: 'begin-watch', until: new Date(T0 + MIN + 90 * DAY).toISOString() });
    const watched = applyCaseCommand(c, watch as never, {
      ...supervisor(T0 + MIN),
      actor: { id: 'linli', role: 'system' },
    });
    if (!watched.ok) throw new Error(watched.reason);
    expect(dueSystemCommand(watched.case, T0 + 89 * DAY, SETTINGS)).toBeUndefined();
    expect(dueSystemCommand(watched.case, T0 + 91 * DAY, SETTINGS)).toEqual({ action: 'end-watch' });
    const closed = applyCaseCommand(watched.case, { action: 'end-watch' }, supervisor(T0 + 91 * DAY));
    expect(closed.ok && closed.case.state).toBe('closed');
    if (!closed.ok) return;
    expect(closed.case.history.map((h) => `${h.action}:${h.to}`)).toEqual([
      'open:candidate',
      'acknowledge:acknowledged',
      'inspect:inspecting',
      'confirm:confirmed',
      'serve-notice:notice-served',
      'rectify:rectified',
      'begin-watch:watch',
      'end-watch:closed',
    ]);
    expect(closed.case.version).toBe(8);
    expect(closed.case.history[3]).toMatchObject({ actor: 'sup-1', role: 'supervisor', detail: { peopleFound: 9 } });
  });

  const pairs = Object.keys(COMMANDS).flatMap((action) => CASE_STATES.map((state) => ({ action, state })));
  it.each(pairs)('$action in state $state: allowed only where the workflow says', ({ action, state }) => {
    const a = action as CaseCommand['action'];
    const expected = EXPECTED[a][state];
    const r = applyCaseCommand(inState(state), COMMANDS[a], supervisor());
    if (expected === undefined) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('GW_ERR_CASE_TRANSITION');
        expect(r.reason).toContain(`cannot ${a} a case that is ${state}`);
      }
    } else {
      expect(r.ok && r.case.state).toBe(expected);
    }
  });

  it('offers exactly the actions the workflow allows in each state', () => {
    for (const state of CASE_STATES) {
      const expected = Object.entries(EXPECTED)
        .filter(([, to]) => to[state] !== undefined)
        .map(([a]) => a);
      expect(availableActions(state).sort()).toEqual(expected.sort());
    }
  });

  it('never mutates the case it is given', () => {
    const c = candidate();
    const before = structuredClone(c);
    applyCaseCommand(c, COMMANDS.acknowledge, supervisor());
    expect(c).toEqual(before);
  });

  it('requires a reason to dismiss, the inspector and findings to confirm or rectify, and refuses unknown fields', () => {
    const errors = (body: unknown) => {
      const r = CaseCommandSchema.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    };
    expect(errors({ action: 'dismiss' })).toEqual(['reason: invalid_type']);
    expect(errors({ action: 'dismiss', reason: '   ' })).toEqual(['reason: too_small']);
    expect(errors({ action: 'confirm', findings: 'x' })).toEqual(['inspector: invalid_type']);
    expect(errors({ action: 'rectify', inspector: 'x' })).toEqual(['findings: invalid_type']);
    expect(errors({ action: 'acknowledge', by: 'me' })).toEqual([': unrecognized_keys']);
    expect(errors({ action: 'fly' })).toEqual(['action: invalid_union']);
    expect(errors({ action: 'serve-notice', deadline: 'next week' })).toEqual(['deadline: invalid_format']);
  });

  it('serves a notice with the given deadline, and refuses one already past', () => {
    const confirmed = inState('confirmed');
    const deadline = '2026-12-10T18:00:00+08:00';
    const r = applyCaseCommand(confirmed, { action: 'serve-notice', deadline, reference: 'N-17' }, supervisor());
    expect(r.ok && r.case.notice).toEqual({
      servedAt: new Date(T0).toISOString(),
      deadline: new Date(Date.parse(deadline)).toISOString(),
      reference: 'N-17',
    });
    const past = applyCaseCommand(
      confirmed,
      { action: 'serve-notice', deadline: '2026-11-20T00:00:00Z' },
      supervisor(),
    );
    expect(past).toMatchObject({ ok: false, code: 'GW_ERR_CASE_DEADLINE' });
  });

  it('keeps the people estimated at a dismissal', () => {
    const r = applyCaseCommand(inState('inspecting'), COMMANDS.dismiss, supervisor());
    expect(r.ok && r.case.dismissal).toEqual({
      reason: 'family of 5 registered elsewhere, visiting',
      at: new Date(T0).toISOString(),
      people: 9,
    });
  });
});

describe('escalation', () => {
  it('escalates a candidate nobody acknowledged, again every period, up to critical', () => {
    let c = candidate(); // medium
    expect(dueSystemCommand(c, T0 + 29 * MIN, SETTINGS)).toBeUndefined();
    const severities: string[] = [];
    for (const minutes of [30, 60, 90]) {
      const due = dueSystemCommand(c, T0 + minutes * MIN, SETTINGS);
      expect(due).toEqual({ action: 'escalate', reason: 'not acknowledged within 30 minutes' });
      const r = applyCaseCommand(c, due as never, supervisor(T0 + minutes * MIN));
      if (!r.ok) throw new Error(r.reason);
      c = r.case;
      severities.push(c.severity);
      expect(dueSystemCommand(c, T0 + minutes * MIN + 29 * MIN, SETTINGS)).toBeUndefined();
    }
    expect(severities).toEqual(['high', 'critical', 'critical']);
    expect(c.escalations).toBe(3);
    expect(c.state).toBe('candidate');
  });

  it('does not escalate an acknowledged case', () => {
    const r = applyCaseCommand(candidate(), COMMANDS.acknowledge, supervisor(T0 + MIN));
    expect(r.ok && dueSystemCommand(r.case, T0 + DAY, SETTINGS)).toBeUndefined();
  });

  it('escalates an overdue notice once a day after its deadline', () => {
    const served = applyCaseCommand(inState('confirmed'), COMMANDS['serve-notice'], supervisor());
    if (!served.ok) throw new Error(served.reason);
    expect(dueSystemCommand(served.case, T0 + 7 * DAY - 1, SETTINGS)).toBeUndefined();
    const due = dueSystemCommand(served.case, T0 + 7 * DAY, SETTINGS);
    expect(due?.action).toBe('escalate');
    const once = applyCaseCommand(served.case, due as never, supervisor(T0 + 7 * DAY));
    if (!once.ok) throw new Error(once.reason);
    expect(dueSystemCommand(once.case, T0 + 7 * DAY + DAY - 1, SETTINGS)).toBeUndefined();
    expect(dueSystemCommand(once.case, T0 + 8 * DAY, SETTINGS)?.action).toBe('escalate');
  });
});

describe('the police view', () => {
  it('never shows a candidate: a relapse under review is a relapse, a case under review nothing', () => {
    const confirmed = { ...inState('confirmed'), inspection: { inspector: 'Wang', findings: 'Li Lei', at: 'x' } };
    expect(policeCaseEntry(confirmed)).toMatchObject({ state: 'confirmed', relapse: false });
    expect(JSON.stringify(policeCaseEntry(confirmed))).not.toContain('Li Lei');
    for (const state of ['candidate', 'acknowledged', 'inspecting'] as const) {
      expect(policeCaseEntry(inState(state))).toBeUndefined();
      expect(policeCaseEntry({ ...confirmed, state, relapse: true })).toMatchObject({
        state: 'relapse',
        relapse: true,
      });
    }
    expect(PoliceEntrySchema.safeParse({ ...policeCaseEntry(confirmed), state: 'candidate' }).success).toBe(false);
  });
});

describe('cases from alerts', () => {
  it('opens a candidate for an open group-rental alert on a unit without a case', () => {
    expect(decideCaseForAlert(undefined, alert(), SETTINGS)).toEqual({ kind: 'open' });
    const c = candidate();
    expect(c).toMatchObject({ state: 'candidate', unitId: 'b3-102', peopleAtOpen: 9, alertIds: [alert().id] });
  });

  it('ignores other kinds and cleared alerts', () => {
    expect(decideCaseForAlert(undefined, alert({ kind: 'unregistered-occupants' }), SETTINGS).kind).toBe('ignore');
    expect(decideCaseForAlert(undefined, alert({ status: 'cleared' }), SETTINGS).kind).toBe('ignore');
  });

  it('links a new alert to the case being worked', () => {
    for (const state of [
      'candidate',
      'acknowledged',
      'inspecting',
      'confirmed',
      'notice-served',
      'rectified',
    ] as const) {
      expect(decideCaseForAlert(inState(state), alert({ id: 'a~2' }), SETTINGS)).toEqual({
        kind: 'link',
        caseId: 'case-1',
      });
    }
  });

  it('does not take the alert the case was worked on, still open while counts drain, for a relapse', () => {
    expect(decideCaseForAlert(inState('watch'), alert(), SETTINGS)).toEqual({ kind: 'link', caseId: 'case-1' });
  });

  it('reopens a watched case as a high-severity relapse', () => {
    const decision = decideCaseForAlert(inState('watch'), alert({ id: 'a~3', severity: 'low' }), SETTINGS);
    expect(decision).toMatchObject({ kind: 'relapse', caseId: 'case-1' });
    if (decision.kind !== 'relapse') return;
    const r = applyCaseCommand({ ...inState('watch'), severity: 'low' }, decision.command, supervisor());
    expect(r.ok && r.case).toMatchObject({ state: 'candidate', relapse: true, severity: 'high', peopleNow: 9 });
    expect(r.ok && r.case.alertIds).toEqual([alert().id, 'a~3']);
  });

  it('raises a dismissed unit again only once its estimate grew by the regrowth margin', () => {
    const dismissed: Case = { ...inState('dismissed'), dismissal: { reason: 'r', at: 'x', people: 9 } };
    const at = (people: number) =>
      decideCaseForAlert(
        dismissed,
        alert({ estimate: { ...(alert().estimate as NonNullable<Alert['estimate']>), people } }),
        SETTINGS,
      );
    expect(at(10)).toMatchObject({ kind: 'ignore' });
    expect(at(10).kind === 'ignore' && (at(10) as { reason: string }).reason).toBe(
      'dismissed at 9 people; a new case needs 11, the estimate is 10',
    );
    expect(at(11)).toEqual({ kind: 'open', follows: 'case-1' });
  });

  it('opens a new case after a closed one, following it', () => {
    expect(decideCaseForAlert(inState('closed'), alert(), SETTINGS)).toEqual({ kind: 'open', follows: 'case-1' });
  });
});

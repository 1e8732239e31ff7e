import type { AlertUpdate, Clock } from '../ports.js';
import type { Case } from './case.js';
import {
  type CasePolicySettings,
  concernsCases,
  decideCaseForAlert,
  dueSystemCommand,
  openCase,
} from './case-policy.js';
import type { CaseChange, CaseStore } from './case-store.js';
import { type PoliceEntry, policeCaseEntry } from './police-view.js';
import { type Actor, applyCaseCommand, type CaseCommand, type SystemCommand } from './transitions.js';

/** One line of the audit trail, as the case service reports it; the gateway appends it to the audit log. */
export type CaseAudit = {
  actor: string;
  role: string;
  action: string;
  object: string;
  result: 'ok' | 'denied' | 'failed';
  detail?: Record<string, string | number | boolean>;
};

export type CaseServiceDeps = {
  store: CaseStore;
  settings: CasePolicySettings;
  clock: Clock;
  audit?: (entry: CaseAudit) => Promise<unknown>;
};

export type ActResult = { ok: true; case: Case } | { ok: false; status: 404 | 409 | 422; code: string; error: string };

const SYSTEM: Actor = { id: 'linli', role: 'system' };
/** Concurrent writers are rare (two operators, two instances); a few re-reads settle them. */
const MAX_ATTEMPTS = 5;

/**
 * The case use cases: follow group-rental alerts into cases, apply people's actions, and let the clock escalate,
 * start and end watches. Every change is a compare-and-set on the case's version, so instances and operators
 * acting at once never overwrite each other; every transition is audited.
 */
export function createCaseService(deps: CaseServiceDeps) {
  const { store, settings, clock } = deps;
  const audit = (entry: CaseAudit) => deps.audit?.(entry) ?? Promise.resolve();

  function save(next: Case, before: Case | undefined, change: CaseChange, unitCaseBefore?: string) {
    return store.save(next, before?.version ?? 0, change, policeChange(before, next), unitCaseBefore);
  }

  /** Brings the unit's case in line with one alert change; idempotent, so a redelivered alert change is harmless. */
  async function followAlert(update: AlertUpdate): Promise<Case | undefined> {
    const { alert } = update;
    // most alert changes are about other kinds: they need no read of the unit's case
    if (!alert.unitId || !concernsCases(alert)) return undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const latest = await store.latestForUnit(alert.estateId, alert.unitId);
      const decision = decideCaseForAlert(latest, alert, settings);
      if (decision.kind === 'ignore') return undefined;
      if (decision.kind === 'open') {
        const opened = openCase(alert, { id: await store.nextId(), nowMs: clock.now(), follows: decision.follows });
        if (!(await save(opened, undefined, 'opened', latest?.id))) continue;
        await audit({
          ...who(SYSTEM),
          action: 'case.open',
          object: opened.id,
          result: 'ok',
          detail: { alertId: alert.id },
        });
        return opened;
      }
      const current = latest as Case;
      if (decision.kind === 'relapse') {
        const r = applyCaseCommand(current, decision.command, {
          actor: SYSTEM,
          nowMs: clock.now(),
          noticeDays: settings.noticeDays,
        });
        if (!r.ok) return current;
        if (!(await save(r.case, current, 'relapsed'))) continue;
        await audit({
          ...who(SYSTEM),
          action: 'case.relapse',
          object: current.id,
          result: 'ok',
          detail: { alertId: alert.id },
        });
        return r.case;
      }
      const people = alert.estimate?.people ?? current.peopleNow;
      if (current.alertIds.includes(alert.id) && current.peopleNow === people) return current;
      const linked: Case = {
        ...current,
        alertIds: current.alertIds.includes(alert.id) ? current.alertIds : [...current.alertIds, alert.id],
        peopleNow: people,
        updatedAt: new Date(clock.now()).toISOString(),
        version: current.version + 1,
      };
      if (await save(linked, current, 'linked')) return linked;
    }
    throw new Error(`case of unit ${alert.unitId}: gave up after ${MAX_ATTEMPTS} concurrent changes`);
  }

  /** A person's action on a case: validated by the workflow, saved only over the version it was decided on. */
  async function act(caseId: string, command: CaseCommand, actor: Actor): Promise<ActResult> {
    const current = await store.get(caseId);
    const object = caseId;
    if (!current) return { ok: false, status: 404, code: 'GW_ERR_NOT_FOUND', error: `no case ${caseId}` };
    const r = applyCaseCommand(current, command, { actor, nowMs: clock.now(), noticeDays: settings.noticeDays });
    if (!r.ok) {
      await audit({
        ...who(actor),
        action: `case.${command.action}`,
        object,
        result: 'failed',
        detail: { reason: r.reason },
      });
      return { ok: false, status: 409, code: r.code, error: r.reason };
    }
    if (!(await save(r.case, current, 'transition'))) {
      const error = `case ${caseId} changed while you were acting on it (version ${current.version}); reload it`;
      await audit({
        ...who(actor),
        action: `case.${command.action}`,
        object,
        result: 'failed',
        detail: { reason: error },
      });
      return { ok: false, status: 409, code: 'GW_ERR_CASE_CHANGED', error };
    }
    await audit({
      ...who(actor),
      action: `case.${command.action}`,
      object,
      result: 'ok',
      detail: { from: current.state, to: r.case.state },
    });
    return { ok: true, case: r.case };
  }

  /** Applies what the clock makes due on every open case; returns how many cases changed. */
  async function tick(): Promise<number> {
    let changed = 0;
    for (const c of await store.openCases()) {
      const command: SystemCommand | undefined = dueSystemCommand(c, clock.now(), settings);
      if (!command) continue;
      const r = applyCaseCommand(c, command, { actor: SYSTEM, nowMs: clock.now(), noticeDays: settings.noticeDays });
      if (!r.ok) continue;
      // a conflict means another instance or a person got there first: the next tick looks again
      if (!(await save(r.case, c, command.action === 'escalate' ? 'escalated' : 'transition'))) continue;
      await audit({
        ...who(SYSTEM),
        action: `case.${command.action}`,
        object: c.id,
        result: 'ok',
        detail: { to: r.case.state },
      });
      changed++;
    }
    return changed;
  }

  return { followAlert, act, tick };
}

export type CaseService = ReturnType<typeof createCaseService>;

const who = (a: Actor) => ({ actor: a.id, role: a.role });

/** The police hear of a case when what they may see of it changes, not on every new alert the case collects. */
function policeChange(before: Case | undefined, next: Case): PoliceEntry | undefined {
  const entry = policeCaseEntry(next);
  if (!entry || !before) return entry;
  const previous = policeCaseEntry(before);
  const withoutTime = (e: PoliceEntry) => JSON.stringify({ ...e, at: '' });
  return previous && withoutTime(previous) === withoutTime(entry) ? undefined : entry;
}

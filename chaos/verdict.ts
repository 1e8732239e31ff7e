import type { Config } from '../src/config/schema.js';
import type { ChaosContext } from './context.js';
import type { GatewayProcess, Handled } from './gateway-process.js';
import { type Counters, diffCounters } from './oracle.js';
import { stateDifferences } from './state.js';

export type Check = { check: string; ok: boolean; detail: string };

export type ScenarioResult = {
  scenario: string;
  passed: boolean;
  /** Messages published, redeliveries by the harness included. */
  sent: number;
  /** Distinct events of the stream (every one valid). */
  events: number;
  /** As reported by the gateway's lives (a killed life's last 100 ms are missing). */
  reported: Handled;
  deadLettered: Record<string, number>;
  lost: number;
  doubleCounted: number;
  stairwellPeopleOff: number;
  unitsDiffering: string[];
  alertsDiffering: string[];
  recoveryMs?: number;
  figures: Record<string, number | string | boolean>;
  checks: Check[];
};

/**
 * The common verdict: Redis holds exactly the oracle's counters (nothing lost, nothing counted twice), every
 * unit's signals and every alert's verdict are those of the clean reference run, and the dead letters are the
 * ones expected, by reason. Scenario-specific checks are added by the caller.
 */
export async function verdict(
  ctx: ChaosContext,
  config: Config,
  run: {
    scenario: string;
    sent: number;
    reported: Handled;
    expectedDeadLetters?: Record<string, number>;
    /** The oracle for what was sent, when it is not the workload once (events left out on purpose). */
    expected?: Counters;
    /** False when the stream differs from the reference's, so only the oracle's counters can judge it. */
    compareWithReference?: boolean;
    /** Alerts the fault itself raises (its own devices'): left out of the comparison with the clean run. */
    ownAlerts?: (key: string) => boolean;
    /** Alerts (`<kind>/<subject>`) the fault must have left open. */
    mustBeOpen?: string[];
    recoveryMs?: number;
    figures?: ScenarioResult['figures'];
    checks?: Check[];
  },
): Promise<ScenarioResult> {
  const state = await ctx.state(config);
  const counters = diffCounters(run.expected ?? ctx.expected, state.counters);
  const open = (run.mustBeOpen ?? []).map((k) => ({ k, verdict: state.alerts[k] }));
  if (run.ownAlerts) for (const k of Object.keys(state.alerts)) if (run.ownAlerts(k)) delete state.alerts[k];
  const compare = ctx.reference && run.compareWithReference !== false;
  const differs = compare && ctx.reference ? stateDifferences(ctx.reference, state) : { units: [], alerts: [] };
  const expectedDead = run.expectedDeadLetters ?? {};
  const deadOk = Object.keys({ ...expectedDead, ...state.deadLetters }).every(
    (k) => (expectedDead[k] ?? 0) === (state.deadLetters[k] ?? 0),
  );
  const checks: Check[] = [
    {
      check: 'nothing lost',
      ok: counters.lost === 0 && counters.lostPeople === 0,
      detail: `${counters.lost} events, ${counters.lostPeople} stairwell people short`,
    },
    {
      check: 'nothing counted twice',
      ok: counters.doubled === 0 && counters.doubledPeople === 0,
      detail: `${counters.doubled} events, ${counters.doubledPeople} stairwell people over`,
    },
    ...(compare ? referenceChecks(differs) : []),
    {
      check: 'dead letters as expected',
      ok: deadOk,
      detail: `expected ${JSON.stringify(expectedDead)}, found ${JSON.stringify(state.deadLetters)}`,
    },
    ...open.map(({ k, verdict }) => ({
      check: `alert ${k} open`,
      ok: verdict?.startsWith('open') === true,
      detail: verdict ?? 'no such alert',
    })),
    ...(run.checks ?? []),
  ];
  return {
    scenario: run.scenario,
    passed: checks.every((c) => c.ok),
    sent: run.sent,
    events: ctx.workload.messages.length,
    reported: run.reported,
    deadLettered: state.deadLetters,
    lost: counters.lost,
    doubleCounted: counters.doubled,
    stairwellPeopleOff: counters.lostPeople + counters.doubledPeople,
    unitsDiffering: differs.units,
    alertsDiffering: differs.alerts,
    ...(run.recoveryMs === undefined ? {} : { recoveryMs: run.recoveryMs }),
    figures: run.figures ?? {},
    checks,
  };
}

function referenceChecks(differs: { units: string[]; alerts: string[] }): Check[] {
  const named = (names: string[]) => (names.length ? `: ${names.slice(0, 5).join(', ')}` : '');
  return [
    {
      check: 'unit signals as in the clean run',
      ok: differs.units.length === 0,
      detail: `${differs.units.length} units differ${named(differs.units)}`,
    },
    {
      check: 'alert verdicts as in the clean run',
      ok: differs.alerts.length === 0,
      detail: `${differs.alerts.length} alerts differ${named(differs.alerts)}`,
    },
  ];
}

/** A result judged by the scenario's own checks alone, nothing in the store compared (a feed, a harness failure). */
export function checkedResult(
  scenario: string,
  checks: Check[],
  run: { sent: number; events: number; reported: Handled; figures?: ScenarioResult['figures'] },
): ScenarioResult {
  return {
    scenario,
    passed: checks.every((c) => c.ok),
    sent: run.sent,
    events: run.events,
    reported: run.reported,
    deadLettered: {},
    lost: 0,
    doubleCounted: 0,
    stairwellPeopleOff: 0,
    unitsDiffering: [],
    alertsDiffering: [],
    figures: run.figures ?? {},
    checks,
  };
}

/** The gateway was started once and is still that process: nothing the scenario did crashed it. */
export function noCrash(gateway: GatewayProcess): Check {
  const ok = gateway.alive && gateway.lives.length === 1;
  return { check: 'no crash', ok, detail: ok ? 'same process throughout' : gateway.alive ? 'restarted' : 'exited' };
}

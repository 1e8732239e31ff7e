import type { SeedRun } from './run.js';

const pct = (x: number) => x.toFixed(2);
const days = (x: number | null) => (x === null ? '–' : x.toFixed(1));

/** One line per seed and a closing line over all seeds. */
export function formatReport(runs: readonly SeedRun[]): string {
  const head =
    'seed  units  positives  TP  FP  missed  precision  recall  F1    median TTD (d)  relapses found  lawful alerted  events/s';
  const rows = runs.map(({ score: s, eventsPerS }) => {
    const relapses = `${s.relapses.filter((r) => r.detected).length}/${s.relapses.length}`;
    return [
      String(s.seed).padEnd(5),
      String(s.units).padEnd(6),
      String(s.positives).padEnd(10),
      String(s.truePositives).padEnd(3),
      String(s.falsePositives).padEnd(3),
      String(s.missed.length).padEnd(7),
      pct(s.precision).padEnd(10),
      pct(s.recall).padEnd(7),
      pct(s.f1).padEnd(5),
      days(s.medianTimeToDetectDays).padEnd(15),
      relapses.padEnd(15),
      String(s.alertsOnLawfulFamilies.length).padEnd(15),
      String(eventsPerS),
    ].join(' ');
  });
  const fp: Record<string, number> = {};
  for (const r of runs)
    for (const [k, n] of Object.entries(r.score.falsePositivesByConfounder)) fp[k] = (fp[k] ?? 0) + n;
  const fpLine = Object.keys(fp).length
    ? `false alarms by household/confounder: ${Object.entries(fp)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`
    : 'false alarms by household/confounder: none';
  return [head, ...rows, fpLine].join('\n');
}

/** The figures of a whole evaluation, for the JSON report. */
export function summarise(scenario: string, broker: string, runs: readonly SeedRun[]) {
  const all = runs.map((r) => r.score);
  const mean = (f: (s: (typeof all)[number]) => number) => all.reduce((a, s) => a + f(s), 0) / Math.max(all.length, 1);
  const ttd = all.flatMap((s) => s.timeToDetectDays).sort((a, b) => a - b);
  return {
    scenario,
    broker,
    seeds: runs.map((r) => ({
      ...r.score,
      published: r.published,
      counted: r.counted,
      duplicates: r.duplicates,
      rejected: r.rejected,
      elapsedS: r.elapsedS,
      eventsPerS: r.eventsPerS,
    })),
    overall: {
      minPrecision: Math.min(...all.map((s) => s.precision)),
      minRecall: Math.min(...all.map((s) => s.recall)),
      meanF1: mean((s) => s.f1),
      medianTimeToDetectDays: ttd.length ? ttd[Math.floor(ttd.length / 2)] : null,
      relapsesDetected: all.reduce((a, s) => a + s.relapses.filter((r) => r.detected).length, 0),
      relapses: all.reduce((a, s) => a + s.relapses.length, 0),
      alertsOnLawfulFamilies: all.reduce((a, s) => a + s.alertsOnLawfulFamilies.length, 0),
    },
  };
}

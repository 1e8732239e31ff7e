import type { ScenarioResult } from './verdict.js';

export type ChaosReport = {
  seed: number;
  quick: boolean;
  events: number;
  units: number;
  seconds: number;
  results: ScenarioResult[];
};

const int = (n: number) => n.toLocaleString('en-US');

export function printChaosReport(r: ChaosReport): void {
  console.log(`\nchaos: ${int(r.events)} events of a ${r.units}-unit estate, seed ${r.seed}, ${r.seconds} s`);
  console.log(
    '| scenario | result | sent | counted (reported) | duplicates (reported) | dead-lettered | lost | double-counted | recovery (s) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of r.results) {
    const dead = Object.values(s.deadLettered).reduce((a, b) => a + b, 0);
    const recovery = s.recoveryMs === undefined ? '–' : (s.recoveryMs / 1000).toFixed(1);
    console.log(
      `| ${s.scenario} | ${s.passed ? 'pass' : 'FAIL'} | ${int(s.sent)} | ${int(s.reported.counted)} | ${int(s.reported.duplicates)} | ${int(dead)} | ${int(s.lost)} | ${int(s.doubleCounted)} | ${recovery} |`,
    );
  }
  for (const s of r.results) {
    const failed = s.checks.filter((c) => !c.ok);
    if (failed.length) console.log(`\n${s.scenario}:\n${failed.map((c) => `  ✗ ${c.check}: ${c.detail}`).join('\n')}`);
  }
}

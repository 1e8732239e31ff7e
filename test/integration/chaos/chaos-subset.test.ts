import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ChaosReport } from '../../../chaos/report.js';

const run = promisify(execFile);

/**
 * The fast subset of `npm run chaos` in every test run: the real harness (its own Redis and Mosquitto, the gateway
 * as a child process) on a 5,000-event stream, for the faults that take seconds. The kill, broker and Redis
 * outage scenarios run in `npm run chaos`, whose figures the README quotes.
 */
const SUBSET = ['crash-after-commit', 'duplicate-storm', 'reorder-skew', 'malformed', 'slow-consumer'];

describe('npm run chaos, fast subset', () => {
  it('loses nothing and counts nothing twice under a crash after commit, a duplicate storm, reordering, bad input and a slow consumer', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'linli-chaos-test-')), 'chaos.json');
    const args = ['tsx', 'chaos/run.ts', '--quick', '--seed', '3', '--scenario', SUBSET.join(','), '--out', out];
    const result = await run('npx', args, { maxBuffer: 16 * 2 ** 20 }).catch(
      (err: { stdout?: string; code?: number }) => err,
    );
    const report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
    const failures = report.results.flatMap((r) =>
      r.checks.filter((c) => !c.ok).map((c) => `${r.scenario}: ${c.check}: ${c.detail}`),
    );
    expect(failures).toEqual([]);
    expect(report.results.map((r) => r.scenario)).toEqual(['reference', ...SUBSET]);
    for (const r of report.results) {
      expect(r.lost, r.scenario).toBe(0);
      expect(r.doubleCounted, r.scenario).toBe(0);
    }
    expect((result as { code?: number }).code ?? 0).toBe(0);
  }, 240_000);
});

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { access, face } from '../../helpers/contract.js';

const run = promisify(execFile);
const DAY = 86_400_000;

/** Four days of five people coming home to b1-102 of the tiny estate (capacity 2, 2 registered), plus bad lines. */
function recording(): string {
  const start = Date.parse('2026-10-01T18:00:00+08:00');
  const lines: string[] = [];
  for (let d = 0; d < 4; d++) {
    for (let p = 0; p < 5; p++) {
      const t = start + d * DAY + p * 600_000;
      lines.push(JSON.stringify({ topic: eventTopic('tiny', 'gate-b1'), payload: face(`f${d}-${p}`, t, `T-${p}`) }));
      lines.push(
        JSON.stringify({ topic: eventTopic('tiny', 'lock-b1-102'), payload: access(`a${d}-${p}`, t + 40_000, `${p}`) }),
      );
    }
  }
  lines.push('{ not json', JSON.stringify({ topic: eventTopic('tiny', 'lock-b1-102') }));
  const file = join(mkdtempSync(join(tmpdir(), 'linli-replay-')), 'tiny.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const replay = (args: string[]) =>
  run('npx', ['tsx', 'scripts/replay.ts', ...args], {
    env: {
      ...process.env,
      ESTATE_FILE: 'test/fixtures/estate.tiny.json',
      KEY_PREFIX: 'replay-test',
      LOG_LEVEL: 'error',
    },
  });

describe('npm run replay', () => {
  it('reports in a dry run the alerts a recording would raise, names bad lines, and leaves no key behind', async () => {
    const file = recording();
    const { stdout, stderr } = await replay([file, '--dry-run']);
    expect(stdout).toContain('would raise  high     group-rental-suspected   Unit b1-102: about 5 people');
    expect(stdout).toContain('40 counted, 0 duplicates, 0 dead-lettered, 2 unreadable lines');
    expect(stderr).toContain(`${file}:41: not JSON`);
    expect(stderr).toContain(`${file}:42: payload: Invalid input`);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const [, left] = await redis.scan('0', 'MATCH', 'replay-test*', 'COUNT', 100_000);
    redis.disconnect();
    expect(left).toEqual([]);
  }, 60_000);

  it('tries other thresholds: with a margin of 4 the same recording raises no group-rental alert', async () => {
    const { stdout } = await replay([recording(), '--dry-run', '--set', 'detection.overCapacityMargin=4']);
    expect(stdout).not.toContain('group-rental-suspected');
    expect(stdout).toContain('open alerts at the end: none');
  }, 60_000);

  it('refuses an override the configuration schema does not accept, naming it', async () => {
    const err = await replay([recording(), '--dry-run', '--set', 'detection.windowDays=0']).catch(
      (e: { stderr: string }) => e,
    );
    expect((err as { stderr: string }).stderr).toContain('replay: --set detection.windowDays: Too small');
  }, 60_000);
});

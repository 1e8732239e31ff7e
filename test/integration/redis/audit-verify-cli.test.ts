import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import type { AuditRecord } from '../../../src/core/audit.js';
import { isAuditKey, REDIS_URL, useRedis } from '../../helpers/redis.js';

const ctx = useRedis({ persistentKeys: isAuditKey });

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `npm run audit:verify`'s script against this test's key prefix; resolves whatever the exit code. */
const auditVerify = (env: Record<string, string> = {}, args: string[] = []) =>
  new Promise<Run>((resolve) => {
    execFile(
      'npx',
      ['tsx', 'scripts/audit-verify.ts', ...args],
      { env: { ...process.env, REDIS_URL, KEY_PREFIX: ctx.prefix, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (err.code as number | null) : 0, stdout, stderr }),
    );
  });

/** Appended concurrently: the log batches them, in the order they were asked for. */
function appendEntries(n: number): Promise<AuditRecord[]> {
  const log = new RedisAuditLog({ redis: ctx.redis, keys: ctx.keys });
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      log.append({ actor: `officer-${i}`, role: 'police', action: 'alerts.read', object: '/alerts', result: 'ok' }),
    ),
  );
}

describe('npm run audit:verify', () => {
  it('exits 0 and prints the tip for an intact log', async () => {
    const records = await appendEntries(1234);
    const tip = records.at(-1) as AuditRecord;
    expect(tip.seq).toBe(1234);
    const run = await auditVerify();
    expect(run.stdout.trim()).toBe(`audit log intact: 1,234 entries, tip #1234 ${tip.hash.slice(0, 16)}`);
    expect(run.code).toBe(0);
  }, 60_000);

  it('exits 0 for an empty log', async () => {
    const run = await auditVerify();
    expect(run.stdout.trim()).toBe('audit log intact: 0 entries (empty)');
    expect(run.code).toBe(0);
  }, 60_000);

  it('exits 1 naming the entry that was edited', async () => {
    await appendEntries(5);
    const stored = JSON.parse((await ctx.redis.hget(ctx.keys.auditEntries, '4')) as string) as AuditRecord;
    await ctx.redis.hset(ctx.keys.auditEntries, '4', JSON.stringify({ ...stored, result: 'denied' }));
    const run = await auditVerify();
    expect(run.stdout).toContain('AUDIT LOG TAMPERED at entry #4: its content does not match its hash');
    expect(run.code).toBe(1);
  }, 60_000);

  it('exits 1 naming the entry deleted at the end', async () => {
    await appendEntries(3);
    await ctx.redis.hdel(ctx.keys.auditEntries, '3');
    const run = await auditVerify();
    expect(run.stdout).toContain('AUDIT LOG TAMPERED at entry #3: the tip names #3 but the log ends at #2');
    expect(run.code).toBe(1);
  }, 60_000);

  it('exits 2 on arguments it does not take and on a configuration it cannot use', async () => {
    const usage = await auditVerify({}, ['--fix']);
    expect(usage.stderr).toContain('audit:verify: usage:');
    expect(usage.code).toBe(2);
    const config = await auditVerify({ KEY_PREFIX: 'not a prefix' });
    expect(config.stderr).toContain('redis.keyPrefix (env KEY_PREFIX)');
    expect(config.code).toBe(2);
  }, 60_000);
});

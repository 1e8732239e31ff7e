import { describe, expect, it } from 'vitest';
import { AuditAppendError, auditHash, RedisAuditLog, readAuditChain } from '../../../src/adapters/redis/audit-log.js';
import { defineScripts, scriptsOf } from '../../../src/adapters/redis/scripts.js';
import {
  type AuditEntryInput,
  type AuditRecord,
  canonicalAuditText,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../../src/core/audit.js';
import { connectTestRedis, isAuditKey, useRedis } from '../../helpers/redis.js';

const ctx = useRedis({ persistentKeys: isAuditKey });
const NOW = Date.parse('2026-11-26T08:00:00Z');
const auditLog = (redis = ctx.redis) => new RedisAuditLog({ redis, keys: ctx.keys, clock: { now: () => NOW } });

const entry = (n: number, over: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actor: `op-${n}`,
  role: 'operator',
  action: 'case.acknowledge',
  object: `case-${n}`,
  result: 'ok',
  ...over,
});

async function appendMany(log: RedisAuditLog, n: number): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) out.push(await log.append(entry(i)));
  return out;
}

const verify = async () => {
  const { records, tip } = await readAuditChain(ctx.redis, ctx.keys);
  return verifyAuditChain(records, tip, auditHash);
};

describe('RedisAuditLog', () => {
  it('gives appends consecutive seqs, each linked to the one before, and stamps the time of entries without one', async () => {
    const log = auditLog();
    const [a, b, c] = await appendMany(log, 3);
    expect([a?.seq, b?.seq, c?.seq]).toEqual([1, 2, 3]);
    expect(a?.prevHash).toBe(GENESIS_HASH);
    expect(b?.prevHash).toBe(a?.hash);
    expect(c?.prevHash).toBe(b?.hash);
    expect(a?.at).toBe('2026-11-26T08:00:00.000Z');
    expect(a?.hash).toBe(auditHash(canonicalAuditText(1, GENESIS_HASH, a as AuditRecord)));
    expect(await ctx.redis.hgetall(ctx.keys.auditTip)).toEqual({ seq: '3', hash: c?.hash });
    expect(await verify()).toEqual({ ok: true, checked: 3 });
  });

  it("keeps the caller's time and detail", async () => {
    const record = await auditLog().append(
      entry(1, { at: '2026-11-26T16:00:00+08:00', detail: { from: 'open', to: 'acknowledged', late: false } }),
    );
    expect(record).toMatchObject({ at: '2026-11-26T16:00:00+08:00', detail: { from: 'open', late: false } });
    expect((await auditLog().list({ limit: 1 }))[0]).toEqual(record);
  });

  it('refuses an invalid entry and appends nothing', async () => {
    await expect(auditLog().append({ ...entry(1), result: 'maybe' } as unknown as AuditEntryInput)).rejects.toThrow();
    expect(await ctx.redis.exists(ctx.keys.auditEntries, ctx.keys.auditTip)).toBe(0);
  });

  it('keeps one unbroken chain when two instances on two connections append 50 entries concurrently', async () => {
    const other = await connectTestRedis();
    defineScripts(other);
    try {
      const logs = [auditLog(), auditLog(other)];
      const records = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (logs[i % 2] as RedisAuditLog).append(entry(i + 1))),
      );
      expect(records.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(new Set(records.map((r) => r.object)).size).toBe(50);
      expect(await verify()).toEqual({ ok: true, checked: 50 });
      expect(await ctx.redis.hlen(ctx.keys.auditEntries)).toBe(50);
    } finally {
      await other.quit();
    }
  });

  it('does not starve an instance while another appends back to back', async () => {
    const other = await connectTestRedis();
    defineScripts(other);
    try {
      const appendInTurn = async (log: RedisAuditLog, from: number) => {
        for (let i = 0; i < 60; i++) await log.append(entry(from + i));
      };
      await Promise.all([appendInTurn(auditLog(), 1000), appendInTurn(auditLog(other), 2000)]);
      expect(await verify()).toEqual({ ok: true, checked: 120 });
      // the appenders' queue empties once everyone has had a turn
      expect(Object.keys(await ctx.redis.hgetall(ctx.keys.auditTip)).sort()).toEqual(['hash', 'seq']);
    } finally {
      await other.quit();
    }
  });

  it('passes over an appender that joined the queue and never came back, once its turn lapses', async () => {
    const [first] = await appendMany(auditLog(), 1);
    const crashed = ['0', '', 'crashed-instance', Date.now(), 150, 1, 'f'.repeat(64), '{"seq":1}'] as const;
    expect(await scriptsOf(ctx.redis).appendAudit(ctx.keys.auditEntries, ctx.keys.auditTip, ...crashed)).toEqual([
      0,
      '1',
      first?.hash,
    ]);
    const started = Date.now();
    const second = await auditLog().append(entry(2));
    expect(second.seq).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(await verify()).toEqual({ ok: true, checked: 2 });
  });

  it('gives up with a clear error after waiting too long for its turn', async () => {
    await appendMany(auditLog(), 1);
    await ctx.redis.hset(ctx.keys.auditTip, 'queue', 'stuck-instance', 'headUntil', Date.now() + 60_000);
    const log = new RedisAuditLog({ redis: ctx.redis, keys: ctx.keys, maxWaitMs: 50 });
    await expect(log.append(entry(2))).rejects.toThrow('waited 50 ms for other appenders; not appended');
  });

  it('never stores an entry without its hash: a compare-and-set against a moved tip writes nothing', async () => {
    const [first] = await appendMany(auditLog(), 1);
    const stale = ['0', '', 'another-instance', Date.now(), 200, 1, 'f'.repeat(64), '{"seq":1}'] as const;
    const reply = await scriptsOf(ctx.redis).appendAudit(ctx.keys.auditEntries, ctx.keys.auditTip, ...stale);
    expect(reply).toEqual([0, '1', first?.hash]);
    const stored = await ctx.redis.hgetall(ctx.keys.auditEntries);
    expect(Object.keys(stored)).toEqual(['1']);
    const record = JSON.parse(stored['1'] as string) as AuditRecord;
    expect(record.hash).toBe(auditHash(canonicalAuditText(1, record.prevHash, record)));
  });

  it('refuses to overwrite an entry when the tip was moved back by hand', async () => {
    await appendMany(auditLog(), 3);
    await ctx.redis.hset(
      ctx.keys.auditTip,
      'seq',
      '2',
      'hash',
      JSON.parse((await ctx.redis.hget(ctx.keys.auditEntries, '2')) as string).hash,
    );
    await expect(auditLog().append(entry(4))).rejects.toThrow(AuditAppendError);
    await expect(auditLog().append(entry(4))).rejects.toThrow(/entry #3 already exists beyond the tip #2/);
  });

  it('gives up with a clear error after losing the compare-and-set every time', async () => {
    const log = new RedisAuditLog({ redis: ctx.redis, keys: ctx.keys, maxAttempts: 3 });
    await log.append(entry(1));
    // a tip another instance moved on each time: the log's cached tip is stale, so every attempt conflicts
    const interfere = async () => {
      const tip = await ctx.redis.hgetall(ctx.keys.auditTip);
      await ctx.redis.hset(ctx.keys.auditTip, 'seq', String(Number(tip.seq) + 1), 'hash', 'e'.repeat(64));
    };
    const original = scriptsOf(ctx.redis).appendAudit.bind(ctx.redis);
    const scripts = ctx.redis as unknown as { appendAudit: (...args: (string | number)[]) => Promise<unknown> };
    scripts.appendAudit = async (...args) => {
      await interfere();
      return await original(...args);
    };
    try {
      await expect(log.append(entry(2))).rejects.toThrow('lost the compare-and-set 3 times in a row');
    } finally {
      scripts.appendAudit = original;
    }
  });

  it('lists the records after a seq, in order, at most the limit', async () => {
    const records = await appendMany(auditLog(), 7);
    const log = auditLog();
    expect(await log.list({ limit: 3 })).toEqual(records.slice(0, 3));
    expect(await log.list({ afterSeq: 3, limit: 3 })).toEqual(records.slice(3, 6));
    expect(await log.list({ afterSeq: 6, limit: 3 })).toEqual(records.slice(6));
    expect(await log.list({ afterSeq: 7, limit: 3 })).toEqual([]);
    expect(await log.list({ limit: 0 })).toEqual([]);
  });

  it('lists nothing for an empty log', async () => {
    expect(await auditLog().list({ limit: 10 })).toEqual([]);
  });

  it('sets no TTL on its keys: the log outlives what it audits', async () => {
    await appendMany(auditLog(), 1);
    expect(await ctx.redis.pttl(ctx.keys.auditEntries)).toBe(-1);
    expect(await ctx.redis.pttl(ctx.keys.auditTip)).toBe(-1);
  });
});

describe('tampering with the audit log in Redis', () => {
  it('detects an edited entry', async () => {
    await appendMany(auditLog(), 5);
    const stored = JSON.parse((await ctx.redis.hget(ctx.keys.auditEntries, '3')) as string) as AuditRecord;
    await ctx.redis.hset(ctx.keys.auditEntries, '3', JSON.stringify({ ...stored, result: 'denied' }));
    expect(await verify()).toMatchObject({ ok: false, checked: 2, seq: 3, reason: 'hash-mismatch' });
  });

  it('detects garbled JSON', async () => {
    await appendMany(auditLog(), 3);
    await ctx.redis.hset(ctx.keys.auditEntries, '2', '{"seq":2,');
    expect(await verify()).toMatchObject({ ok: false, checked: 1, seq: 2, reason: 'unparseable' });
  });

  it('detects an entry deleted from the middle', async () => {
    await appendMany(auditLog(), 5);
    await ctx.redis.hdel(ctx.keys.auditEntries, '3');
    expect(await verify()).toMatchObject({ ok: false, checked: 2, seq: 3, reason: 'seq-gap' });
  });

  it('detects the last entry deleted, through the tip', async () => {
    await appendMany(auditLog(), 5);
    await ctx.redis.hdel(ctx.keys.auditEntries, '5');
    expect(await verify()).toMatchObject({ ok: false, checked: 4, seq: 5, reason: 'tip-mismatch' });
  });

  it('detects the tip deleted', async () => {
    await appendMany(auditLog(), 2);
    await ctx.redis.del(ctx.keys.auditTip);
    expect(await verify()).toMatchObject({ ok: false, seq: 2, reason: 'tip-mismatch' });
  });

  it('reads a consistent chain up to the tip while appends go on', async () => {
    const log = auditLog();
    await appendMany(log, 20);
    const more = Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry(100 + i))));
    const verdict = await verify();
    await more;
    expect(verdict.ok).toBe(true);
    expect(await verify()).toEqual({ ok: true, checked: 40 });
  });
});

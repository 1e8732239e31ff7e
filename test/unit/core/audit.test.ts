import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  AuditEntryInputSchema,
  type AuditRecord,
  type AuditTip,
  canonicalAuditText,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../../src/core/audit.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const entry = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: `officer-${n}`,
  role: 'police',
  action: 'alerts.read',
  object: `/alerts?unit=b1-${n}`,
  result: 'ok',
  detail: { count: n, redacted: true, estate: 'tiny' },
  at: new Date(Date.UTC(2026, 10, 26, 8, 0, n)).toISOString(),
  ...over,
});

/** A chain built the way the adapter builds it. */
function chain(length: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const prevHash = out.at(-1)?.hash ?? GENESIS_HASH;
    const e = entry(seq);
    out.push({ ...e, seq, prevHash, hash: sha256(canonicalAuditText(seq, prevHash, e)) });
  }
  return out;
}

const tipOf = (records: readonly AuditRecord[]): AuditTip | undefined => {
  const last = records.at(-1);
  return last && { seq: last.seq, hash: last.hash };
};

describe('canonicalAuditText', () => {
  it('does not depend on the order of properties, in the entry or in its detail', () => {
    const e = entry(1);
    const reordered: AuditEntry = {
      detail: { estate: 'tiny', redacted: true, count: 1 },
      at: e.at,
      result: e.result,
      object: e.object,
      action: e.action,
      role: e.role,
      actor: e.actor,
    };
    expect(canonicalAuditText(1, GENESIS_HASH, reordered)).toBe(canonicalAuditText(1, GENESIS_HASH, e));
  });

  it('ignores the chain fields of a whole record passed in', () => {
    const [record] = chain(1) as [AuditRecord];
    expect(canonicalAuditText(1, GENESIS_HASH, record)).toBe(canonicalAuditText(1, GENESIS_HASH, entry(1)));
  });

  it.each([
    ['actor', { actor: 'officer-2' }],
    ['role', { role: 'supervisor' }],
    ['action', { action: 'case.acknowledge' }],
    ['object', { object: '' }],
    ['result', { result: 'denied' }],
    ['at', { at: '2026-11-26T08:00:02.000Z' }],
    ['a detail value', { detail: { count: 2, redacted: true, estate: 'tiny' } }],
    ['a detail value of another type', { detail: { count: '1', redacted: true, estate: 'tiny' } }],
    ['a detail key', { detail: { count: 1, redacted: true, estateId: 'tiny' } }],
    ['detail emptied', { detail: {} }],
    ['detail removed', { detail: undefined }],
  ] as const)('changes when %s changes', (_, over) => {
    const text = canonicalAuditText(1, GENESIS_HASH, entry(1));
    expect(canonicalAuditText(1, GENESIS_HASH, entry(1, over as Partial<AuditEntry>))).not.toBe(text);
  });

  it('changes with the seq and the previous hash', () => {
    const text = canonicalAuditText(1, GENESIS_HASH, entry(1));
    expect(canonicalAuditText(2, GENESIS_HASH, entry(1))).not.toBe(text);
    expect(canonicalAuditText(1, 'f'.repeat(64), entry(1))).not.toBe(text);
  });

  it('cannot be fooled by moving text between fields', () => {
    const a = entry(1, { actor: 'ab', role: 'c' });
    const b = entry(1, { actor: 'a', role: 'bc' });
    expect(canonicalAuditText(1, GENESIS_HASH, a)).not.toBe(canonicalAuditText(1, GENESIS_HASH, b));
  });
});

describe('AuditEntryInputSchema', () => {
  it('refuses unknown fields, empty actors, unknown results and oversized details', () => {
    const ok = entry(1);
    expect(AuditEntryInputSchema.safeParse(ok).success).toBe(true);
    expect(AuditEntryInputSchema.safeParse({ ...ok, at: undefined }).success).toBe(true);
    expect(AuditEntryInputSchema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
    expect(AuditEntryInputSchema.safeParse({ ...ok, actor: '' }).success).toBe(false);
    expect(AuditEntryInputSchema.safeParse({ ...ok, result: 'maybe' }).success).toBe(false);
    expect(AuditEntryInputSchema.safeParse({ ...ok, at: 'yesterday' }).success).toBe(false);
    const big = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));
    expect(AuditEntryInputSchema.safeParse({ ...ok, detail: big }).success).toBe(false);
    expect(AuditEntryInputSchema.safeParse({ ...ok, detail: { nested: { a: 1 } } }).success).toBe(false);
  });
});

describe('verifyAuditChain', () => {
  it('accepts an intact chain and counts its entries', () => {
    const records = chain(5);
    expect(verifyAuditChain(records, tipOf(records), sha256)).toEqual({ ok: true, checked: 5 });
  });

  it('accepts an empty log', () => {
    expect(verifyAuditChain([], undefined, sha256)).toEqual({ ok: true, checked: 0 });
  });

  it('finds an edited entry by its hash', () => {
    const records = chain(5);
    const tip = tipOf(records);
    records[2] = { ...(records[2] as AuditRecord), result: 'denied' };
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({
      ok: false,
      checked: 2,
      seq: 3,
      reason: 'hash-mismatch',
    });
  });

  it('finds an entry replaced with a recomputed hash by the link of the next one', () => {
    const records = chain(5);
    const tip = tipOf(records);
    const forged = { ...(records[2] as AuditRecord), actor: 'someone-else' };
    records[2] = { ...forged, hash: sha256(canonicalAuditText(3, forged.prevHash, forged)) };
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({ ok: false, seq: 4, reason: 'broken-link' });
  });

  it('finds an entry removed from the middle', () => {
    const records = chain(5);
    const tip = tipOf(records);
    records.splice(2, 1);
    const verdict = verifyAuditChain(records, tip, sha256);
    expect(verdict).toMatchObject({ ok: false, checked: 2, seq: 3, reason: 'seq-gap' });
    expect(verdict.ok || verdict.detail).toBe('entry #3 is missing (the log goes on at #4)');
  });

  it('finds entry #1 removed', () => {
    const records = chain(3);
    const tip = tipOf(records);
    expect(verifyAuditChain(records.slice(1), tip, sha256)).toMatchObject({ ok: false, seq: 1, reason: 'seq-gap' });
  });

  it('finds the last entry removed through the tip', () => {
    const records = chain(5);
    const tip = tipOf(records);
    const verdict = verifyAuditChain(records.slice(0, 4), tip, sha256);
    expect(verdict).toMatchObject({ ok: false, checked: 4, seq: 5, reason: 'tip-mismatch' });
    expect(verdict.ok || verdict.detail).toBe('the tip names #5 but the log ends at #4: #5 was deleted');
  });

  it('finds every entry removed while the tip stayed', () => {
    const records = chain(3);
    expect(verifyAuditChain([], tipOf(records), sha256)).toMatchObject({ ok: false, seq: 1, reason: 'tip-mismatch' });
  });

  it('finds the tip removed while entries stayed', () => {
    expect(verifyAuditChain(chain(3), undefined, sha256)).toMatchObject({ ok: false, seq: 3, reason: 'tip-mismatch' });
  });

  it('finds the last entry replaced when the tip remembers another hash', () => {
    const records = chain(3);
    const tip = { seq: 3, hash: 'a'.repeat(64) };
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({ ok: false, seq: 3, reason: 'tip-mismatch' });
  });

  it('finds a reordered pair', () => {
    const records = chain(5);
    const tip = tipOf(records);
    [records[1], records[2]] = [records[2] as AuditRecord, records[1] as AuditRecord];
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({ ok: false, checked: 1, seq: 2, reason: 'seq-gap' });
  });

  it('finds an entry that is not an audit record, naming the field', () => {
    const records: unknown[] = chain(3);
    const tip = tipOf(records as AuditRecord[]);
    records[1] = { ...(records[1] as AuditRecord), result: 'maybe' };
    const verdict = verifyAuditChain(records, tip, sha256);
    expect(verdict).toMatchObject({ ok: false, checked: 1, seq: 2, reason: 'unparseable' });
    expect(verdict.ok || verdict.detail).toMatch(/^result: /);
    records[1] = { ...(chain(3)[1] as AuditRecord), addedLater: 'x' };
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({ ok: false, seq: 2, reason: 'unparseable' });
    records[1] = '{"seq":2,"actor":';
    expect(verifyAuditChain(records, tip, sha256)).toMatchObject({ ok: false, seq: 2, reason: 'unparseable' });
  });

  it('finds an unreadable tip', () => {
    const records = chain(2);
    expect(verifyAuditChain(records, { seq: Number.NaN, hash: '' }, sha256)).toMatchObject({
      ok: false,
      reason: 'tip-mismatch',
    });
  });
});

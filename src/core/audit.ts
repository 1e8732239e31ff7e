/**
 * The audit log: who did what to which object, when, and with what result. Every record carries the hash of its
 * predecessor, so editing, removing or reordering a record breaks the chain, and the stored tip (the last seq and
 * hash) exposes entries removed at the end. The hash function is injected: the core stays free of node:crypto.
 *
 * What the chain cannot show on its own: someone with write access who rewrites every record from the edited one
 * on and moves the tip. Comparing the tip with one noted elsewhere (`npm run audit:verify` prints it) closes that.
 */
import { z } from 'zod';

/** The prevHash of entry #1: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

const MAX_DETAIL_FIELDS = 16;
const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const AuditResultSchema = z.enum(['ok', 'denied', 'failed']);
export type AuditResult = z.infer<typeof AuditResultSchema>;

/** A few facts that make an entry readable (the previous status, a reason code); never a payload. */
export const AuditDetailSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean()]))
  .refine((d) => Object.keys(d).length <= MAX_DETAIL_FIELDS, `at most ${MAX_DETAIL_FIELDS} fields`);

export const AuditEntryInputSchema = z.strictObject({
  actor: z.string().min(1).max(128).describe('who acted: a principal id, or the component for system actions'),
  role: z.string().min(1).max(32).describe("the actor's role: operator, police, system, anonymous, …"),
  action: z.string().min(1).max(64).describe('what was done: case.acknowledge, auth.failure, alerts.read, …'),
  object: z.string().max(256).describe('what it was done to: a case id, a route; empty when nothing in particular'),
  result: AuditResultSchema,
  detail: AuditDetailSchema.optional(),
  // optional so that a caller without its own notion of "now" lets the log stamp it with the gateway's clock
  at: z.iso.datetime({ offset: true }).optional().describe("the gateway's clock time of the action"),
});
export type AuditEntryInput = z.infer<typeof AuditEntryInputSchema>;

export const AuditRecordSchema = AuditEntryInputSchema.extend({
  at: z.iso.datetime({ offset: true }),
  seq: z.int().min(1),
  prevHash: Sha256HexSchema,
  hash: Sha256HexSchema,
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** An entry as it is hashed: the input with its time fixed. */
export type AuditEntry = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

/** The log's last record as the store committed it; undefined while the log is empty. */
export type AuditTip = { seq: number; hash: string };

export interface AuditLog {
  /**
   * Validates the entry (throws on an invalid one), stamps `at` when absent, and appends it as the record after the
   * current tip: seq is the tip's plus one and prevHash the tip's hash. The record and the new tip are committed in
   * one atomic step, so no record is ever stored without its hash, and appends from any number of gateway
   * instances are linearised: two appends never get the same seq (no fork). Resolves with the committed record.
   */
  append(entry: AuditEntryInput): Promise<AuditRecord>;
  /**
   * Committed records with seq > afterSeq (default 0), in seq order, at most `limit` of them. A record that was
   * deleted or no longer parses is left out; `verifyAuditChain` is what reports it.
   */
  list(opts: { afterSeq?: number; limit: number }): Promise<AuditRecord[]>;
}

/**
 * The text an entry's hash is taken over. A JSON array in a fixed field order (detail keys sorted), so the hash
 * depends on the content and never on property order; the leading version tag lets the format change later.
 * A missing detail (null) and an empty one ([]) differ, so not even that can be slipped in unnoticed.
 */
export function canonicalAuditText(seq: number, prevHash: string, entry: AuditEntry): string {
  const detail =
    entry.detail === undefined
      ? null
      : Object.keys(entry.detail)
          .sort()
          .map((k) => [k, entry.detail?.[k]]);
  return JSON.stringify([
    'linli-audit/1',
    seq,
    prevHash,
    entry.at,
    entry.actor,
    entry.role,
    entry.action,
    entry.object,
    entry.result,
    detail,
  ]);
}

export type AuditFaultReason =
  /** An entry is not an audit record at all (garbled JSON, a field missing or out of range). */
  | 'unparseable'
  /** An entry's hash does not match its content: the entry was edited. */
  | 'hash-mismatch'
  /** An entry's prevHash is not its predecessor's hash: the predecessor was replaced, hash recomputed. */
  | 'broken-link'
  /** The expected seq is not next: an entry was deleted, or entries were moved. */
  | 'seq-gap'
  /** The tip names another last entry than the log holds: entries were deleted at the end, or the tip was. */
  | 'tip-mismatch';

export type AuditVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; seq: number; reason: AuditFaultReason; detail: string };

/**
 * Checks a whole log: `records` as read from the store in seq order (anything unparsed included, as it was read),
 * `tip` as stored. Stops at the first fault, naming the seq where the chain stops holding; `checked` counts the
 * records that were intact before it.
 */
export function verifyAuditChain(
  records: readonly unknown[],
  tip: AuditTip | undefined,
  hashOf: (text: string) => string,
): AuditVerdict {
  let prev: AuditTip = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  const fault = (seq: number, reason: AuditFaultReason, detail: string): AuditVerdict => ({
    ok: false,
    checked,
    seq,
    reason,
    detail,
  });

  for (const raw of records) {
    const expected = prev.seq + 1;
    const parsed = AuditRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const claimed = (raw as { seq?: unknown } | null)?.seq;
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return fault(
        Number.isInteger(claimed) ? (claimed as number) : expected,
        'unparseable',
        `${where}${issue?.message}`,
      );
    }
    const r = parsed.data;
    if (r.seq !== expected) {
      const detail =
        r.seq > expected
          ? `entry #${expected} is missing (the log goes on at #${r.seq})`
          : `entry #${r.seq} comes again after #${prev.seq} (entries moved or copied)`;
      return fault(expected, 'seq-gap', detail);
    }
    if (hashOf(canonicalAuditText(r.seq, r.prevHash, r)) !== r.hash)
      return fault(r.seq, 'hash-mismatch', 'its content does not match its hash (the entry was edited)');
    if (r.prevHash !== prev.hash)
      return fault(r.seq, 'broken-link', `its prevHash is not the hash of #${prev.seq} (#${prev.seq} was replaced)`);
    prev = { seq: r.seq, hash: r.hash };
    checked++;
  }

  if (!tip) {
    return checked === 0 ? { ok: true, checked } : fault(prev.seq, 'tip-mismatch', 'the tip is missing');
  }
  if (!Number.isInteger(tip.seq) || tip.seq < 0) return fault(prev.seq, 'tip-mismatch', 'the tip is not readable');
  if (tip.seq > prev.seq) {
    const lost = tip.seq === prev.seq + 1 ? `#${tip.seq} was` : `#${prev.seq + 1}–#${tip.seq} were`;
    return fault(
      prev.seq + 1,
      'tip-mismatch',
      `the tip names #${tip.seq} but the log ends at #${prev.seq}: ${lost} deleted`,
    );
  }
  if (tip.seq < prev.seq)
    return fault(tip.seq + 1, 'tip-mismatch', `the log goes on to #${prev.seq} after the tip #${tip.seq}`);
  if (tip.hash !== prev.hash)
    return fault(prev.seq, 'tip-mismatch', `the tip recorded another hash for #${tip.seq} (the entry was replaced)`);
  return { ok: true, checked };
}

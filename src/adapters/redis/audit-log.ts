/**
 * The audit log in Redis. Storage: a HASH of records keyed by seq (the JSON of the whole record, its hash included)
 * and a tip HASH with the last committed seq and hash, both under the hash tag `{audit}` so that the append script
 * touches one Redis Cluster slot. A HASH rather than a STREAM: records are addressed by their seq, which is what
 * paging (`list`) and verification ask for, and the script can refuse to overwrite a seq that is already taken.
 *
 * No key here has a TTL, on purpose: an audit log must outlive the cases, alerts and sessions it audits (all of
 * which expire), so retention is a decision for whoever archives the log, never an expiry.
 *
 * Concurrency: seq and prevHash are computed in Node from the tip, and the script commits only if the tip is still
 * that one (compare-and-set), else returns the current tip to compute from again; a record is only ever written
 * together with its hash and the tip, so the chain never forks. Appends of one instance are queued and whatever
 * queued up meanwhile goes in one script call, so only other instances can conflict; an instance that is refused
 * joins the script's queue of appenders (see appendAudit-2.lua) and gets its turn instead of starving behind the
 * one that won last. Both bounds end in an AuditAppendError: compare-and-sets lost, and time spent waiting in line.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import {
  type AuditEntry,
  type AuditEntryInput,
  AuditEntryInputSchema,
  type AuditLog,
  type AuditRecord,
  AuditRecordSchema,
  type AuditTip,
  canonicalAuditText,
  GENESIS_HASH,
} from '../../core/audit.js';
import { type Clock, systemClock } from '../../core/ports.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';

export type RedisAuditLogOptions = {
  redis: Redis | Cluster;
  keys: Keys;
  /** Stamps entries that come without `at`. */
  clock?: Clock;
  /** Compare-and-sets lost (the tip moved under this instance) before an append gives up. */
  maxAttempts?: number;
  /** Time spent waiting for other instances' turns before an append gives up, ms. */
  maxWaitMs?: number;
};

export class AuditAppendError extends Error {
  override readonly name = 'AuditAppendError';
}

const PAGE = 500;
const SEQ_FIELD = /^[1-9]\d*$/;
/** Records per script call: bounds the call's size while a burst drains. */
const MAX_BATCH = 100;
/** A turn at the head of the appenders' queue: appending takes one round trip; this much covers a crashed head. */
const TURN_MS = 200;
/** How often an appender waiting in line asks again, ms (plus jitter, so that waiting instances spread out). */
const POLL_MS = 1;

const APPENDED = 1;
const TIP_MOVED = 0;
const OTHERS_TURN = 2;
const SEQ_TAKEN = -1;

/** SHA-256, hex: the hash the chain is built with (and verified with). */
export const auditHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The tip as stored: strings, so that the compare-and-set compares exactly what Redis holds. */
type StoredTip = { seq: string; hash: string };
const EMPTY_TIP: StoredTip = { seq: '0', hash: '' };

type Waiting = { entry: AuditEntry; resolve: (r: AuditRecord) => void; reject: (err: unknown) => void };

export class RedisAuditLog implements AuditLog {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #clock: Clock;
  readonly #maxAttempts: number;
  readonly #maxWaitMs: number;
  readonly #appenderId = randomUUID();
  /** The tip this instance committed last; saves a read per append while no other instance appends. */
  #knownTip: StoredTip | undefined;
  #waiting: Waiting[] = [];
  #draining = false;

  constructor(opts: RedisAuditLogOptions) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
    this.#clock = opts.clock ?? systemClock;
    this.#maxAttempts = opts.maxAttempts ?? 20;
    this.#maxWaitMs = opts.maxWaitMs ?? 2000;
  }

  async append(input: AuditEntryInput): Promise<AuditRecord> {
    const parsed = AuditEntryInputSchema.parse(input);
    const entry: AuditEntry = { ...parsed, at: parsed.at ?? new Date(this.#clock.now()).toISOString() };
    const committed = new Promise<AuditRecord>((resolve, reject) => this.#waiting.push({ entry, resolve, reject }));
    if (!this.#draining) void this.#drain();
    return await committed;
  }

  /** Commits the queue in order, a batch per script call; never rejects (each batch settles its own appends). */
  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length) {
        const batch = this.#waiting.splice(0, MAX_BATCH);
        try {
          const records = await this.#commit(batch.map((w) => w.entry));
          for (const [i, w] of batch.entries()) w.resolve(records[i] as AuditRecord);
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    let tip = this.#knownTip ?? (await readStoredTip(this.#redis, this.#keys));
    this.#knownTip = undefined;
    const waitUntil = Date.now() + this.#maxWaitMs;
    let lost = 0;
    while (lost < this.#maxAttempts) {
      const records = chainFrom(tip, entries);
      const last = records.at(-1) as AuditRecord;
      const [status, seq, hash] = await this.#scripts.appendAudit(
        this.#keys.auditEntries,
        this.#keys.auditTip,
        tip.seq,
        tip.hash,
        this.#appenderId,
        // wall time, not the injected clock: turns are about live processes, not about when actions happened
        Date.now(),
        TURN_MS,
        last.seq,
        last.hash,
        ...records.map((r) => JSON.stringify(r)),
      );
      switch (status) {
        case APPENDED:
          this.#knownTip = { seq: String(last.seq), hash: last.hash };
          return records;
        case TIP_MOVED:
          lost++;
          break;
        case OTHERS_TURN:
          if (Date.now() > waitUntil)
            throw new AuditAppendError(`audit log: waited ${this.#maxWaitMs} ms for other appenders; not appended`);
          await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
          break;
        case SEQ_TAKEN:
          throw new AuditAppendError(
            `audit log: entry #${seq} already exists beyond the tip #${tip.seq}; the tip was moved back, run audit:verify`,
          );
        default:
          throw new AuditAppendError(`audit log: unexpected reply ${status} from appendAudit`);
      }
      tip = { seq: String(seq ?? '0'), hash: hash ?? '' };
    }
    throw new AuditAppendError(
      `audit log: append lost the compare-and-set ${this.#maxAttempts} times in a row to other appenders; not appended`,
    );
  }

  async list(opts: { afterSeq?: number; limit: number }): Promise<AuditRecord[]> {
    const tip = parseTip(await readStoredTip(this.#redis, this.#keys));
    const out: AuditRecord[] = [];
    if (!tip) return out;
    let from = Math.max(0, Math.floor(opts.afterSeq ?? 0)) + 1;
    while (from <= tip.seq && out.length < opts.limit) {
      const count = Math.min(PAGE, opts.limit - out.length, tip.seq - from + 1);
      const seqs = Array.from({ length: count }, (_, i) => String(from + i));
      for (const value of await this.#redis.hmget(this.#keys.auditEntries, ...seqs)) {
        // a deleted or garbled entry is skipped here; audit:verify is where it is reported
        const record = AuditRecordSchema.safeParse(parseJson(value));
        if (record.success) out.push(record.data);
      }
      from += count;
    }
    return out;
  }
}

export type AuditChain = {
  /** Every entry up to the tip in seq order, JSON-parsed (the raw text when it does not parse), for verification. */
  records: unknown[];
  tip: AuditTip | undefined;
};

/**
 * Reads the whole log for `verifyAuditChain`. The tip is read first and only entries up to it are taken: those never
 * change while other instances go on appending, so the chain read is consistent without stopping the gateway.
 */
export async function readAuditChain(redis: Redis | Cluster, keys: Keys): Promise<AuditChain> {
  const tip = parseTip(await readStoredTip(redis, keys));
  const limit = tip && Number.isInteger(tip.seq) ? tip.seq : Number.POSITIVE_INFINITY;
  const seqs = (await redis.hkeys(keys.auditEntries))
    .filter((field) => SEQ_FIELD.test(field))
    .map(Number)
    .filter((seq) => seq <= limit)
    .sort((a, b) => a - b);
  const records: unknown[] = [];
  for (let i = 0; i < seqs.length; i += PAGE) {
    const page = seqs.slice(i, i + PAGE).map(String);
    for (const value of await redis.hmget(keys.auditEntries, ...page))
      if (value !== null) records.push(parseJson(value));
  }
  return { records, tip };
}

async function readStoredTip(redis: Redis | Cluster, keys: Keys): Promise<StoredTip> {
  const [seq, hash] = await redis.hmget(keys.auditTip, 'seq', 'hash');
  return seq === null && hash === null ? EMPTY_TIP : { seq: seq ?? '', hash: hash ?? '' };
}

/** Undefined for an empty log; a seq that is not a number becomes NaN, which verification reports. */
function parseTip(stored: StoredTip): AuditTip | undefined {
  if (stored === EMPTY_TIP) return undefined;
  return { seq: /^\d+$/.test(stored.seq) ? Number(stored.seq) : Number.NaN, hash: stored.hash };
}

/** The records of `entries` following `tip`, each hashed over its content and its predecessor's hash. */
function chainFrom(tip: StoredTip, entries: readonly AuditEntry[]): AuditRecord[] {
  if (!/^\d+$/.test(tip.seq)) throw new AuditAppendError(`audit log: the tip is unreadable (seq '${tip.seq}')`);
  let seq = Number(tip.seq);
  let prevHash = seq === 0 ? GENESIS_HASH : tip.hash;
  return entries.map((entry) => {
    seq++;
    const hash = auditHash(canonicalAuditText(seq, prevHash, entry));
    const { actor, role, action, object, result, detail, at } = entry;
    const record: AuditRecord = {
      seq,
      prevHash,
      hash,
      at,
      actor,
      role,
      action,
      object,
      result,
      ...(detail ? { detail } : {}),
    };
    prevHash = hash;
    return record;
  });
}

function parseJson(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

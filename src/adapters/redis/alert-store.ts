import type { Cluster, Redis } from 'ioredis';
import { type Alert, type AlertDecision, alertSlot } from '../../core/alerts.js';
import type { AlertFilter, AlertStore, AlertUpdate } from '../../core/ports.js';
import { DAY_MS } from '../../core/time.js';
import { type AlertFields, alertFromFields, parseAlertId } from './alert-records.js';
import { encodeDraft } from './draft-codec.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';

export type RedisAlertStoreOptions = {
  redis: Redis | Cluster;
  keys: Keys;
  /** How long an alert and the feed are kept after their last change. */
  retentionDays: number;
  /** Approximate cap on the feed's length (clients further behind than this start from the oldest entry kept). */
  streamMaxLen: number;
};

const PAGE = 200;

export class RedisAlertStore implements AlertStore {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #retentionMs: number;
  readonly #maxLen: number;

  constructor(opts: RedisAlertStoreOptions) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
    this.#retentionMs = opts.retentionDays * DAY_MS;
    this.#maxLen = opts.streamMaxLen;
  }

  async apply(decisions: readonly AlertDecision[]): Promise<AlertUpdate[]> {
    const replies = await Promise.all(decisions.map((d) => this.#upsert(d)));
    return replies.filter((u): u is AlertUpdate => u !== undefined);
  }

  async #upsert(d: AlertDecision): Promise<AlertUpdate | undefined> {
    const slot =
      d.action === 'raise'
        ? alertSlot(d.draft.estateId, d.draft.subject, d.draft.kind)
        : alertSlot(d.estateId, d.subject, d.kind);
    const reply = await this.#scripts.upsertAlert(
      this.#keys.alert(slot),
      this.#keys.alertStream,
      this.#keys.alertIndex,
      this.#keys.policeStream,
      d.action,
      slot,
      d.action === 'raise' ? encodeDraft(d.draft) : '',
      d.action === 'raise' ? d.fingerprint : '',
      d.eventMs,
      this.#retentionMs,
      this.#maxLen,
      d.persistence?.day ?? '',
      d.persistence?.confirmDays ?? 1,
      d.persistence?.clearAfterDays ?? 0,
      d.persistence?.watchOnly ? 1 : 0,
      d.persistence?.watchMs ?? 0,
      d.police ? JSON.stringify(d.police) : '',
    );
    const [change, streamId, n, status, first, last, occ, ver, cleared, draft] = reply;
    if (change !== 'raised' && change !== 'updated' && change !== 'cleared') return undefined;
    const alert = alertFromFields(slot, { n, status, first, last, occ, ver, cleared, draft } as AlertFields);
    return alert && { change, streamId: streamId as string, alert };
  }

  async get(id: string): Promise<Alert | undefined> {
    const parsed = parseAlertId(id);
    if (!parsed) return undefined;
    const alert = alertFromFields(parsed.slot, await this.#redis.hgetall(this.#keys.alert(parsed.slot)));
    // an alert that was cleared and raised again has a new number; the old one lives on only in the feed
    return alert?.id === id ? alert : undefined;
  }

  /** Newest first; pages through the index so a filter that matches little does not load every alert at once. */
  async list(filter: AlertFilter): Promise<Alert[]> {
    const out: Alert[] = [];
    const min = filter.sinceMs ?? '-inf';
    for (let offset = 0; out.length < filter.limit; offset += PAGE) {
      const slots = await this.#redis.zrevrangebyscore(this.#keys.alertIndex, '+inf', min, 'LIMIT', offset, PAGE);
      if (slots.length === 0) break;
      const records = await Promise.all(slots.map((s) => this.#redis.hgetall(this.#keys.alert(s))));
      const gone: string[] = [];
      slots.forEach((slot, i) => {
        const alert = alertFromFields(slot, records[i] ?? {});
        if (!alert) gone.push(slot);
        else if (matches(alert, filter) && out.length < filter.limit) out.push(alert);
      });
      // alerts expire with their TTL; their index entries are removed when a listing finds them gone
      if (gone.length) await this.#redis.zrem(this.#keys.alertIndex, ...gone);
      if (slots.length < PAGE) break;
    }
    return out;
  }
}

function matches(a: Alert, f: AlertFilter): boolean {
  return (
    (f.status === undefined || a.status === f.status) &&
    (f.kind === undefined || a.kind === f.kind) &&
    (f.estateId === undefined || a.estateId === f.estateId) &&
    (f.buildingId === undefined || a.buildingId === f.buildingId) &&
    (f.unitId === undefined || a.unitId === f.unitId)
  );
}

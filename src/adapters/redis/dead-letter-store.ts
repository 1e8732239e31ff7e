import type { Cluster, Redis } from 'ioredis';
import type { FloodRecord } from '../../core/flood-records.js';
import type { DeadLetterSink } from '../../core/ports.js';
import type { Rejection } from '../../core/rejections.js';
import { DAY_MS } from '../../core/time.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';
import { streamFields } from './stream-fields.js';

export type DeadLetter = Rejection & { id: string; at: string };

/**
 * How long a delivery's dead letter is remembered as recorded: a batch is retried within seconds while Redis
 * answers, and a batch whose retries outlast an hour of outage may record its rejections again (see the README,
 * "Delivery guarantees"). Longer would cost a key per rejected message for longer.
 */
const DELIVERY_MARK_MS = 3_600_000;

export type RedisDeadLetterOptions = {
  redis: Redis | Cluster;
  keys: Keys;
  retentionDays: number;
  maxLen: number;
  /** Age at which a device's open flood dead letter is appended to the stream (see recordFlood.lua). */
  floodRecordMs?: number;
};

export class RedisDeadLetters implements DeadLetterSink {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #ttlMs: number;
  readonly #maxLen: number;
  readonly #floodRecordMs: number;

  constructor(opts: RedisDeadLetterOptions) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
    this.#ttlMs = opts.retentionDays * DAY_MS;
    this.#maxLen = opts.maxLen;
    this.#floodRecordMs = opts.floodRecordMs ?? 1000;
  }

  async record(rejections: readonly Rejection[]): Promise<void> {
    const at = new Date().toISOString();
    await Promise.all(
      rejections.map((r) =>
        this.#scripts.recordDeadLetter(
          this.#keys.deadLetters,
          this.#keys.deadLetterCounts,
          this.#keys.deadLetterOnce(r.deliveryKey),
          this.#maxLen,
          this.#ttlMs,
          r.deliveryKey ? DELIVERY_MARK_MS : '',
          'reason',
          r.reason,
          'detail',
          r.detail,
          'topic',
          r.topic,
          'estate',
          r.estateId ?? '',
          'device',
          r.deviceId ?? '',
          'payload',
          r.preview,
          'at',
          at,
        ),
      ),
    );
  }

  async recordFloods(floods: readonly FloodRecord[], nowMs: number): Promise<void> {
    const at = new Date(nowMs).toISOString();
    await Promise.all(
      floods.map((f) =>
        this.#floodScript(nowMs, at, `${f.estateId ?? ''}/${f.deviceId ?? ''}`, f.deliveryKey, {
          n: f.count,
          topic: f.topic,
          estate: f.estateId ?? '',
          device: f.deviceId ?? '',
          preview: f.preview,
          fseq: f.first.seq === undefined ? '' : String(f.first.seq),
          fid: f.first.id ?? '',
          lseq: f.last.seq === undefined ? '' : String(f.last.seq),
          lid: f.last.id ?? '',
        }),
      ),
    );
  }

  async flushFloods(nowMs: number): Promise<void> {
    await this.#floodScript(nowMs, new Date(nowMs).toISOString(), '', undefined, {});
  }

  #floodScript(
    nowMs: number,
    at: string,
    subject: string,
    deliveryKey: string | undefined,
    batch: object,
  ): Promise<number> {
    return this.#scripts.recordFlood(
      this.#keys.deadLetters,
      this.#keys.deadLetterCounts,
      this.#keys.deadLetterFloods,
      this.#keys.deadLetterOnce(deliveryKey),
      this.#maxLen,
      this.#ttlMs,
      nowMs,
      this.#floodRecordMs,
      at,
      subject,
      JSON.stringify(batch),
      deliveryKey ? DELIVERY_MARK_MS : '',
    );
  }

  /** Newest first. */
  async list(opts: { limit: number; reason?: string }): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    let end = '+';
    while (out.length < opts.limit) {
      const entries = (await this.#redis.xrevrange(this.#keys.deadLetters, end, '-', 'COUNT', 200)) as [
        string,
        string[],
      ][];
      for (const [id, flat] of entries) {
        if (id === end) continue;
        const f = streamFields(flat);
        if (opts.reason && f.reason !== opts.reason) continue;
        out.push({
          id,
          reason: f.reason as DeadLetter['reason'],
          detail: f.detail ?? '',
          topic: f.topic ?? '',
          ...(f.estate ? { estateId: f.estate } : {}),
          ...(f.device ? { deviceId: f.device } : {}),
          preview: f.payload ?? '',
          at: f.at ?? '',
          ...(f.count ? { count: Number(f.count) } : {}),
        });
        if (out.length >= opts.limit) break;
      }
      if (entries.length < 200) break;
      end = (entries.at(-1) as [string, string[]])[0];
    }
    return out;
  }

  async counts(): Promise<Record<string, number>> {
    const raw = await this.#redis.hgetall(this.#keys.deadLetterCounts);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}

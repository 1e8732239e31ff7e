import type { Cluster, Redis } from 'ioredis';
import type { AlertUpdate } from '../../core/ports.js';
import { updateFromEntry } from './alert-records.js';
import type { Keys } from './keys.js';

type Entry = [string, string[]];
const STREAM_ID = /^\d+-\d+$/;

export const isStreamId = (id: string): boolean => STREAM_ID.test(id);

/**
 * The alert feed is the Redis stream of alert changes: a client resumes strictly after the last id it saw, and
 * every gateway instance tails the same stream, so a client on any instance sees every alert (no instance talks
 * to another).
 */
export class RedisAlertFeed {
  readonly #redis: Redis | Cluster;
  readonly #keys: Keys;
  #tailing = false;
  #blocking: Redis | undefined;

  constructor(opts: { redis: Redis | Cluster; keys: Keys }) {
    this.#redis = opts.redis;
    this.#keys = opts.keys;
  }

  /** Entries strictly after `afterId` ('0' for the oldest kept), oldest first. */
  async readAfter(afterId: string, count: number): Promise<AlertUpdate[]> {
    const entries = (await this.#redis.xrange(this.#keys.alertStream, `(${afterId}`, '+', 'COUNT', count)) as Entry[];
    return parse(entries);
  }

  /** Id of the newest entry, or '0-0' when the feed is empty: where a tail starts so that it misses nothing. */
  async lastId(): Promise<string> {
    const newest = (await this.#redis.xrevrange(this.#keys.alertStream, '+', '-', 'COUNT', 1)) as Entry[];
    return newest[0]?.[0] ?? '0-0';
  }

  /**
   * Follows the stream on a dedicated connection (XREAD BLOCK holds it) and hands every new entry, in order, to
   * `onUpdate`. Errors are reported and retried after a pause; `stop()` ends the loop.
   */
  async start(onUpdate: (u: AlertUpdate) => void, onError: (err: unknown) => void): Promise<void> {
    this.#tailing = true;
    // both Redis and Cluster can duplicate themselves; the union's signatures just do not unify
    this.#blocking = (this.#redis as Redis).duplicate();
    // a duplicate does not inherit listeners: its errors reach the loop below through the failed XREAD instead
    this.#blocking.on('error', () => undefined);
    let last = await this.lastId();
    void (async () => {
      while (this.#tailing) {
        try {
          const res = (await this.#blocking?.xread(
            'COUNT',
            500,
            'BLOCK',
            1000,
            'STREAMS',
            this.#keys.alertStream,
            last,
          )) as [string, Entry[]][] | null;
          for (const [, entries] of res ?? []) {
            for (const u of parse(entries)) onUpdate(u);
            last = entries.at(-1)?.[0] ?? last;
          }
        } catch (err) {
          if (!this.#tailing) break;
          onError(err);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  stop(): void {
    this.#tailing = false;
    const conn = this.#blocking;
    this.#blocking = undefined;
    conn?.disconnect();
  }
}

function parse(entries: Entry[]): AlertUpdate[] {
  return entries.map(([id, flat]) => updateFromEntry(id, flat)).filter((u): u is AlertUpdate => u !== undefined);
}

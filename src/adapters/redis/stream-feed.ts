import type { Cluster, Redis } from 'ioredis';
import { duplicateConnection } from './connect.js';

export type StreamEntry = [string, string[]];
const STREAM_ID = /^\d+-\d+$/;

export const isStreamId = (id: string): boolean => STREAM_ID.test(id);

/**
 * A feed is a Redis stream: a client resumes strictly after the last id it saw, and every gateway instance tails
 * the same stream, so a client on any instance sees every entry (no instance talks to another). `parse` turns an
 * entry into the feed's item, or skips it.
 */
export class RedisStreamFeed<T> {
  readonly #redis: Redis | Cluster;
  readonly #stream: string;
  readonly #parse: (id: string, fields: readonly string[]) => T | undefined;
  #tailing = false;
  #blocking: Redis | Cluster | undefined;

  constructor(opts: {
    redis: Redis | Cluster;
    stream: string;
    parse: (id: string, fields: readonly string[]) => T | undefined;
  }) {
    this.#redis = opts.redis;
    this.#stream = opts.stream;
    this.#parse = opts.parse;
  }

  /** Items strictly after `afterId` ('0' for the oldest kept), oldest first. */
  async readAfter(afterId: string, count: number): Promise<T[]> {
    return (await this.readPage(afterId, count)).items;
  }

  /**
   * Up to `count` entries after `afterId` as items, with the id of the last entry read: entries that parse to no
   * item (or that a reader filters out) still move a replay forward.
   */
  async readPage(afterId: string, count: number): Promise<{ items: T[]; lastId: string | undefined; full: boolean }> {
    const entries = (await this.#redis.xrange(this.#stream, `(${afterId}`, '+', 'COUNT', count)) as StreamEntry[];
    return { items: this.#parseAll(entries), lastId: entries.at(-1)?.[0], full: entries.length === count };
  }

  /** Id of the newest entry, or '0-0' when the feed is empty: where a tail starts so that it misses nothing. */
  async lastId(): Promise<string> {
    const newest = (await this.#redis.xrevrange(this.#stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
    return newest[0]?.[0] ?? '0-0';
  }

  /**
   * Follows the stream on a dedicated connection (XREAD BLOCK holds it) and hands every new item, in order, to
   * `onItem`. Errors are reported and retried after a pause; `stop()` ends the loop.
   */
  async start(onItem: (item: T) => void, onError: (err: unknown) => void): Promise<void> {
    this.#tailing = true;
    // on a cluster the copy is a Cluster too: XREAD goes to the master of the stream's slot, wherever it moves
    this.#blocking = duplicateConnection(this.#redis);
    // a duplicate does not inherit listeners: its errors reach the loop below through the failed XREAD instead
    this.#blocking.on('error', () => undefined);
    let last = await this.lastId();
    void (async () => {
      while (this.#tailing) {
        try {
          const res = (await this.#blocking?.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', this.#stream, last)) as
            | [string, StreamEntry[]][]
            | null;
          for (const [, entries] of res ?? []) {
            for (const item of this.#parseAll(entries)) onItem(item);
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

  #parseAll(entries: StreamEntry[]): T[] {
    return entries.map(([id, flat]) => this.#parse(id, flat)).filter((u): u is T => u !== undefined);
  }
}

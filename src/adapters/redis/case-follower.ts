import type { Cluster, Redis } from 'ioredis';
import type { AlertUpdate } from '../../core/ports.js';
import { updateFromEntry } from './alert-records.js';
import { duplicateConnection } from './connect.js';
import type { Keys } from './keys.js';

type Entry = [string, string[]];
const GROUP = 'cases';
/** A consumer that died holding entries: after this long another instance takes them over. */
const CLAIM_IDLE_MS = 60_000;

/**
 * Feeds every alert change to the case service exactly once across instances, crash or not: the instances read the
 * alert stream through one consumer group, acknowledge an entry only after its case is saved, and take over the
 * entries of an instance that died. Following an alert is idempotent, so an entry handled twice (a crash between
 * the save and the acknowledgement) changes nothing the second time.
 */
export class CaseFollower {
  readonly #redis: Redis | Cluster;
  readonly #keys: Keys;
  readonly #consumer: string;
  #running = false;
  #blocking: Redis | Cluster | undefined;

  constructor(opts: { redis: Redis | Cluster; keys: Keys; consumer: string }) {
    this.#redis = opts.redis;
    this.#keys = opts.keys;
    this.#consumer = opts.consumer;
  }

  async start(onAlert: (u: AlertUpdate) => Promise<unknown>, onError: (err: unknown) => void): Promise<void> {
    await this.#ensureGroup();
    this.#running = true;
    // XREADGROUP BLOCK holds its connection: never the shared auto-pipelined one (see duplicateConnection)
    this.#blocking = duplicateConnection(this.#redis);
    this.#blocking.on('error', () => undefined);
    void (async () => {
      // first what this consumer held when it last stopped, then what others abandoned, then new entries
      let pendingFrom: string | undefined = '0';
      while (this.#running) {
        try {
          const entries: Entry[] =
            pendingFrom !== undefined
              ? await this.#read(pendingFrom, 0)
              : [...(await this.#claim()), ...(await this.#read('>', 1000))];
          if (pendingFrom !== undefined) pendingFrom = entries.length ? entries.at(-1)?.[0] : undefined;
          for (const [id, flat] of entries) {
            const update = updateFromEntry(id, flat);
            if (update) await onAlert(update);
            await this.#redis.xack(this.#keys.alertStream, GROUP, id);
          }
        } catch (err) {
          if (!this.#running) break;
          // the stream was deleted (retention, a cleanup): the group comes back with it, nothing was lost
          if (/NOGROUP|UNBLOCKED/.test(String(err))) {
            await this.#ensureGroup().catch(onError);
            continue;
          }
          onError(err);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  stop(): void {
    this.#running = false;
    this.#blocking?.disconnect();
    this.#blocking = undefined;
  }

  async #ensureGroup(): Promise<void> {
    try {
      // from the start of what is kept: alerts raised before the first gateway with cases ever started get cases too
      await this.#redis.xgroup('CREATE', this.#keys.alertStream, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
  }

  async #read(from: string, blockMs: number): Promise<Entry[]> {
    const conn = this.#blocking;
    if (!conn) return [];
    const args = ['GROUP', GROUP, this.#consumer, 'COUNT', 200, ...(blockMs ? ['BLOCK', blockMs] : [])];
    const res = (await (conn.xreadgroup as (...a: unknown[]) => Promise<unknown>)(
      ...args,
      'STREAMS',
      this.#keys.alertStream,
      from,
    )) as [string, Entry[]][] | null;
    // a pending entry trimmed from the stream comes back with no fields: there is nothing left to follow
    return (res?.[0]?.[1] ?? []).map(([id, flat]) => [id, flat ?? []] as Entry);
  }

  async #claim(): Promise<Entry[]> {
    const res = (await this.#redis.xautoclaim(
      this.#keys.alertStream,
      GROUP,
      this.#consumer,
      CLAIM_IDLE_MS,
      '0',
      'COUNT',
      100,
    )) as [string, Entry[]];
    return res[1].filter((e): e is Entry => Array.isArray(e) && Array.isArray(e[1]));
  }
}

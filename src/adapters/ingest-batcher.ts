import type { Logger } from 'pino';
import type { BatchReport, IncomingMessage } from '../core/ingest.js';

type Item = { message: IncomingMessage; resolve: () => void; admitted: boolean };

export type IngestBatcherOptions = {
  /** Commits a batch: `flooded` are the messages `admit` refused, to be dead-lettered unread. */
  ingest: (batch: readonly IncomingMessage[], flooded: readonly IncomingMessage[]) => Promise<BatchReport>;
  /**
   * Decides on arrival, once per delivery, whether a message may go on (a per-device rate limit). Deciding here
   * rather than in the batch keeps a retried batch's verdicts as they were: a message counted in a commit that
   * failed half-way is never dead-lettered on the retry, nor the reverse.
   */
  admit?: (message: IncomingMessage) => boolean;
  maxBatch: number;
  log: Logger;
  /** Back-off bounds while the store is unreachable. */
  retryMinMs?: number;
  retryMaxMs?: number;
};

/**
 * Groups messages that arrive together into one commit. One batch is committed at a time, so Redis sees a steady
 * pipeline rather than a burst of overlapping ones; messages that arrive meanwhile form the next batch. A batch
 * that fails (the store is down) is retried with back-off until it commits: its messages are never acknowledged
 * before that, and nothing is dropped.
 */
export class IngestBatcher {
  readonly #o: Required<Omit<IngestBatcherOptions, 'admit'>>;
  readonly #admit: ((message: IncomingMessage) => boolean) | undefined;
  #queue: Item[] = [];
  #running = false;
  #stopped = false;
  #failingSince: number | undefined;
  #idle: (() => void)[] = [];

  constructor(opts: IngestBatcherOptions) {
    this.#o = { retryMinMs: 100, retryMaxMs: 5000, ...opts };
    this.#admit = opts.admit;
  }

  /** Resolves when the message's effect is committed (or it is dead-lettered). */
  submit(message: IncomingMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#queue.push({ message, resolve, admitted: this.#admit === undefined || this.#admit(message) });
      if (!this.#running) {
        this.#running = true;
        // let the messages of the current socket read join this batch
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** Since when (epoch ms) commits have been failing, or undefined when the last one succeeded. */
  get failingSince(): number | undefined {
    return this.#failingSince;
  }

  get backlog(): number {
    return this.#queue.length;
  }

  /** Stops retrying; waits for a batch that is being committed. Unacknowledged messages stay with the broker. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#running) await new Promise<void>((r) => this.#idle.push(r));
  }

  async #drain(): Promise<void> {
    let delay = this.#o.retryMinMs;
    while (this.#queue.length && !this.#stopped) {
      const batch = this.#queue.slice(0, this.#o.maxBatch);
      const admitted: IncomingMessage[] = [];
      const flooded: IncomingMessage[] = [];
      for (const item of batch) (item.admitted ? admitted : flooded).push(item.message);
      try {
        await this.#o.ingest(admitted, flooded);
      } catch (err) {
        this.#failingSince ??= Date.now();
        this.#o.log.error(
          { err, batch: batch.length, retryInMs: delay },
          'commit failed; not acknowledging, will retry',
        );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.#o.retryMaxMs);
        continue;
      }
      this.#failingSince = undefined;
      delay = this.#o.retryMinMs;
      this.#queue.splice(0, batch.length);
      for (const item of batch) item.resolve();
    }
    this.#running = false;
    for (const r of this.#idle.splice(0)) r();
  }
}

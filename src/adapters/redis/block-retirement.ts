import type { Cluster, Redis } from 'ioredis';
import type { AcceptedEvent } from '../../core/intake.js';
import { SEQ_BLOCK } from './idempotency.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';
import { liveFromBlock } from './seq-run.js';

/** Blocks a retireBlocks call looks at (its key count less the device's HASH), and calls at most on one new day. */
const RETIRE_SPAN = 16;
const RETIRE_ROUNDS = 8;

type Mark = { day: number; liveFrom: number };

/**
 * Once a device's counted events reach a newer day, its idempotency blocks that left the window go
 * (retireBlocks-17.lua): Redis then holds a window of them by event time, not by the clock TTLs follow. Once a
 * device and day per instance, and not even a read while the device has no block before the one of its event (a
 * device's first block, or none filled since the last retirement): a few calls a device a day at most.
 */
export class BlockRetirement {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #windowDays: (estateId: string) => number;
  /** Per device, the newest event day this instance retired its blocks on, and the block it stopped at. */
  readonly #marks = new WeakMap<AcceptedEvent['binding'], Mark>();

  constructor(redis: Redis | Cluster, keys: Keys, windowDays: (estateId: string) => number) {
    this.#redis = redis;
    this.#scripts = scriptsOf(redis);
    this.#keys = keys;
    this.#windowDays = windowDays;
  }

  /** Called after each counted event. */
  async onCounted(a: AcceptedEvent): Promise<void> {
    const current = Math.floor(a.event.seq / SEQ_BLOCK);
    const mark = this.#marks.get(a.binding) ?? { day: Number.NEGATIVE_INFINITY, liveFrom: 0 };
    if (mark.day >= a.day) return;
    mark.day = a.day;
    this.#marks.set(a.binding, mark);
    if (current === 0 || mark.liveFrom >= current) return;
    const { estateId, buildingId, deviceId } = a.binding;
    const device = this.#keys.deviceStatus(estateId, buildingId, deviceId);
    const state = await this.#redis.hget(device, 'seq');
    let from = state === null ? undefined : liveFromBlock(state);
    for (let round = 0; round < RETIRE_ROUNDS && from !== undefined && from >= 0 && from < current; round++) {
      const blocks: string[] = [];
      for (let i = 0; i < RETIRE_SPAN; i++) blocks.push(this.#keys.seen(estateId, buildingId, deviceId, from + i));
      const [next, more] = await this.#scripts.retireBlocks(device, ...blocks, from, this.#windowDays(estateId));
      from = Number(next);
      if (Number(more) !== 1) break;
    }
    // where this instance saw the retirement stop: no read until the device fills a block past it
    if (from !== undefined && from >= 0) mark.liveFrom = from;
  }
}

import type { MessageOrigin } from './intake.js';
import type { EstateRegistry } from './registry.js';

/** Sustained events a second and the most a device may send at once. */
export type RateLimit = { perSecond: number; burst: number };

/**
 * The bucket shared by every device a topic names that the registry does not know (and, under this estate id, by
 * every topic whose estate is not served). No device id of the contract contains `*`, so it never meets a real one.
 */
export const UNREGISTERED = '*';

/** One device's token bucket, and the tallies the flood watch reads once a device goes over its limit. */
export class DeviceBucket {
  tokens: number;
  refilledMs: number;
  /** Messages seen since the bucket was made, or since its current flood began. */
  arrived = 0;
  /** Messages refused since its current flood began. */
  dropped = 0;
  floodSinceMs = 0;
  lastDropMs = 0;
  flooding = false;

  constructor(
    readonly estateId: string,
    readonly deviceId: string,
    readonly limit: RateLimit,
    nowMs: number,
  ) {
    this.tokens = limit.burst;
    this.refilledMs = nowMs;
  }
}

type EstateBuckets = { limit: RateLimit; tokensPerMs: number; fullAfterMs: number; devices: Map<string, DeviceBucket> };

export type DeviceRateLimiterOptions = {
  registry: EstateRegistry;
  /** The limit of an estate's devices (its override, or the default); asked once per estate. */
  limitFor: (estateId: string) => RateLimit;
  /** Least time between two sweeps of idle buckets. */
  sweepEveryMs?: number;
};

/**
 * A token bucket per (estate, device), checked on the topic alone before a payload is parsed, so a flooding
 * device costs the gateway a map lookup per message and nothing more.
 *
 * Time is arrival time (wall clock), never the event's `ts`: the limit protects the gateway, and a device could
 * stamp whatever it likes. Memory is bounded by the registry: only registered devices get a bucket of their own;
 * every unregistered device of an estate shares one, and every topic of an estate not served shares another, so
 * a flood of made-up device ids grows nothing. A bucket that has been idle long enough to be full again is
 * indistinguishable from a new one and is dropped by `sweep`, unless its device is flooding (the flood watch
 * still reports on it).
 *
 * `admit` allocates nothing once a device has its bucket: two Map lookups and arithmetic.
 */
export class DeviceRateLimiter {
  readonly #registry: EstateRegistry;
  readonly #limitFor: (estateId: string) => RateLimit;
  readonly #estates = new Map<string, EstateBuckets>();
  readonly #flooding = new Set<DeviceBucket>();
  readonly #sweepEveryMs: number;
  #sweptMs = Number.NEGATIVE_INFINITY;

  constructor(opts: DeviceRateLimiterOptions) {
    this.#registry = opts.registry;
    this.#limitFor = opts.limitFor;
    this.#sweepEveryMs = opts.sweepEveryMs ?? 60_000;
  }

  /** True when the message may go on; false when its device is over its limit (the caller dead-letters it). */
  admit(origin: MessageOrigin | undefined, nowMs: number): boolean {
    let estateId = UNREGISTERED;
    let deviceId = UNREGISTERED;
    if (origin !== undefined) {
      const estate = this.#registry.estate(origin.estateId);
      if (estate !== undefined) {
        estateId = estate.id;
        if (estate.devices.has(origin.deviceId)) deviceId = origin.deviceId;
      }
    }
    return this.take(estateId, deviceId, nowMs);
  }

  /** Takes a token from the bucket of (estate, device), made full on first use. */
  take(estateId: string, deviceId: string, nowMs: number): boolean {
    const estate = this.#estates.get(estateId) ?? this.#addEstate(estateId);
    let bucket = estate.devices.get(deviceId);
    if (bucket === undefined) {
      bucket = new DeviceBucket(estateId, deviceId, estate.limit, nowMs);
      estate.devices.set(deviceId, bucket);
    }
    bucket.arrived++;
    // a clock that steps back refills nothing and is not remembered, so the bucket never pays twice for a step
    const elapsed = nowMs - bucket.refilledMs;
    if (elapsed > 0) {
      bucket.tokens = Math.min(bucket.tokens + elapsed * estate.tokensPerMs, estate.limit.burst);
      bucket.refilledMs = nowMs;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    if (!bucket.flooding) {
      bucket.flooding = true;
      bucket.floodSinceMs = nowMs;
      // rates and counts of the flood start with the message that began it
      bucket.arrived = 1;
      bucket.dropped = 0;
      this.#flooding.add(bucket);
    }
    bucket.dropped++;
    bucket.lastDropMs = nowMs;
    return false;
  }

  /** Buckets that went over their limit and were not yet released by the flood watch. */
  flooding(): ReadonlySet<DeviceBucket> {
    return this.#flooding;
  }

  /** The flood is over (its alert cleared): the bucket becomes an ordinary one again, and may be swept. */
  release(bucket: DeviceBucket): void {
    bucket.flooding = false;
    bucket.dropped = 0;
    bucket.arrived = 0;
    this.#flooding.delete(bucket);
  }

  /** Drops buckets that are full again and not flooding, at most once every `sweepEveryMs`. */
  sweep(nowMs: number): void {
    if (nowMs - this.#sweptMs < this.#sweepEveryMs) return;
    this.#sweptMs = nowMs;
    for (const [estateId, estate] of this.#estates) {
      for (const [deviceId, bucket] of estate.devices) {
        if (!bucket.flooding && nowMs - bucket.refilledMs >= estate.fullAfterMs) estate.devices.delete(deviceId);
      }
      if (estate.devices.size === 0) this.#estates.delete(estateId);
    }
  }

  /** Buckets held, for tests and metrics. */
  get size(): number {
    let n = 0;
    for (const estate of this.#estates.values()) n += estate.devices.size;
    return n;
  }

  #addEstate(estateId: string): EstateBuckets {
    const limit = this.#limitFor(estateId);
    const tokensPerMs = limit.perSecond / 1000;
    const estate = { limit, tokensPerMs, fullAfterMs: limit.burst / tokensPerMs, devices: new Map() };
    this.#estates.set(estateId, estate);
    return estate;
  }
}

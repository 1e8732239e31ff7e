import type { AlertDecision } from './alerts.js';
import { type DeviceBucket, type DeviceRateLimiter, UNREGISTERED } from './device-rate.js';
import type { EstateRegistry } from './registry.js';
import { deviceFloodDraft, UNREGISTERED_SUBJECT } from './rules/device-flood.js';

export type FloodWatchSettings = {
  /** A flood's alert clears once its device has had nothing dropped for this long. */
  clearAfterMs: number;
  /** Least time between two updates of an open flood alert's evidence. */
  updateEveryMs: number;
};

/**
 * What the watch will remember once `decision` is committed. A flood that ends without an alert to clear (an estate
 * not served, or a raise that never committed) has no decision and only releases its bucket.
 */
export type FloodReport = { bucket: DeviceBucket; decision?: AlertDecision; clears: boolean; arrived: number };

type Reported = { atMs: number; arrived: number };

/**
 * Turns the rate limiter's flooding buckets into `device-flood` alert decisions, on a clock tick rather than per
 * dropped message: a raise at the first tick after a device goes over its limit, an update of its evidence at most
 * every `updateEveryMs` while it keeps flooding, and a clear once nothing was dropped for `clearAfterMs`. A
 * decision changes the watch's memory only through `settle`, after the alert store committed it, so a failed
 * commit is decided again at the next tick. Control room only: no decision carries a police entry.
 */
export class FloodWatch {
  readonly #limiter: DeviceRateLimiter;
  readonly #registry: EstateRegistry;
  readonly #s: FloodWatchSettings;
  readonly #reported = new Map<DeviceBucket, Reported>();

  constructor(opts: { limiter: DeviceRateLimiter; registry: EstateRegistry; settings: FloodWatchSettings }) {
    this.#limiter = opts.limiter;
    this.#registry = opts.registry;
    this.#s = opts.settings;
  }

  due(nowMs: number): FloodReport[] {
    const out: FloodReport[] = [];
    for (const bucket of this.#limiter.flooding()) {
      const reported = this.#reported.get(bucket);
      // an estate not served has nobody to tell; its bucket is released once quiet, like any other
      const alerting = bucket.estateId !== UNREGISTERED;
      if (nowMs - bucket.lastDropMs >= this.#s.clearAfterMs) {
        const decision: AlertDecision | undefined = reported && {
          action: 'clear',
          kind: 'device-flood',
          estateId: bucket.estateId,
          subject: subjectOf(bucket),
          eventMs: bucket.lastDropMs,
        };
        out.push({ bucket, decision, clears: true, arrived: 0 });
        continue;
      }
      if (!alerting) continue;
      if (reported && (nowMs - reported.atMs < this.#s.updateEveryMs || bucket.lastDropMs <= reported.atMs)) continue;
      const fromMs = reported?.atMs ?? bucket.floodSinceMs;
      const arrivedSince = bucket.arrived - (reported?.arrived ?? 0);
      const binding =
        bucket.deviceId === UNREGISTERED ? undefined : this.#registry.device(bucket.estateId, bucket.deviceId);
      const draft = deviceFloodDraft(bucket.estateId, binding, {
        // at least one second, so a reading taken just after the flood began is not an extrapolation
        ratePerSecond: (arrivedSince * 1000) / Math.max(1000, nowMs - fromMs),
        limit: bucket.limit,
        dropped: bucket.dropped,
        sinceMs: bucket.floodSinceMs,
        clearAfterMs: this.#s.clearAfterMs,
      });
      // the first raise dates the alert from the flood's start; updates move its last-seen time
      const eventMs = reported ? nowMs : bucket.floodSinceMs;
      out.push({
        bucket,
        decision: { action: 'raise', draft, eventMs, fingerprint: String(nowMs) },
        clears: false,
        arrived: bucket.arrived,
      });
    }
    return out;
  }

  /** Remembers the reports whose decisions were committed; a cleared flood's bucket is released. */
  settle(reports: readonly FloodReport[], nowMs: number): void {
    for (const r of reports) {
      if (r.clears) {
        this.#reported.delete(r.bucket);
        this.#limiter.release(r.bucket);
      } else {
        this.#reported.set(r.bucket, { atMs: nowMs, arrived: r.arrived });
      }
    }
  }
}

const subjectOf = (b: DeviceBucket): string => (b.deviceId === UNREGISTERED ? UNREGISTERED_SUBJECT : b.deviceId);

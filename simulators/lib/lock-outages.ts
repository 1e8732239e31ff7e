import { statusTopic } from '../../src/adapters/mqtt/topics.js';
import { type Calendar, DAY_MS } from './calendar.js';
import type { DraftEvent, Household, Interval, SimStatus } from './model.js';
import type { Random } from './random.js';

/**
 * Locks that drop off the network for days (the family changed its Wi-Fi router, the hub was unplugged): the lock
 * still opens, but publishes nothing until it reconnects. The broker publishes the lock's last will
 * (`{"online": false}`) when the connection times out, and the lock its `{"online": true}` when it is back.
 */

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
/** MQTT brokers declare a client gone after one and a half keep-alive periods (60 s). */
const WILL_DELAY_MS = 90_000;

/** Two to six days offline, wholly inside the span; undefined when the span is too short for two days. */
export function planLockOutage(rng: Random, calendar: Calendar): Interval | undefined {
  if (calendar.days < 4) return undefined;
  const days = rng.float(2, Math.min(6, calendar.days - 2));
  const fromMs = wholeSecond(calendar.startMs + rng.float(0.5, calendar.days - days - 0.5) * DAY_MS);
  return { fromMs, toMs: wholeSecond(fromMs + days * DAY_MS) };
}

export class LockOutages {
  private readonly byLock = new Map<string, Interval[]>();

  constructor(households: readonly Household[]) {
    for (const h of households) {
      if (h.home.lockId && h.lockOutages?.length) this.byLock.set(h.home.lockId, h.lockOutages);
    }
  }

  /** The device was offline at the draft's time, so the draft never left it. */
  silenced(draft: DraftEvent): boolean {
    const outages = this.byLock.get(draft.deviceId);
    return outages?.some((o) => draft.tsMs >= o.fromMs && draft.tsMs < o.toMs) ?? false;
  }

  /** Status changes in [fromMs, toMs), in time order. */
  statuses(estateId: string, format: (ms: number) => string, fromMs: number, toMs: number): SimStatus[] {
    const out: SimStatus[] = [];
    for (const [deviceId, outages] of this.byLock) {
      const topic = statusTopic(estateId, deviceId);
      for (const o of outages) {
        const will = o.fromMs + WILL_DELAY_MS;
        if (will >= fromMs && will < toMs) out.push({ deviceId, topic, tsMs: will, payload: { online: false } });
        if (o.toMs >= fromMs && o.toMs < toMs) {
          out.push({ deviceId, topic, tsMs: o.toMs, payload: { online: true, ts: format(o.toMs) } });
        }
      }
    }
    return out.sort((a, b) => a.tsMs - b.tsMs);
  }
}

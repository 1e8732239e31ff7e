import type { GatewayBus } from './bus.js';
import type { DeviceRateLimiter } from './device-rate.js';
import type { FloodWatch } from './flood-watch.js';
import type { AlertStore, Clock, DeadLetterSink } from './ports.js';

export type FloodTickDeps = {
  limiter: DeviceRateLimiter;
  watch: FloodWatch;
  alerts: AlertStore;
  deadLetters: DeadLetterSink;
  bus: GatewayBus;
  clock: Clock;
};

/**
 * One beat of the flood watch: raises, updates and clears `device-flood` alerts, appends the flood dead letters a
 * device's last second left open, and lets the limiter forget idle buckets. Rejects when the store is unreachable;
 * nothing is forgotten then, and the next beat decides again.
 */
export function createFloodTick(deps: FloodTickDeps) {
  return async function floodTick(): Promise<void> {
    const nowMs = deps.clock.now();
    const reports = deps.watch.due(nowMs);
    const decisions = reports.flatMap((r) => (r.decision ? [r.decision] : []));
    const [updates] = await Promise.all([
      decisions.length ? deps.alerts.apply(decisions) : [],
      deps.deadLetters.flushFloods(nowMs),
    ]);
    deps.watch.settle(reports, nowMs);
    for (const u of updates) deps.bus.emit('alertChanged', u);
    deps.limiter.sweep(nowMs);
  };
}

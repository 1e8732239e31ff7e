import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { GatewayBus } from './core/bus.js';
import { DeviceRateLimiter, type RateLimit } from './core/device-rate.js';
import { createFloodTick } from './core/flood-tick.js';
import { FloodWatch } from './core/flood-watch.js';
import type { IncomingMessage } from './core/ingest.js';
import type { AlertStore, Clock, DeadLetterSink } from './core/ports.js';
import type { EstateRegistry } from './core/registry.js';

/** How often flood alerts are decided and a flood's last second is dead-lettered. */
const TICK_MS = 1000;

export type FloodGuard = {
  /** For the batcher: true when the message may go on, decided on arrival by the wall clock. */
  admit(message: IncomingMessage): boolean;
  stop(): void;
};

/**
 * The per-device rate limit of `ingest.deviceRate`, wired: the limiter the batcher asks on arrival, and the
 * watch that turns its floods into alerts on a one-second beat. Undefined when the limit is turned off.
 */
export function startFloodGuard(deps: {
  settings: Config['ingest']['deviceRate'];
  registry: EstateRegistry;
  alerts: AlertStore;
  deadLetters: DeadLetterSink;
  bus: GatewayBus;
  clock: Clock;
  log: Logger;
}): FloodGuard | undefined {
  const { settings, registry, clock, log } = deps;
  const perSecond = settings.perSecond;
  if (perSecond === null) return undefined;
  const limitFor = (estateId: string): RateLimit => ({
    perSecond: settings.estates[estateId]?.perSecond ?? perSecond,
    burst: settings.estates[estateId]?.burst ?? settings.burst,
  });
  const limiter = new DeviceRateLimiter({ registry, limitFor });
  const watch = new FloodWatch({
    limiter,
    registry,
    settings: { clearAfterMs: settings.clearAfterS * 1000, updateEveryMs: settings.updateEveryS * 1000 },
  });
  const tick = createFloodTick({ ...deps, limiter, watch });
  let running = false;
  const timer = setInterval(() => {
    // a beat that waits for Redis is not overlapped by the next one
    if (running) return;
    running = true;
    tick()
      .catch((err) => log.error({ err }, 'flood watch failed; retrying'))
      .finally(() => {
        running = false;
      });
  }, TICK_MS);
  timer.unref();
  return {
    admit: (message) => limiter.admit(message.origin, clock.now()),
    stop: () => clearInterval(timer),
  };
}

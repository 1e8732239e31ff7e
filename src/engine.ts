import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createPseudonymiser, developmentKey } from './adapters/privacy/pseudonymiser.js';
import { RedisAlertStore } from './adapters/redis/alert-store.js';
import { RedisCorrelationStore } from './adapters/redis/correlation-store.js';
import { RedisDeadLetters } from './adapters/redis/dead-letter-store.js';
import { RedisDeviceStore } from './adapters/redis/device-store.js';
import { createKeys, type Keys } from './adapters/redis/keys.js';
import { defineScripts } from './adapters/redis/scripts.js';
import type { Config } from './config/schema.js';
import { GatewayBus } from './core/bus.js';
import { detectionPerEstate } from './core/detection.js';
import { createDeviceMonitor } from './core/device-monitor.js';
import { createErasure } from './core/erasure.js';
import { EstateProfile } from './core/estate-profile.js';
import { createIngest } from './core/ingest.js';
import { type Clock, systemClock } from './core/ports.js';
import type { EstateRegistry } from './core/registry.js';

export type Engine = ReturnType<typeof createEngine>;

/**
 * The correlation engine without its transports: the Redis stores and the ingest use case wired together. The
 * gateway puts MQTT and HTTP around it; the replay tool feeds it a recorded file.
 */
export function createEngine(opts: {
  config: Config;
  redis: Redis | Cluster;
  registry: EstateRegistry;
  log: Logger;
  clock?: Clock;
  /** Overrides ingest.maxFutureS (a replay's events come from another clock). */
  maxFutureMs?: number | null;
  /** The caller's bus, when it must listen from the first event on (see GatewayOptions.bus). */
  bus?: GatewayBus;
}) {
  const { config, redis, registry, log } = opts;
  defineScripts(redis);
  const keys: Keys = createKeys(config.redis.keyPrefix);
  const bus = opts.bus ?? new GatewayBus();
  const detection = detectionPerEstate(config.detection, config.estateDetection);
  const store = new RedisCorrelationStore({
    redis,
    keys,
    detection,
    retentionMs: config.privacy.retentionDays * 86_400_000,
  });
  const alerts = new RedisAlertStore({ redis, keys, ...config.alerts });
  const deadLetters = new RedisDeadLetters({ redis, keys, ...config.deadLetters });
  let pseudonymKey = config.privacy.pseudonymKey;
  if (!pseudonymKey) {
    pseudonymKey = developmentKey();
    log.warn('PSEUDONYM_KEY is not set: using a development key from .data/pseudonym.key; set it in production');
  }
  const maxFutureMs =
    opts.maxFutureMs !== undefined
      ? opts.maxFutureMs
      : config.ingest.maxFutureS === null
        ? null
        : config.ingest.maxFutureS * 1000;
  const profile = new EstateProfile();
  const pseudonymise = createPseudonymiser(pseudonymKey, config.privacy.pseudonymKeyVersion);
  const clock = opts.clock ?? systemClock;
  const devices = createDeviceMonitor({
    registry,
    store: new RedisDeviceStore({ redis, keys }),
    alerts,
    detection,
    liveClock: maxFutureMs !== null,
  });
  const ingest = createIngest({
    registry,
    store,
    alerts,
    deadLetters,
    bus,
    clock,
    detection,
    pseudonymise,
    maxFutureMs,
    profile,
    devices,
  });
  const erase = createErasure({
    registry,
    store,
    alerts,
    pseudonymise,
    detection,
    clock,
    profile: (estateId) => profile.view(estateId),
  });
  return { keys, bus, store, alerts, deadLetters, ingest, detection, profile, erase, devices };
}

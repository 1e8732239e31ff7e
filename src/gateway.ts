import type { FastifyInstance } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadEstateFiles } from './adapters/estate-files.js';
import { buildHttpApp } from './adapters/http/app.js';
import { createAuthenticator } from './adapters/http/auth.js';
import { redisRateLimiter } from './adapters/http/rate-limit.js';
import { IngestBatcher } from './adapters/ingest-batcher.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './adapters/mqtt/embedded-broker.js';
import { gatewayLogin } from './adapters/mqtt/gateway-login.js';
import { MqttIngest } from './adapters/mqtt/ingest.js';
import { controlRoomFeed, policeFeed } from './adapters/redis/alert-feed.js';
import { RedisAuditLog } from './adapters/redis/audit-log.js';
import { CaseFollower } from './adapters/redis/case-follower.js';
import { RedisCaseStore } from './adapters/redis/case-store.js';
import { connectRedis } from './adapters/redis/connect.js';
import type { ControlRoomUpdate, PoliceUpdate } from './adapters/redis/feed-entries.js';
import { Hub } from './adapters/ws/alert-hub.js';
import type { Config } from './config/schema.js';
import type { GatewayBus } from './core/bus.js';
import { createCaseService } from './core/cases/case-service.js';
import { type Estate, EstateError } from './core/estate.js';
import { type AlertStore, type Clock, systemClock } from './core/ports.js';
import { EstateRegistry } from './core/registry.js';
import { startDeviceSweep } from './device-sweep.js';
import { createEngine } from './engine.js';
import { startFloodGuard } from './flood-guard.js';

/** How often the case clock looks for escalations, watches to start and watches that ended. */
const CASE_TICK_MS = 30_000;

export type Gateway = {
  config: Config;
  bus: GatewayBus;
  registry: EstateRegistry;
  redis: Redis | Cluster;
  alerts: AlertStore;
  app: FastifyInstance;
  /** The broker the gateway subscribes to (the embedded one when MQTT_URL is not set). */
  mqttUrl: string;
  /**
   * Re-reads the estate files; on any error the running registry stays as it was. Audited as a configuration
   * change by `who` (the operating system's signal when nobody in particular).
   */
  reloadEstates(who?: { actor: string; role: string }): Promise<{ ok: true } | { ok: false; error: string }>;
  stop(): Promise<void>;
};

export type GatewayOptions = {
  log: Logger;
  clock?: Clock;
  listen?: boolean;
  /** Estates built in memory (simulations, evaluations) instead of the configured files. */
  estates?: readonly Estate[];
  /**
   * A bus to announce on, made by the caller: messages waiting on the broker are ingested as soon as the MQTT
   * session is up, before `startGateway` resolves, and a listener added to the returned bus would miss them.
   */
  bus?: GatewayBus;
};

/**
 * Composition root: builds every adapter, injects it, and starts them in dependency order (Redis, feed, broker,
 * MQTT ingest, HTTP). Nothing else knows every part.
 */
export async function startGateway(config: Config, opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log;
  const estates = opts.estates ?? loadEstateFiles(config.estates);
  if (estates.length === 0) throw new EstateError('no estate to serve: set ESTATE_FILE to one or more registry files');
  const registry = new EstateRegistry(estates);
  const redis = await connectRedis(config.redis);
  const { keys, bus, store, alerts, deadLetters, ingest, detection, profile, erase, devices } = createEngine({
    config,
    redis,
    registry,
    log,
    clock: opts.clock,
    bus: opts.bus,
  });
  const clock = opts.clock ?? systemClock;
  const audit = new RedisAuditLog({ redis, keys, clock });
  const auditOrLog = (entry: Parameters<RedisAuditLog['append']>[0]) =>
    audit.append(entry).catch((err) => log.error({ err, entry }, 'audit append failed'));
  const auth = createAuthenticator({
    principals: config.auth.principals,
    clock,
    // login failures are audited without blocking the request (the audit write may wait for Redis)
    onFailure: (f) =>
      void auditOrLog({
        actor: f.principalId ?? 'unknown',
        role: 'anonymous',
        action: 'auth.failure',
        object: '',
        result: 'denied',
        detail: { reason: f.reason, ...(f.ip ? { ip: f.ip } : {}) },
      }),
  });
  async function reloadEstates(who = { actor: 'sighup', role: 'system' }) {
    const files = config.estates.join(', ');
    try {
      registry.replace(loadEstateFiles(config.estates));
      await auditOrLog({ ...who, action: 'config.estates-reload', object: files, result: 'ok' });
      return { ok: true as const };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await auditOrLog({
        ...who,
        action: 'config.estates-reload',
        object: files,
        result: 'failed',
        detail: { error: error.slice(0, 200) },
      });
      return { ok: false as const, error };
    }
  }
  const caseStore = new RedisCaseStore({ redis, keys, ...config.alerts });
  const cases = createCaseService({ store: caseStore, settings: config.cases, clock, audit: (e) => audit.append(e) });
  const follower = new CaseFollower({ redis, keys, consumer: config.instanceId });
  const controlRoom = { feed: controlRoomFeed(redis, keys), hub: new Hub<ControlRoomUpdate>() };
  const police = { feed: policeFeed(redis, keys), hub: new Hub<PoliceUpdate>() };
  const floodGuard = startFloodGuard({
    settings: config.ingest.deviceRate,
    registry,
    alerts,
    deadLetters,
    bus,
    clock,
    log: log.child({ component: 'flood-watch' }),
  });
  const batcher = new IngestBatcher({
    ingest,
    admit: floodGuard?.admit,
    maxBatch: config.ingest.maxBatch,
    log: log.child({ component: 'ingest' }),
  });

  const tailFailed = (feed: string) => (err: unknown) => log.error({ err, feed }, 'feed tail failed; retrying');
  await controlRoom.feed.start((u) => controlRoom.hub.publish(u), tailFailed('control-room'));
  await police.feed.start((u) => police.hub.publish(u), tailFailed('police'));
  await follower.start(
    (u) => cases.followAlert(u),
    (err) => log.error({ err }, 'following alerts into cases failed; retrying'),
  );
  const caseClock = setInterval(
    () => void cases.tick().catch((err) => log.error({ err }, 'case escalation check failed')),
    CASE_TICK_MS,
  );
  caseClock.unref();
  const deviceSweep = startDeviceSweep({
    monitor: devices,
    intervalMs: config.devices.sweepS * 1000,
    bus,
    log: log.child({ component: 'device-health' }),
  });
  let broker: EmbeddedBroker | undefined;
  if (!config.mqtt.url) {
    broker = await startEmbeddedBroker(config.mqtt.embeddedHost, config.mqtt.embeddedPort, {
      deviceSecretsFile: config.mqtt.deviceSecretsFile,
      tls: config.mqtt.tls,
      log: log.child({ component: 'mqtt-broker' }),
    });
    log.info({ url: broker.url }, 'embedded MQTT broker started (set MQTT_URL to use an external broker)');
  }
  const mqttUrl = config.mqtt.url ?? (broker as EmbeddedBroker).url;
  const mqttIngest = new MqttIngest({
    url: mqttUrl,
    instanceId: config.instanceId,
    ...gatewayLogin(config.mqtt, broker, log),
    shareGroup: config.mqtt.shareGroup,
    batcher,
    log: log.child({ component: 'mqtt' }),
  });
  await mqttIngest.start();

  const app = await buildHttpApp({
    log,
    registry,
    store,
    alerts,
    deadLetters,
    controlRoom,
    police,
    auth,
    cases,
    caseStore,
    audit,
    reloadEstates,
    erase,
    auditErasure: (who, estateId, r) =>
      auditOrLog({
        ...who,
        action: 'privacy.erase',
        object: `estate ${estateId}`,
        result: r.ok ? 'ok' : 'failed',
        detail: r.ok ? { removed: r.removed, units: r.units.length } : { error: r.error },
      }),
    auditRead: (who, object) =>
      auditOrLog({ actor: who.actor, role: who.role, action: 'police.read', object, result: 'ok' }),
    ws: config.ws,
    rateLimit: { limiter: redisRateLimiter({ redis, keys, clock }), settings: config.http.rateLimit },
    allowedOrigins: config.http.allowedOrigins,
    tls: config.http.tls,
    detection,
    devices,
    profile: (estateId) => profile.view(estateId),
    readiness: () => ({
      redis: redis.status === 'ready',
      mqtt: mqttIngest.connected,
      ingest: batcher.failingSince === undefined,
    }),
  });
  await app.ready();
  if (opts.listen !== false) await app.listen({ host: config.http.host, port: config.http.port });

  return {
    config,
    bus,
    registry,
    redis,
    alerts,
    app,
    mqttUrl,
    reloadEstates,
    async stop() {
      await app.close();
      // the batch being committed finishes and its messages are acknowledged; the rest stay with the broker
      await batcher.stop();
      floodGuard?.stop();
      await mqttIngest.stop();
      await broker?.close();
      clearInterval(caseClock);
      deviceSweep.stop();
      follower.stop();
      controlRoom.feed.stop();
      police.feed.stop();
      redis.disconnect();
    },
  };
}

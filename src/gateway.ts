import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadEstateFiles } from './adapters/estate-files.js';
import { buildHttpApp } from './adapters/http/app.js';
import { IngestBatcher } from './adapters/ingest-batcher.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './adapters/mqtt/embedded-broker.js';
import { MqttIngest } from './adapters/mqtt/ingest.js';
import { RedisAlertFeed } from './adapters/redis/alert-feed.js';
import { connectRedis } from './adapters/redis/connect.js';
import { AlertHub } from './adapters/ws/alert-hub.js';
import type { Config } from './config/schema.js';
import type { GatewayBus } from './core/bus.js';
import { type Estate, EstateError } from './core/estate.js';
import type { AlertStore, Clock } from './core/ports.js';
import { EstateRegistry } from './core/registry.js';
import { createEngine } from './engine.js';

export type Gateway = {
  config: Config;
  bus: GatewayBus;
  registry: EstateRegistry;
  redis: Redis;
  alerts: AlertStore;
  app: FastifyInstance;
  /** The broker the gateway subscribes to (the embedded one when MQTT_URL is not set). */
  mqttUrl: string;
  /** Re-reads the estate files; on any error the running registry stays as it was. */
  reloadEstates(): void;
  stop(): Promise<void>;
};

export type GatewayOptions = {
  log: Logger;
  clock?: Clock;
  listen?: boolean;
  /** Estates built in memory (simulations, evaluations) instead of the configured files. */
  estates?: readonly Estate[];
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
  const redis = await connectRedis(config.redis.url);
  const { keys, bus, store, alerts, deadLetters, ingest, detection, profile } = createEngine({
    config,
    redis,
    registry,
    log,
    clock: opts.clock,
  });
  const feed = new RedisAlertFeed({ redis, keys });
  const hub = new AlertHub();
  const batcher = new IngestBatcher({
    ingest,
    maxBatch: config.ingest.maxBatch,
    log: log.child({ component: 'ingest' }),
  });

  await feed.start(
    (u) => hub.publish(u),
    (err) => log.error({ err }, 'alert feed tail failed; retrying'),
  );
  let broker: EmbeddedBroker | undefined;
  if (!config.mqtt.url) {
    broker = await startEmbeddedBroker(config.mqtt.embeddedHost, config.mqtt.embeddedPort);
    log.info({ url: broker.url }, 'embedded MQTT broker started (set MQTT_URL to use an external broker)');
  }
  const mqttUrl = config.mqtt.url ?? (broker as EmbeddedBroker).url;
  const mqttIngest = new MqttIngest({
    url: mqttUrl,
    instanceId: config.instanceId,
    username: config.mqtt.username,
    password: config.mqtt.password,
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
    feed,
    hub,
    ws: config.ws,
    detection,
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
    reloadEstates() {
      registry.replace(loadEstateFiles(config.estates));
    },
    async stop() {
      await app.close();
      // the batch being committed finishes and its messages are acknowledged; the rest stay with the broker
      await batcher.stop();
      await mqttIngest.stop();
      await broker?.close();
      feed.stop();
      redis.disconnect();
    },
  };
}

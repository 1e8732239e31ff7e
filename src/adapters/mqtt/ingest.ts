import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { IngestBatcher } from '../ingest-batcher.js';
import type { MqttClientTls } from './broker-tls.js';
import { deferAcksUntilCommit } from './deferred-acks.js';
import { type BackoffBounds, reconnectDelayMs } from './reconnect-backoff.js';
import { gatewayStatusTopic, ingestFilters } from './topics.js';

export type MqttIngestOptions = {
  url: string;
  instanceId: string;
  username?: string;
  password?: string;
  /** CA and server check for mqtts:// (see broker-tls.ts); mqtt.js hands them to tls.connect. */
  tls?: MqttClientTls;
  shareGroup?: string;
  batcher: IngestBatcher;
  log: Logger;
  /** Messages waiting for their commit before the connection is held (see deferAcksUntilCommit). */
  maxPending?: number;
  /** Waits between reconnect attempts (see reconnectDelayMs). */
  reconnect?: BackoffBounds;
};

const RECONNECT: BackoffBounds = { minMs: 500, maxMs: 30_000 };

/**
 * Subscribes to every estate's device topics at QoS 1 on a persistent session (clean: false), so messages that
 * arrive while the gateway is down wait on the broker, and hands each message to the batcher. The message is
 * acknowledged only after the batcher reports its commit.
 */
export class MqttIngest {
  readonly #o: MqttIngestOptions;
  #client: MqttClient | undefined;
  #stopping = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #attempt = 0;

  constructor(opts: MqttIngestOptions) {
    this.#o = opts;
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { url, instanceId, log } = this.#o;
    const statusTopic = gatewayStatusTopic(instanceId);
    const client = mqtt.connect(url, {
      clientId: `linli-${instanceId}`,
      clean: false,
      protocolVersion: 4,
      keepalive: 30,
      // reconnects are ours (below): mqtt.js retries at a fixed period, in step with every other client
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      username: this.#o.username,
      password: this.#o.password,
      ...this.#o.tls,
      will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.#client = client;
    // unique to this process and delivery: the batcher keeps the message, and so its key, across retries
    const deliveries = `${randomBytes(6).toString('hex')}:`;
    let delivered = 0;
    const batcher = this.#o.batcher;
    deferAcksUntilCommit(
      client,
      (delivery) => batcher.deliver(delivery),
      this.#o.maxPending ?? 5000,
      () => deliveries + (delivered++).toString(36),
    );
    client.on('error', (err) => log.error({ err }, 'mqtt error'));
    client.on('close', () => this.#scheduleReconnect(client));
    let connections = 0;
    client.on('connect', (ack) => {
      this.#attempt = 0;
      log.info({ url, sessionPresent: ack.sessionPresent }, 'mqtt connected');
      client.publish(statusTopic, 'online', { qos: 1, retain: true });
      if (connections++ > 0 && !ack.sessionPresent) {
        // the broker forgot our session (restarted without persistence, or expired it): what devices sent while we
        // were away went to no one; subscribe again so that at least nothing more is lost
        log.warn('the broker lost the gateway session: messages published while disconnected are lost; resubscribing');
        void this.#subscribe(client).catch((err) => log.error({ err }, 'resubscribing failed'));
      }
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        // a gateway that cannot start must not go on trying in the background
        this.#cancelReconnect();
        client.end(true);
        reject(new Error(`cannot connect to MQTT broker ${url}: ${err.message}`));
      };
      client.once('error', fail);
      client.once('connect', () => {
        client.off('error', fail);
        resolve();
      });
    });
    await this.#subscribe(client);
  }

  async #subscribe(client: MqttClient): Promise<void> {
    const granted = await client.subscribeAsync(ingestFilters(this.#o.shareGroup), { qos: 1 });
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length) throw new Error(`broker refused subscriptions: ${refused.map((g) => g.topic).join(', ')}`);
  }

  #scheduleReconnect(client: MqttClient): void {
    if (this.#stopping || this.#reconnectTimer) return;
    const delayMs = reconnectDelayMs(this.#attempt++, this.#o.reconnect ?? RECONNECT);
    this.#o.log.warn({ delayMs, attempt: this.#attempt }, 'mqtt connection lost; reconnecting');
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#stopping) client.reconnect();
    }, delayMs);
  }

  #cancelReconnect(): void {
    this.#stopping = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  /** Drops the connection at once, as a crash would: nothing more is sent, not even pending acknowledgements. */
  async abort(): Promise<void> {
    this.#cancelReconnect();
    await this.#client?.endAsync(true);
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#cancelReconnect();
    if (!client) return;
    await client
      .publishAsync(gatewayStatusTopic(this.#o.instanceId), 'offline', { qos: 1, retain: true })
      .catch(() => undefined);
    await client.endAsync();
  }
}

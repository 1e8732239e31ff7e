import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startMosquitto } from '../simulators/evaluation/mosquitto.js';
import { type PrivateRedis, startPrivateRedis } from '../simulators/evaluation/redis-server.js';
import { ephemeralPrincipals } from '../src/adapters/http/ephemeral-principals.js';
import { ENV_OVERRIDES } from '../src/config/env-overrides.js';
import { loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import type { EstateRegistry } from '../src/core/registry.js';
import type { GatewayProcess } from './gateway-process.js';
import type { Counters } from './oracle.js';
import type { StoreState } from './state.js';
import type { ChaosWorkload } from './workload.js';

/** A broker the scenario can restart on the same port, its sessions and queues kept on disk across the restart. */
export type ChaosBroker = {
  url: string;
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
};

/** The private Redis: stopped with a saved snapshot and started again on the same port and directory. */
export type ChaosRedis = {
  url: string;
  client: Redis;
  /** Shuts the server down (SHUTDOWN SAVE): clients see connection refused until `start`. */
  shutdown(): Promise<void>;
  start(): Promise<void>;
};

export type ScenarioGateway = {
  gateway: GatewayProcess;
  config: Config;
  port: number;
  tokens: Record<string, string>;
  /** The scenario's own broker: no session of an earlier scenario queues its messages. */
  broker: ChaosBroker;
};

export type ChaosContext = {
  workload: ChaosWorkload;
  registry: EstateRegistry;
  /** The oracle's counters for the workload delivered once. */
  expected: Counters;
  /** The state a clean run of the workload leaves (set once the reference run is done). */
  reference: StoreState | undefined;
  redis: ChaosRedis;
  dir: string;
  seed: number;
  quick: boolean;
  /**
   * A gateway process (not started) on the shared Redis, emptied first, and a fresh broker of its own; both are
   * stopped by the runner when the scenario ends, however it ends.
   */
  gateway(name: string, overrides?: Record<string, unknown>): Promise<ScenarioGateway>;
  /** Waits until the gateway has handled nothing for `quietMs`; resolves with when it last handled something. */
  drain(g: GatewayProcess, quietMs?: number): Promise<number>;
  state(config: Config): Promise<StoreState>;
};

export async function startRedis(dir: string): Promise<{ redis: ChaosRedis; stop(): Promise<void> }> {
  const dataDir = join(dir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  let server: PrivateRedis = await startPrivateRedis('redis-server', { port, dataDir });
  const client = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  client.on('error', () => undefined); // down on purpose during the outage scenario
  const redis: ChaosRedis = {
    url: server.url,
    client,
    async shutdown() {
      // on a connection of its own that never retries: the command ends the connection it was sent on
      const once = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      once.on('error', () => undefined);
      await once.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      once.disconnect();
      await server.stop();
    },
    async start() {
      server = await startPrivateRedis('redis-server', { port, dataDir });
    },
  };
  return {
    redis,
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

export async function startBroker(): Promise<ChaosBroker> {
  const port = await freePort();
  // its own directory under the system's: the broker runs as its own user, who cannot enter the harness's
  const persistenceDir = mkdtempSync(join(tmpdir(), 'linli-mosquitto-data-'));
  // as deploy/mosquitto.conf: a thousand messages in flight a client, queues not capped by count
  const config = ['max_inflight_messages 1000'];
  let broker = await startMosquitto(config, { port, persistenceDir });
  return {
    url: broker.url,
    async restart(downMs) {
      await broker.stop();
      await new Promise((r) => setTimeout(r, downMs));
      broker = await startMosquitto(config, { port, persistenceDir });
    },
    async stop() {
      await broker.stop();
      rmSync(persistenceDir, { recursive: true, force: true });
    },
  };
}

/** The configuration of a scenario's gateway: the file alone (the calling shell's variables must not leak in). */
export async function writeGatewayConfig(
  dir: string,
  name: string,
  opts: { redisUrl: string; mqttUrl: string; estateFile: string },
  overrides: Record<string, unknown> = {},
): Promise<{ file: string; config: Config; port: number; tokens: Record<string, string> }> {
  const port = await freePort();
  const { tokens, principals } = await ephemeralPrincipals('chaos');
  const file = join(dir, `config-${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      instanceId: `chaos-${name}`,
      http: { host: '127.0.0.1', port },
      redis: { url: opts.redisUrl },
      mqtt: { url: opts.mqttUrl },
      estates: [opts.estateFile],
      auth: { principals },
      // the same key in every run, so every run pseudonymises alike and the states compare
      privacy: { pseudonymKey: 'chaos-pseudonym-key-of-at-least-32-characters' },
      // the stream plays days of event time in seconds, so every device looks like a flood to the per-device
      // limit: it is off here and on in the flood scenario, which sets its own
      ingest: { deviceRate: { perSecond: null } },
      log: { level: 'error' },
      ...overrides,
    }),
  );
  const cleared = Object.fromEntries(Object.keys(ENV_OVERRIDES).map((k) => [k, '']));
  return { file, config: loadConfig({ ...cleared, LINLI_CONFIG: file }, file), port, tokens };
}

export async function drain(g: GatewayProcess, quietMs = 2000, timeoutMs = 180_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  let seen = -1;
  let changedAt = Date.now();
  for (;;) {
    const c = g.current;
    const n = c.counted + c.duplicates + c.rejected;
    if (n !== seen) {
      seen = n;
      changedAt = Date.now();
    } else if (Date.now() - changedAt >= quietMs && g.alive && (await g.ready())) {
      return changedAt;
    }
    if (Date.now() > until) throw new Error(`the gateway did not settle within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RedisAlertFeed } from '../../src/adapters/redis/alert-feed.js';
import { duplicateConnection } from '../../src/adapters/redis/connect.js';
import { deleteKeysUnder } from '../../src/adapters/redis/delete-keys.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { type ConfigInput, ConfigSchema } from '../../src/config/schema.js';
import type { AlertUpdate } from '../../src/core/ports.js';
import { startGateway } from '../../src/gateway.js';
import { tallyHandled } from '../../src/handled-tally.js';
import { publishScenario, type Scenario } from '../lib/index.js';
import { type PrivateBroker, startMosquitto } from './mosquitto.js';
import { type AlertChangeLike, type SeedScore, scoreSeed } from './score.js';

export type BrokerChoice = 'mosquitto' | 'embedded';

export type SeedRun = {
  score: SeedScore;
  published: number;
  counted: number;
  duplicates: number;
  rejected: number;
  elapsedS: number;
  eventsPerS: number;
};

export type RunOptions = {
  scenario: Scenario;
  log: Logger;
  broker?: BrokerChoice;
  redisUrl?: string;
  /** Detection settings to evaluate instead of the defaults (calibration, backtests). */
  config?: ConfigInput;
  minPresenceDays?: number;
};

export const mosquittoInstalled = (): boolean => spawnSync('mosquitto', ['-h']).error === undefined;

/**
 * Plays one scenario through a real broker (a private Mosquitto with an unbounded queue, or the embedded one), a
 * gateway on its own Redis key prefix, and scores every alert change of the run against the ground truth.
 */
export async function runSeed(opts: RunOptions): Promise<SeedRun> {
  const prefix = `eval-${randomUUID().slice(0, 8)}`;
  const mosquitto: PrivateBroker | undefined =
    (opts.broker ?? 'mosquitto') === 'mosquitto' ? await startMosquitto() : undefined;
  const config = ConfigSchema.parse({
    ...opts.config,
    // a scenario plays days in minutes: per device that is a flood the rate limit would cut
    ingest: { ...opts.config?.ingest, deviceRate: { ...opts.config?.ingest?.deviceRate, perSecond: null } },
    instanceId: prefix,
    estates: [],
    redis: { url: opts.redisUrl ?? 'redis://127.0.0.1:6379', keyPrefix: prefix },
    mqtt: { embeddedPort: 0, ...(mosquitto ? { url: mosquitto.url } : {}) },
    privacy: { pseudonymKey: randomUUID() + randomUUID() },
  });
  const gateway = await startGateway(config, { log: opts.log, listen: false, estates: [opts.scenario.estate] });
  const tally = tallyHandled(gateway.bus);
  try {
    const started = Date.now();
    const sim = await publishScenario(gateway.mqttUrl, opts.scenario, { speed: 'max', status: false });
    if (!(await tally.untilHandled(sim.published))) {
      throw new Error(`${sim.published - tally.handled()} events never reached the gateway`);
    }
    const elapsedS = (Date.now() - started) / 1000;
    const changes = await readAllChanges(new RedisAlertFeed({ redis: gateway.redis, keys: createKeys(prefix) }));
    return {
      score: scoreSeed(opts.scenario.truth, changes, { minPresenceDays: opts.minPresenceDays }),
      published: sim.published,
      counted: tally.counted,
      duplicates: tally.duplicates,
      rejected: tally.rejected,
      elapsedS,
      eventsPerS: Math.round(sim.published / elapsedS),
    };
  } finally {
    // the gateway first: its case follower and audit log would otherwise write again after the cleanup
    const redis = duplicateConnection(gateway.redis);
    await gateway.stop();
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
    await mosquitto?.stop();
  }
}

/** Every alert change of the run. The stream also carries case changes: pages move on by the entries read. */
async function readAllChanges(feed: RedisAlertFeed): Promise<AlertChangeLike[]> {
  const out: AlertChangeLike[] = [];
  for (let after = '0-0'; ; ) {
    const page = await feed.readPage(after, 1000);
    out.push(...page.items.map(toChange));
    if (!page.full || page.lastId === undefined) return out;
    after = page.lastId;
  }
}

/** A raise counts from the event that opened the alert (its lastSeen then), a clear from its clearing. */
function toChange({ change, alert }: AlertUpdate): AlertChangeLike {
  const at = change === 'cleared' ? (alert.clearedAt ?? alert.lastSeen) : alert.lastSeen;
  return {
    change,
    kind: alert.kind,
    unitId: alert.unitId,
    atMs: Date.parse(at),
    ...(alert.estimate ? { estimate: { people: alert.estimate.people, basis: alert.estimate.basis } } : {}),
  };
}

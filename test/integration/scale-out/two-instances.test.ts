import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { publishScenario, type Scenario, SMALL_ESTATE_PATH, smallScenario } from '../../../simulators/lib/index.js';
import { RedisAlertFeed } from '../../../src/adapters/redis/alert-feed.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { type PrivateBroker, startMosquitto } from '../../helpers/mosquitto.js';
import { type PrivateRedisCluster, startRedisCluster } from '../../helpers/redis-cluster.js';
import { waitFor } from '../../helpers/wait.js';
import { type RunOutcome, readOutcome } from './outcome.js';

/**
 * A face and the lock opening it explains are linked only while the newer of the two is within linkRetentionH of
 * their building's newest face or opening (the scripts prune older ones). A week published at full speed passes in
 * about two seconds, so an instance that lags the other by half a second is already 48 event-time hours (the
 * default) behind, and its late halves of pairs find their counterparts pruned: about a fifth of the links were
 * lost here. The bound is real (see the README, "Scaling out"); this test covers the whole span with it so that
 * it proves what must hold within the bound: the same state whatever the split and the order.
 */
const detection = { linkRetentionH: 168 };

type Tally = { counted: number; duplicates: number; rejected: number };
type Frame = { type: string; id?: string; change?: string; alert?: { id: string } };

function tally(gw: TestGateway): Tally {
  const t = { counted: 0, duplicates: 0, rejected: 0 };
  gw.bus.on('eventCounted', () => t.counted++);
  gw.bus.on('eventDuplicate', () => t.duplicates++);
  gw.bus.on('eventRejected', () => t.rejected++);
  return t;
}

const handled = (ts: Tally[]) => ts.reduce((n, t) => n + t.counted + t.duplicates + t.rejected, 0);

/** A control-room client on a real socket, its token offered as a subprotocol as the browser page does. */
async function controlRoomClient(gw: TestGateway, frames: Frame[]): Promise<WebSocket> {
  const port = (gw.app.server.address() as AddressInfo).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/alerts`, ['linli.bearer', gw.tokens.operator]);
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await waitFor(() => frames.some((f) => f.type === 'ready'), 'the feed on instance B to be ready');
  return ws;
}

/**
 * Scale-out equivalence: the same seeded week of the small estate goes (a) through one gateway on one Redis and
 * (b) through two gateways that share an MQTT subscription group on a private Mosquitto and a three-master Redis
 * Cluster. Each event must be counted exactly once across the pair, and the state and alerts they leave must be
 * those of the single instance, although every unit's events were split between two processes and raced.
 */
describe('two gateway instances on a Redis Cluster and a shared subscription', () => {
  let scenario: Scenario;
  let cluster: PrivateRedisCluster;
  const brokers: PrivateBroker[] = [];
  const gateways: TestGateway[] = [];
  let single: { outcome: RunOutcome; tally: Tally; published: number };
  let pair: { outcome: RunOutcome; tallies: [Tally, Tally]; published: number };
  const framesOnB: Frame[] = [];
  const raisedByA = new Set<string>();
  let wsOnB: WebSocket | undefined;

  beforeAll(async () => {
    // one span for both runs: a scenario's default start moves with the clock
    scenario = smallScenario({ start: new Date(Math.floor(Date.now() / 86_400_000 - 8) * 86_400_000).toISOString() });
    const [singleBroker, pairBroker, started] = await Promise.all([
      startMosquitto(),
      startMosquitto(),
      startRedisCluster(),
    ]);
    brokers.push(singleBroker, pairBroker);
    cluster = started;

    // (a) one instance, the shared Redis under its own prefix
    // the scenario plays days in seconds: its busiest devices send far more than the per-device limit lets through
    const ingest = { deviceRate: { perSecond: null } };
    const one = await startTestGateway({ mqttUrl: singleBroker.url, estates: [SMALL_ESTATE_PATH], detection, ingest });
    gateways.push(one);
    const oneTally = tally(one);
    const oneSummary = await publishScenario(singleBroker.url, scenario, { speed: 'max', status: true });
    await waitFor(
      () => handled([oneTally]) >= oneSummary.published,
      'the single instance to handle every event',
      30_000,
    );
    single = { outcome: await readOutcome(one), tally: oneTally, published: oneSummary.published };
    await one.cleanup();
    gateways.splice(0);

    // (b) two instances, one prefix on the cluster, one share group; B serves a control-room client
    const shared = {
      mqttUrl: pairBroker.url,
      estates: [SMALL_ESTATE_PATH],
      prefix: `scale-${Date.now()}`,
      detection,
      ingest,
      redis: { cluster: cluster.nodes },
      mqtt: { shareGroup: 'linli-scale' },
    };
    const a = await startTestGateway(shared);
    const b = await startTestGateway({ ...shared, listen: true });
    gateways.push(a, b);
    const tallies: [Tally, Tally] = [tally(a), tally(b)];
    a.bus.on('alertChanged', (u) => raisedByA.add(u.streamId));
    wsOnB = await controlRoomClient(b, framesOnB);
    const summary = await publishScenario(pairBroker.url, scenario, { speed: 'max', status: true });
    await waitFor(() => handled(tallies) >= summary.published, 'the pair to handle every event', 30_000);
    pair = { outcome: await readOutcome(a), tallies, published: summary.published };
  }, 90_000);

  afterAll(async () => {
    wsOnB?.terminate();
    for (const gw of gateways) await gw.cleanup();
    await Promise.all([...brokers.map((b) => b.stop()), cluster?.stop()]);
  });

  it('counts every event exactly once across the two instances, each taking a fair share', () => {
    expect(pair.published).toBe(single.published);
    expect(single.tally).toEqual({ counted: single.published, duplicates: 0, rejected: 0 });
    const [a, b] = pair.tallies;
    expect({
      counted: a.counted + b.counted,
      duplicates: a.duplicates + b.duplicates,
      rejected: a.rejected + b.rejected,
    }).toEqual({ counted: pair.published, duplicates: 0, rejected: 0 });
    expect(Math.min(a.counted, b.counted)).toBeGreaterThan(pair.published * 0.2);
  });

  it('leaves every unit with the signals the single instance left', () => {
    expect(Object.keys(pair.outcome.units).length).toBeGreaterThan(10);
    expect(pair.outcome.units).toEqual(single.outcome.units);
  });

  it('holds the alerts the single instance holds', () => {
    expect(single.outcome.alerts.filter((x) => x.kind === 'group-rental-suspected').length).toBeGreaterThanOrEqual(2);
    expect(pair.outcome.alerts).toEqual(single.outcome.alerts);
  });

  it('pushes every alert change to a client of instance B, those of events instance A processed included', async () => {
    const [a] = gateways as [TestGateway, TestGateway];
    const feed = new RedisAlertFeed({ redis: a.redis, keys: createKeys(a.prefix) });
    const inStream = (await feed.readAfter('0', 100_000)).map((u) => u.streamId);
    await waitFor(
      () => inStream.every((id) => framesOnB.some((f) => f.type === 'alert' && f.id === id)),
      'every alert change on the socket of instance B',
    );
    const onB = framesOnB.filter((f) => f.type === 'alert').map((f) => f.id);
    expect(onB).toEqual(inStream);
    expect(raisedByA.size).toBeGreaterThan(0);
    expect(inStream.filter((id) => raisedByA.has(id)).length).toBe(raisedByA.size);
  });
});

import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type GroundTruth, publishScenario, SMALL_ESTATE_PATH, smallScenario } from '../../simulators/lib/index.js';
import { eventTopic } from '../../src/adapters/mqtt/topics.js';
import type { Alert } from '../../src/core/alerts.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type PrivateBroker, startMosquitto } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

type Frame = { type: string; change?: string; alert?: Alert };

/** Simulator → Mosquitto → gateway → Redis → WebSocket, on the small two-building estate over seven days. */
describe('a simulated week of the small estate, end to end', () => {
  let broker: PrivateBroker;
  let gw: TestGateway;
  let ws: WebSocket;
  const frames: Frame[] = [];
  const tally = { counted: 0, duplicates: 0, rejected: 0 };
  let truth: GroundTruth;
  let published = 0;

  beforeAll(async () => {
    broker = await startMosquitto();
    // the simulator plays days in seconds: its busiest devices send far more than a real one could
    gw = await startTestGateway({
      mqttUrl: broker.url,
      estates: [SMALL_ESTATE_PATH],
      ingest: { deviceRate: { perSecond: null } },
    });
    gw.bus.on('eventCounted', () => tally.counted++);
    gw.bus.on('eventDuplicate', () => tally.duplicates++);
    gw.bus.on('eventRejected', () => tally.rejected++);
    ws = await gw.app.injectWS(
      '/ws/alerts',
      { headers: gw.as('operator') },
      { onInit: (s) => s.on('message', (d) => frames.push(JSON.parse(String(d)))) },
    );
    await waitFor(() => frames.some((f) => f.type === 'ready'), 'the feed to be ready');

    // a fixed local midnight: started 'days before now', the run would play other hours at each time of day
    const scenario = smallScenario({ start: '2026-09-01T00:00:00+08:00' });
    truth = scenario.truth;
    const summary = await publishScenario(broker.url, scenario, { speed: 'max', status: true });
    published = summary.published;
    await waitFor(() => tally.counted + tally.duplicates + tally.rejected >= published, 'every event handled', 60_000);
  }, 120_000);

  afterAll(async () => {
    ws?.terminate();
    await gw?.cleanup();
    await broker?.stop();
  });

  const groupRentals = () => new Set(truth.units.filter((u) => u.groupRental).map((u) => u.unitId));
  const raisedOverWs = (kind: string) =>
    new Set(frames.filter((f) => f.change === 'raised' && f.alert?.kind === kind).map((f) => f.alert?.unitId));

  it('counts every simulated event exactly once and dead-letters none', () => {
    expect(published).toBeGreaterThan(1000);
    expect(tally).toEqual({ counted: published, duplicates: 0, rejected: 0 });
  });

  it('pushes a group-rental alert for each injected group rental and none for ordinary units', async () => {
    expect(groupRentals().size).toBe(2);
    await waitFor(() => raisedOverWs('group-rental-suspected').size >= 2, 'two group-rental alerts on the feed');
    expect(raisedOverWs('group-rental-suspected')).toEqual(groupRentals());
    const res = await gw.app.inject({
      headers: gw.as('supervisor'),
      url: '/alerts?kind=group-rental-suspected&limit=1000',
    });
    expect(new Set(res.json().items.map((a: Alert) => a.unitId))).toEqual(groupRentals());
  });

  it('raises no unregistered-occupants alert for a household living within its registration', async () => {
    const withinRegistration = new Set(
      truth.units.filter((u) => !u.groupRental && u.occupants <= u.registered).map((u) => u.unitId),
    );
    const res = await gw.app.inject({
      headers: gw.as('supervisor'),
      url: '/alerts?kind=unregistered-occupants&limit=1000',
    });
    const flagged = res.json().items.map((a: Alert) => a.unitId as string);
    const wrong = flagged.filter((u: string) => withinRegistration.has(u));
    const detail = await Promise.all(
      wrong.map(async (u: string) =>
        (await gw.app.inject({ headers: gw.as('supervisor'), url: `/estates/shjy/units/${u}` })).json(),
      ),
    );
    expect(detail.map((d) => ({ unit: d.unit.id, registered: d.unit.registered, signals: d.signals }))).toEqual([]);
  });

  it('explains each group-rental alert with the numbers behind it', async () => {
    const res = await gw.app.inject({ headers: gw.as('supervisor'), url: '/alerts?kind=group-rental-suspected' });
    for (const alert of res.json().items as Alert[]) {
      const unit = truth.units.find((u) => u.unitId === alert.unitId);
      expect(alert.estimate?.capacity).toBe(unit?.capacity);
      expect(alert.estimate?.people).toBeGreaterThan(alert.estimate?.capacity ?? 0);
      expect(alert.evidence.find((e) => e.signal === 'estimate-over-capacity')?.text).toContain(
        `legal capacity is ${unit?.capacity}`,
      );
    }
  });

  it('counts an event published twice once, and keeps working after a malformed one', async () => {
    const device = await mqtt.connectAsync(broker.url);
    const estate = gw.registry.estates()[0];
    const lock = [...(estate?.devices.values() ?? [])].find((d) => d.kind === 'door-lock');
    const topic = eventTopic(estate?.id ?? '', lock?.deviceId ?? '');
    const ts = new Date().toISOString();
    const event = JSON.stringify({
      id: 'e2e-dup-1',
      seq: 1,
      ts,
      type: 'access',
      method: 'card',
      credential: '9',
      ok: true,
    });
    const before = { ...tally };
    await device.publishAsync(topic, event, { qos: 1 });
    await device.publishAsync(topic, event, { qos: 1 });
    await device.publishAsync(topic, '{"id": "broken', { qos: 1 });
    const next = JSON.stringify({
      id: 'e2e-dup-2',
      seq: 2,
      ts,
      type: 'access',
      method: 'card',
      credential: '9',
      ok: true,
    });
    await device.publishAsync(topic, next, { qos: 1 });
    await waitFor(
      () => tally.counted === before.counted + 2 && tally.rejected === before.rejected + 1,
      'the four deliveries',
    );
    expect(tally.duplicates).toBe(before.duplicates + 1);
    const dl = await gw.app.inject({ headers: gw.as('supervisor'), url: '/dead-letters?reason=invalid-json' });
    expect(dl.json().items[0]).toMatchObject({ reason: 'invalid-json', topic });
    await device.endAsync();
  });
});

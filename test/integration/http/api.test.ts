import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTopic, statusTopic } from '../../../src/adapters/mqtt/topics.js';
import { access, face } from '../../helpers/contract.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

const DAY = 86_400_000;

describe('REST API', () => {
  let gw: TestGateway;

  // b1-102 (1 room, 35 m², capacity 2, 2 registered): five people come home through the building door and open
  // the lock with their own fingerprints on four days
  beforeAll(async () => {
    gw = await startTestGateway();
    let counted = 0;
    gw.bus.on('eventCounted', () => counted++);
    const device = await mqtt.connectAsync(gw.mqttUrl);
    const start = Date.now() - 4 * DAY;
    let sent = 0;
    for (let d = 0; d < 4; d++) {
      for (let p = 0; p < 5; p++) {
        const t = start + d * DAY + p * 600_000;
        await device.publishAsync(eventTopic('tiny', 'gate-b1'), JSON.stringify(face(`f${d}-${p}`, t, `T-${p}`)), {
          qos: 1,
        });
        await device.publishAsync(
          eventTopic('tiny', 'lock-b1-102'),
          JSON.stringify(access(`a${d}-${p}`, t + 40_000, `${p}`)),
          {
            qos: 1,
          },
        );
        sent += 2;
      }
    }
    await waitFor(() => counted === sent, 'all events counted');
    await device.endAsync();
  });
  afterAll(async () => gw?.cleanup());

  it('reports ready when Redis and the broker are connected', async () => {
    const res = await gw.app.inject({ url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { redis: true, mqtt: true, ingest: true } });
    expect((await gw.app.inject({ url: '/health/live' })).statusCode).toBe(200);
  });

  it('lists the explainable group-rental alert of the overcrowded unit', async () => {
    const res = await gw.app.inject({
      headers: gw.as('supervisor'),
      url: '/alerts?kind=group-rental-suspected&building=b1&status=open',
    });
    expect(res.statusCode).toBe(200);
    const [alert, ...rest] = res.json().items;
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      unitId: 'b1-102',
      buildingId: 'b1',
      floor: 1,
      status: 'open',
      severity: 'high',
      estimate: { people: 5, capacity: 2, registered: 2 },
    });
    expect(alert.evidence.map((e: { signal: string }) => e.signal)).toContain('active-credentials');
    expect(alert.evidence[0].text).toContain('legal capacity is 2');
    const one = await gw.app.inject({ headers: gw.as('supervisor'), url: `/alerts/${encodeURIComponent(alert.id)}` });
    expect(one.json()).toEqual(alert);
  });

  it("shows one unit's signals, estimate, capacity and alerts", async () => {
    const res = await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b1-102' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.capacity).toBe(2);
    expect(body.signals.credentials).toMatchObject({ distinct: 5, active: 5 });
    expect(body.signals.faces).toMatchObject({ unknownResidents: 5, knownResidents: 0 });
    expect(body.estimate).toMatchObject({ people: 5 });
    // unregistered-occupants waits for an excess that outlasts a family visit (12 days); four days are not enough
    expect(body.alerts.map((a: { kind: string }) => a.kind)).toEqual(['group-rental-suspected']);
  });

  it('shows a quiet unit with no signals and no alerts, as unknown rather than fine', async () => {
    const body = (await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b1-201' })).json();
    expect(body).toMatchObject({ capacity: 6, signals: null, estimate: null, alerts: [], assessment: 'unknown' });
    expect(body.lock).toEqual({ state: 'never-reported', online: null, lastEventAt: null });
  });

  it('calls the overcrowded unit suspect while its lock reports, and unknown once the lock says it is offline', async () => {
    const before = (await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b1-102' })).json();
    expect(before).toMatchObject({ assessment: 'suspect', lock: { state: 'reporting' } });
    const device = await mqtt.connectAsync(gw.mqttUrl);
    await device.publishAsync(statusTopic('tiny', 'lock-b1-102'), JSON.stringify({ online: false }), {
      qos: 1,
      retain: true,
    });
    await waitFor(
      async () =>
        (await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b1-102' })).json().assessment ===
        'unknown',
      'unknown',
    );
    const after = (await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b1-102' })).json();
    expect(after.lock).toMatchObject({ state: 'offline', online: false });
    expect(after.alerts.some((a: { status: string }) => a.status === 'open')).toBe(true);
    await device.endAsync();
  });

  it('answers 404 for an unknown unit or alert, and 400 naming the bad query field', async () => {
    expect((await gw.app.inject({ headers: gw.as('supervisor'), url: '/estates/tiny/units/b9-999' })).statusCode).toBe(
      404,
    );
    expect(
      (await gw.app.inject({ headers: gw.as('supervisor'), url: '/alerts/tiny.b1-101.group-rental-suspected~9' }))
        .statusCode,
    ).toBe(404);
    const bad = await gw.app.inject({ headers: gw.as('supervisor'), url: '/alerts?limit=0&kind=party' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toContain('query.limit');
    expect(bad.json().error).toContain('query.kind');
    const unknown = await gw.app.inject({ headers: gw.as('supervisor'), url: '/alerts?colour=red' });
    expect(unknown.statusCode).toBe(400);
    const dl = await gw.app.inject({ headers: gw.as('supervisor'), url: '/dead-letters?reason=whatever' });
    expect(dl.statusCode).toBe(400);
  });
});

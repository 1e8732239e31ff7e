import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { eventTopic, statusTopic } from '../../../src/adapters/mqtt/topics.js';
import { isoAt } from '../../helpers/contract.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

const SHARED_MOSQUITTO = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** The six examples of ../shared/contract/mqtt-v1.md, each sent by a device of the tiny estate that may send it. */
function contractExamples(nowMs: number): [string, Record<string, unknown>][] {
  const ts = isoAt(nowMs - 60_000);
  return [
    [
      'gate-b1',
      { id: 'b7-f381', seq: 381, ts, type: 'face', person: 'L-10293', known: true, direction: 'in', score: 0.94 },
    ],
    [
      'gate-b1',
      { id: 'b7-f382', seq: 382, ts, type: 'face', person: 'T-7f2c91', known: false, direction: 'in', score: 0.88 },
    ],
    ['lock-b1-101', { id: '9e1c', seq: 5121, ts, type: 'access', method: 'fingerprint', credential: '3', ok: true }],
    [
      'lock-b1-101',
      { id: '9e1d', seq: 5122, ts, type: 'credential', action: 'enrolled', method: 'fingerprint', credential: '7' },
    ],
    ['stair-b1-1', { id: 'p-88120', seq: 88120, ts, type: 'passage', in: 4, out: 9, periodS: 300 }],
    ['smoke-b1-101', { id: 'a-17', seq: 17, ts, type: 'alarm', alarm: 'smoke', active: true }],
  ];
}

describe('gateway ingest over the Mosquitto estates run', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.cleanup();
    gw = undefined;
  });

  it('counts every contract example once, even when each is published twice', async () => {
    gw = await startTestGateway({ mqttUrl: SHARED_MOSQUITTO });
    let counted = 0;
    let duplicates = 0;
    gw.bus.on('eventCounted', () => counted++);
    gw.bus.on('eventDuplicate', () => duplicates++);
    const device = await mqtt.connectAsync(SHARED_MOSQUITTO);
    const examples = contractExamples(Date.now());
    for (const [deviceId, payload] of [...examples, ...examples]) {
      await device.publishAsync(eventTopic('tiny', deviceId), JSON.stringify(payload), { qos: 1 });
    }
    await waitFor(() => counted + duplicates === 12, 'twelve deliveries handled');
    expect({ counted, duplicates }).toEqual({ counted: 6, duplicates: 6 });
    const res = await gw.app.inject({ headers: gw.as('supervisor'), url: '/alerts?kind=device-alarm' });
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0]).toMatchObject({ deviceId: 'smoke-b1-101', severity: 'critical', status: 'open' });
    await device.endAsync();
  });

  it('dead-letters malformed messages with their reason and keeps counting what follows', async () => {
    gw = await startTestGateway({ mqttUrl: SHARED_MOSQUITTO });
    let counted = 0;
    let rejected = 0;
    gw.bus.on('eventCounted', () => counted++);
    gw.bus.on('eventRejected', () => rejected++);
    const device = await mqtt.connectAsync(SHARED_MOSQUITTO);
    const topic = eventTopic('tiny', 'lock-b1-101');
    const ts = isoAt(Date.now());
    const bad: [string, string | Buffer][] = [
      [topic, '{not json'],
      [topic, Buffer.alloc(5000, 0x20)],
      [topic, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
      [topic, JSON.stringify({ id: 'x1', seq: 1, ts, type: 'access', method: 'card', ok: 'yes' })],
      [topic, JSON.stringify({ id: 'x2', seq: 2, ts, type: 'access', method: 'card', ok: true, photo: 'abc' })],
      [
        topic,
        JSON.stringify({
          id: 'x3',
          seq: 3,
          ts: isoAt(Date.now() + 3_600_000),
          type: 'access',
          method: 'key',
          ok: true,
        }),
      ],
      [
        eventTopic('tiny', 'no-such-device'),
        JSON.stringify({ id: 'x4', seq: 4, ts, type: 'access', method: 'key', ok: true }),
      ],
      [
        topic,
        JSON.stringify({ id: 'x5', seq: 5, ts, type: 'face', person: 'p', known: true, direction: 'in', score: 1 }),
      ],
      [statusTopic('tiny', 'lock-b1-101'), JSON.stringify({ online: 'maybe' })],
    ];
    for (const [t, p] of bad) await device.publishAsync(t, p, { qos: 1 });
    await device.publishAsync(
      topic,
      JSON.stringify({ id: 'ok1', seq: 6, ts, type: 'access', method: 'key', ok: true }),
      { qos: 1 },
    );
    await waitFor(
      () => rejected === bad.length && counted === 1,
      'every bad message dead-lettered and the good one counted',
    );

    const res = await gw.app.inject({ headers: gw.as('supervisor'), url: '/dead-letters' });
    expect(res.statusCode).toBe(200);
    const { counts, items } = res.json();
    expect(counts).toEqual({
      'invalid-json': 1,
      'payload-too-large': 1,
      'invalid-utf8': 1,
      'invalid-event': 1,
      'biometric-data': 1,
      'future-timestamp': 1,
      'unknown-device': 1,
      'type-not-allowed-for-device': 1,
      'invalid-status': 1,
    });
    const invalid = items.find((i: { reason: string }) => i.reason === 'invalid-event');
    expect(invalid).toMatchObject({ deviceId: 'lock-b1-101', topic });
    expect(invalid.detail).toContain('ok');
    const biometric = items.find((i: { reason: string }) => i.reason === 'biometric-data');
    expect(biometric.preview).not.toContain('abc');
    await device.endAsync();
  });
});

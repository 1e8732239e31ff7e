import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_USERNAME } from '../../../src/adapters/mqtt/broker-acl.js';
import { eventTopic, statusTopic } from '../../../src/adapters/mqtt/topics.js';
import { isoAt } from '../../helpers/contract.js';
import { collect, type TestCredentials, tinyCredentials, tryConnect } from '../../helpers/device-credentials.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { type PrivateBroker, startMosquitto } from '../../helpers/mosquitto.js';
import { waitFor } from '../../helpers/wait.js';

const QUIET_MS = 500;
const NOT_AUTHORIZED = 5;

/** The production settings of deploy/mosquitto.conf that matter here, over the files `mqtt:credentials` writes. */
const authConfig = (c: TestCredentials) => [
  'allow_anonymous false', // the last setting wins over the helper's `allow_anonymous true`
  `password_file ${c.passwdFile}`,
  `acl_file ${c.aclFile}`,
];

describe('the generated password and ACL files on Mosquitto', () => {
  let creds: TestCredentials;
  let broker: PrivateBroker;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    creds = await tinyCredentials();
    broker = await startMosquitto(authConfig(creds));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(async () => broker?.stop());

  async function connectAs(username: string, password: string, clientId?: string) {
    const r = await tryConnect(broker.url, { username, password, ...(clientId ? { clientId } : {}) });
    if (!r.ok) throw r.error;
    clients.push(r.client);
    return r.client;
  }

  async function gatewaySubscriber(filter: string) {
    const gw = await connectAs(GATEWAY_USERNAME, creds.bundle.gateway.password);
    const got = collect(gw);
    await gw.subscribeAsync(filter, { qos: 1 });
    return got;
  }

  it('refuses anonymous clients and wrong secrets', async () => {
    const anonymous = await tryConnect(broker.url);
    expect(!anonymous.ok && anonymous.error.code).toBe(NOT_AUTHORIZED);
    const wrong = await tryConnect(broker.url, { username: 'gate-main', password: creds.secretOf('gate-b1') });
    expect(!wrong.ok && wrong.error.code).toBe(NOT_AUTHORIZED);
  });

  it('delivers a device’s own event to the gateway user, and never its publish on another device’s topic', async () => {
    const got = await gatewaySubscriber('linli/v1/#');
    // Mosquitto 2.0.11 logs "Denied PUBLISH" and drops the message; it then also drops the connection (QoS 0 and 1
    // alike), so each forgery goes on a connection of its own and the own event on a fresh one after them
    for (const [qos, topic] of [
      [0, eventTopic('tiny', 'gate-b1')],
      [1, eventTopic('tiny', 'gate-b1')],
      [1, statusTopic('tiny', 'gate-b1')],
    ] as const) {
      const forger = await connectAs('gate-main', creds.secretOf('gate-main'));
      forger.publish(topic, '{"id":"forged"}', { qos, retain: topic.endsWith('/status') });
    }
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const a = await connectAs('gate-main', creds.secretOf('gate-main'));
    await a.publishAsync(eventTopic('tiny', 'gate-main'), '{"id":"own"}', { qos: 1 });
    await waitFor(() => got.length > 0, 'the own event at the gateway');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(got).toEqual([{ topic: 'linli/v1/tiny/gate-main/event', payload: '{"id":"own"}' }]);
  });

  it('delivers to the gateway through its shared subscription group', async () => {
    const got = await gatewaySubscriber('$share/g1/linli/v1/+/+/event');
    const device = await connectAs('stair-b1-1', creds.secretOf('stair-b1-1'));
    await device.publishAsync(eventTopic('tiny', 'stair-b1-1'), '{"id":"p1"}', { qos: 1 });
    await waitFor(() => got.length === 1, 'the event through $share/g1');
  });

  it('lets a device read nothing, not even what it publishes itself', async () => {
    const device = await connectAs('lock-b1-102', creds.secretOf('lock-b1-102'));
    const got = collect(device);
    // Mosquitto 2.0 grants the subscription and checks read access on every delivery
    await device.subscribeAsync('#', { qos: 1 }).catch(() => undefined);
    await device.publishAsync(eventTopic('tiny', 'lock-b1-102'), '{"id":"x"}', { qos: 1 });
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(got).toEqual([]);
  });

  describe('with the gateway logged in as its generated user', () => {
    let gw: TestGateway | undefined;
    afterEach(async () => {
      await gw?.cleanup();
      gw = undefined;
    });

    it('subscribes and counts a device’s event', async () => {
      gw = await startTestGateway({
        mqttUrl: broker.url,
        mqtt: { username: GATEWAY_USERNAME, password: creds.bundle.gateway.password },
      });
      let counted = 0;
      gw.bus.on('eventCounted', () => counted++);
      const device = await connectAs('lock-b1-201', creds.secretOf('lock-b1-201'));
      const event = {
        id: 'm-1',
        seq: 1,
        ts: isoAt(Date.now()),
        type: 'access',
        method: 'card',
        credential: '1',
        ok: true,
      };
      await device.publishAsync(eventTopic('tiny', 'lock-b1-201'), JSON.stringify(event), { qos: 1 });
      await waitFor(() => counted === 1, 'the event counted');
    });
  });
});

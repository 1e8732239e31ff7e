import type { MqttClient } from 'mqtt';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_USERNAME } from '../../../src/adapters/mqtt/broker-acl.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../src/adapters/mqtt/embedded-broker.js';
import { eventTopic, statusTopic } from '../../../src/adapters/mqtt/topics.js';
import { isoAt } from '../../helpers/contract.js';
import { collect, type TestCredentials, tinyCredentials, tryConnect } from '../../helpers/device-credentials.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { createLogSink, type LogSink } from '../../helpers/log-sink.js';
import { waitFor } from '../../helpers/wait.js';

/** How long "never arrives" is watched for; the broker forwards within a millisecond or two on loopback. */
const QUIET_MS = 500;
const NOT_AUTHORIZED = 5;

describe('device authentication on the embedded broker', () => {
  let creds: TestCredentials;
  let broker: EmbeddedBroker | undefined;
  let logs: LogSink;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    creds = await tinyCredentials();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await broker?.close();
    broker = undefined;
  });

  async function start(): Promise<EmbeddedBroker> {
    logs = createLogSink();
    broker = await startEmbeddedBroker('127.0.0.1', 0, {
      deviceSecretsFile: creds.secretsFile,
      log: pino({ level: 'debug' }, logs.stream),
    });
    return broker;
  }

  async function connectAs(username: string, password: string, extra: Parameters<typeof tryConnect>[1] = {}) {
    const r = await tryConnect((broker as EmbeddedBroker).url, { username, password, ...extra });
    if (!r.ok) throw r.error;
    clients.push(r.client);
    return r.client;
  }

  /** The gateway's side: logged in with the ephemeral password the broker made for it, reading every device. */
  async function gatewaySubscriber() {
    const { login } = broker as EmbeddedBroker;
    expect(login.username).toBe(GATEWAY_USERNAME);
    const gw = await connectAs(login.username as string, login.password as string);
    const granted = await gw.subscribeAsync(['linli/v1/+/+/event', 'linli/v1/+/+/status'], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    return { client: gw, got: collect(gw) };
  }

  it('refuses an anonymous client with CONNACK "not authorized"', async () => {
    const { url } = await start();
    const r = await tryConnect(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe(NOT_AUTHORIZED);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'mqtt connection refused', reason: 'anonymous' }));
  });

  it('refuses a wrong secret, another device’s secret and an unknown device alike', async () => {
    const { url } = await start();
    for (const [username, password] of [
      ['gate-main', 'not-the-secret'],
      ['gate-main', creds.secretOf('gate-b1')],
      ['gate-nowhere', creds.secretOf('gate-main')],
      [GATEWAY_USERNAME, creds.bundle.gateway.password], // Mosquitto's gateway password is not the embedded one's
    ] as const) {
      const r = await tryConnect(url, { username, password });
      expect(r.ok, `${username} logged in`).toBe(false);
      expect(!r.ok && r.error.code).toBe(NOT_AUTHORIZED);
    }
    const reasons = logs.lines.filter((l) => l.msg === 'mqtt connection refused').map((l) => l.reason);
    expect(reasons).toEqual(['wrong-secret', 'wrong-secret', 'unknown-device', 'wrong-secret']);
    expect(logs.text()).not.toContain(creds.secretOf('gate-main'));
  });

  it('forwards a device’s event on its own topic, and its retained status, to the gateway', async () => {
    await start();
    const gw = await gatewaySubscriber();
    const device = await connectAs('gate-main', creds.secretOf('gate-main'));
    await device.publishAsync(eventTopic('tiny', 'gate-main'), '{"id":"e1"}', { qos: 1 });
    await device.publishAsync(statusTopic('tiny', 'gate-main'), '{"online":true}', { qos: 1, retain: true });
    await waitFor(() => gw.got.length === 2, 'both messages at the gateway');
    expect(gw.got).toEqual([
      { topic: 'linli/v1/tiny/gate-main/event', payload: '{"id":"e1"}' },
      { topic: 'linli/v1/tiny/gate-main/status', payload: '{"online":true}' },
    ]);
  });

  it('never forwards device A’s publish on device B’s topic, and logs the refusal with A and the topic', async () => {
    await start();
    const gw = await gatewaySubscriber();
    const a = await connectAs('gate-main', creds.secretOf('gate-main'));
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.publish(eventTopic('tiny', 'gate-b1'), '{"id":"forged"}', { qos: 1 });
    a.publish(statusTopic('tiny', 'lock-b1-101'), '{"online":false}', { qos: 1, retain: true });
    // MQTT 3.1.1 cannot refuse one PUBLISH: aedes closes the connection instead (Mosquitto acknowledges and drops)
    await closed;
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(gw.got).toEqual([]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'mqtt publish refused',
        deviceId: 'gate-main',
        topic: 'linli/v1/tiny/gate-b1/event',
      }),
    );
    // nothing forged was retained for a later subscriber either
    const late = await connectAs(broker!.login.username!, broker!.login.password!, { clientId: 'late' });
    const lateGot = collect(late);
    await late.subscribeAsync('linli/v1/#', { qos: 1 });
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(lateGot).toEqual([]);
  });

  it('drops a last will on another device’s status topic', async () => {
    await start();
    const gw = await gatewaySubscriber();
    const r = await tryConnect(broker!.url, {
      username: 'gate-main',
      password: creds.secretOf('gate-main'),
      will: { topic: statusTopic('tiny', 'gate-b1'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    if (!r.ok) throw r.error;
    r.client.stream.destroy(); // dies without DISCONNECT, so the broker publishes the will
    await waitFor(
      () => logs.lines.some((l) => l.msg === 'mqtt publish refused' && l.topic === 'linli/v1/tiny/gate-b1/status'),
      'the will refused',
    );
    await new Promise((res) => setTimeout(res, QUIET_MS));
    expect(gw.got).toEqual([]);
    r.client.end(true);
  });

  it('lets a device subscribe to nothing, not even its own topics', async () => {
    await start();
    const device = await connectAs('lock-b1-101', creds.secretOf('lock-b1-101'));
    // mqtt.js rejects a SUBACK that refuses every filter; the packet says which
    const refused = await device
      .subscribeAsync(['#', eventTopic('tiny', 'lock-b1-101')], { qos: 1 })
      .catch((e: { packet?: { granted?: number[] } }) => e);
    expect(refused).toMatchObject({ packet: { granted: [128, 128] } });
    expect(device.connected).toBe(true);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: 'mqtt subscription refused', deviceId: 'lock-b1-101', filter: '#' }),
    );
  });

  it('does not let a device take over the client id of the gateway’s session', async () => {
    await start();
    const gw = await gatewaySubscriber();
    const r = await tryConnect(broker!.url, {
      username: 'gate-main',
      password: creds.secretOf('gate-main'),
      clientId: gw.client.options.clientId as string,
    });
    expect(r.ok).toBe(false);
    expect(gw.client.connected).toBe(true);
  });

  it('warns at start that it accepts anonymous devices when no secrets file is configured', async () => {
    logs = createLogSink();
    broker = await startEmbeddedBroker('127.0.0.1', 0, { log: pino(logs.stream) });
    expect(broker.login).toEqual({});
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining('accepts anonymous devices') }),
    );
    const r = await tryConnect(broker.url);
    expect(r.ok).toBe(true);
    if (r.ok) clients.push(r.client);
  });
});

describe('the gateway on its embedded broker with device secrets', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.cleanup();
    gw = undefined;
  });

  it('logs in with its ephemeral password and counts an authenticated device’s event', async () => {
    const creds = await tinyCredentials();
    gw = await startTestGateway({ mqtt: { deviceSecretsFile: creds.secretsFile } });
    let counted = 0;
    gw.bus.on('eventCounted', () => counted++);
    expect((await tryConnect(gw.mqttUrl)).ok).toBe(false);
    const r = await tryConnect(gw.mqttUrl, { username: 'lock-b1-101', password: creds.secretOf('lock-b1-101') });
    if (!r.ok) throw r.error;
    const event = {
      id: 'auth-1',
      seq: 1,
      ts: isoAt(Date.now()),
      type: 'access',
      method: 'card',
      credential: '3',
      ok: true,
    };
    await r.client.publishAsync(eventTopic('tiny', 'lock-b1-101'), JSON.stringify(event), { qos: 1 });
    await waitFor(() => counted === 1, 'the event counted');
    await r.client.endAsync();
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../src/adapters/mqtt/embedded-broker.js';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { isoAt } from '../../helpers/contract.js';
import { collect, tinyCredentials, tryConnect } from '../../helpers/device-credentials.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

/** The certificate names a host, not the loopback address the broker listens on, as a production one would. */
const HOST = 'broker.example';

/** A self-signed certificate (it is its own CA) made with openssl in a temporary directory. */
function selfSigned(san = `DNS:${HOST}`): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${HOST}`],
      ...['-addext', `subjectAltName=${san}`],
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

describe('the embedded broker over TLS', () => {
  let tls: { certFile: string; keyFile: string };
  let ca: Buffer;
  let broker: EmbeddedBroker | undefined;
  const clients: MqttClient[] = [];

  beforeAll(() => {
    tls = selfSigned();
    ca = readFileSync(tls.certFile);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await broker?.close();
    broker = undefined;
  });

  it('serves mqtts:// to a client that trusts the CA, which publishes and receives', async () => {
    broker = await startEmbeddedBroker('127.0.0.1', 0, { tls });
    expect(broker.url).toBe(`mqtts://127.0.0.1:${broker.port}`);
    const r = await tryConnect(broker.url, { ca, servername: HOST });
    if (!r.ok) throw r.error;
    clients.push(r.client);
    const got = collect(r.client);
    await r.client.subscribeAsync('linli/v1/#', { qos: 1 });
    await r.client.publishAsync(eventTopic('tiny', 'gate-main'), '{"id":"t1"}', { qos: 1 });
    await waitFor(() => got.length === 1, 'the message back over TLS');
  });

  it('refuses a plain mqtt:// connection on the TLS port', async () => {
    broker = await startEmbeddedBroker('127.0.0.1', 0, { tls });
    const r = await tryConnect(`mqtt://127.0.0.1:${broker.port}`);
    expect(r.ok).toBe(false);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    broker = await startEmbeddedBroker('127.0.0.1', 0, { tls });
    const r = await tryConnect(broker.url, { servername: HOST });
    expect(!r.ok && r.error.message).toMatch(/self.signed certificate/);
  });

  it('names the certificate file it cannot read', async () => {
    const err = await startEmbeddedBroker('127.0.0.1', 0, {
      tls: { certFile: '/nonexistent/cert.pem', keyFile: tls.keyFile },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('mqtt.tls.certFile: cannot read /nonexistent/cert.pem (not found)');
  });

  describe('with the gateway on it', () => {
    let gw: TestGateway | undefined;
    afterEach(async () => {
      await gw?.cleanup();
      gw = undefined;
    });

    it('connects its own client to the pinned certificate and counts a device’s event sent over TLS', async () => {
      const creds = await tinyCredentials();
      gw = await startTestGateway({ mqtt: { tls, deviceSecretsFile: creds.secretsFile } });
      expect(gw.mqttUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
      let counted = 0;
      gw.bus.on('eventCounted', () => counted++);
      const r = await tryConnect(gw.mqttUrl, {
        ca,
        servername: HOST,
        username: 'gate-b1',
        password: creds.secretOf('gate-b1'),
      });
      if (!r.ok) throw r.error;
      clients.push(r.client);
      const event = {
        ...{ id: 'tls-1', seq: 1, ts: isoAt(Date.now()), type: 'face' },
        ...{ person: 'L-1', known: true, direction: 'in', score: 0.9 },
      };
      await r.client.publishAsync(eventTopic('tiny', 'gate-b1'), JSON.stringify(event), { qos: 1 });
      await waitFor(() => counted === 1, 'the event counted');
    });

    it('trusts the configured CA at an external mqtts:// broker, checking the host name', async () => {
      const external = selfSigned('IP:127.0.0.1');
      broker = await startEmbeddedBroker('127.0.0.1', 0, { tls: external });
      gw = await startTestGateway({ mqttUrl: broker.url, mqtt: { tls: { caFile: external.certFile } } });
      let counted = 0;
      gw.bus.on('eventCounted', () => counted++);
      const r = await tryConnect(broker.url, { ca: readFileSync(external.certFile) });
      if (!r.ok) throw r.error;
      clients.push(r.client);
      const event = { id: 'tls-2', seq: 2, ts: isoAt(Date.now()), type: 'alarm', alarm: 'tamper', active: true };
      await r.client.publishAsync(eventTopic('tiny', 'gate-main'), JSON.stringify(event), { qos: 1 });
      await waitFor(() => counted === 1, 'the event counted');
    });
  });
});

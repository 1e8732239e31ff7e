import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { eventTopic, statusTopic } from '../../../src/adapters/mqtt/topics.js';
import type { Alert } from '../../../src/core/alerts.js';
import type { AlertUpdate } from '../../../src/core/ports.js';
import { face } from '../../helpers/contract.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

const MINUTE = 60_000;

describe('device health through a running gateway', () => {
  let gw: TestGateway | undefined;
  const clients: MqttClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.end(true);
    await gw?.cleanup();
    gw = undefined;
  });

  /** The device-offline alert of `deviceId` as the API answers it, or undefined. */
  async function offlineAlert(deviceId: string): Promise<Alert | undefined> {
    if (!gw) throw new Error('no gateway');
    const res = await gw.app.inject({ headers: gw.as('operator'), url: '/alerts?kind=device-offline' });
    return (res.json().items as Alert[]).find((a) => a.deviceId === deviceId);
  }

  function changesOf(deviceId: string): string[] {
    const out: string[] = [];
    gw?.bus.on('alertChanged', (u: AlertUpdate) => {
      if (u.alert.kind === 'device-offline' && u.alert.deviceId === deviceId) out.push(u.change);
    });
    return out;
  }

  async function connect(opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
    const c = await mqtt.connectAsync(gw?.mqttUrl as string, { reconnectPeriod: 0, ...opts });
    clients.push(c);
    return c;
  }

  const publish = (c: MqttClient, deviceId: string, payload: object, kind: 'event' | 'status' = 'event') =>
    c.publishAsync(
      kind === 'event' ? eventTopic('tiny', deviceId) : statusTopic('tiny', deviceId),
      JSON.stringify(payload),
      { qos: 1, retain: kind === 'status' },
    );

  it('raises device-offline from a last will once, however often it is delivered, and clears it on reconnect', async () => {
    gw = await startTestGateway({ devices: { sweepS: 0.1 } });
    const changes = changesOf('gate-b1');
    const will = {
      topic: statusTopic('tiny', 'gate-b1'),
      payload: Buffer.from('{"online":false}'),
      qos: 1 as const,
      retain: true,
    };
    const device = await connect({ will });
    await publish(device, 'gate-b1', { online: true }, 'status');
    await publish(device, 'gate-b1', face('w-1', Date.now() - MINUTE, 'T-1'));
    device.stream.destroy(); // gone without DISCONNECT: the broker publishes its will

    const raised = await waitFor(() => offlineAlert('gate-b1'), 'the last will raised');
    expect(raised).toMatchObject({ status: 'open', severity: 'medium', subject: 'gate-b1', occurrences: 1 });
    expect(raised.evidence[0]?.text).toMatch(/^Last will: offline since \d{4}-/);

    // the retained will arrives again whenever the gateway (re)subscribes: the same verdict, not a new raise
    const other = await connect();
    await publish(other, 'gate-b1', { online: false }, 'status');
    await publish(other, 'gate-b1', { online: false }, 'status');
    await new Promise((r) => setTimeout(r, 400));
    expect(await offlineAlert('gate-b1')).toMatchObject({ id: raised.id, occurrences: 1, version: raised.version });

    const back = await connect({ will });
    await publish(back, 'gate-b1', { online: true }, 'status');
    await waitFor(async () => (await offlineAlert('gate-b1'))?.status === 'cleared', 'the reconnect cleared it');
    await waitFor(() => changes.length >= 2, 'the clear pushed');
    expect(changes).toEqual(['raised', 'cleared']);
  });

  it('takes an event newer than the will for the device being back, without an online status', async () => {
    gw = await startTestGateway({ devices: { sweepS: 0.1 } });
    const device = await connect();
    await publish(device, 'gate-b1', face('e-1', Date.now() - 2 * MINUTE, 'T-1'));
    await publish(device, 'gate-b1', { online: false }, 'status');
    await waitFor(async () => (await offlineAlert('gate-b1'))?.status === 'open', 'the will raised');
    await publish(device, 'gate-b1', face('e-2', Date.now() + 1000, 'T-1'));
    await waitFor(async () => (await offlineAlert('gate-b1'))?.status === 'cleared', 'the event cleared it');
  });

  it('raises a device silent in event time past its limit, with its lost events, and clears it when heard', async () => {
    gw = await startTestGateway({ devices: { sweepS: 0.1 }, estateDetection: { tiny: { faceGateSilenceH: 1 } } });
    const changes = changesOf('gate-b1');
    const device = await connect();
    const t0 = Date.now() - 5 * 60 * MINUTE;
    // seq 100..104 with 102 lost; the gate then goes quiet while the entrance gate keeps the estate's clock going
    for (const seq of [100, 101, 103, 104]) {
      await publish(device, 'gate-b1', { ...face(`s-${seq}`, t0 + seq * 1000, 'T-1'), seq });
    }
    await publish(device, 'gate-main', face('m-1', t0 + 50 * MINUTE, 'T-2'));
    await new Promise((r) => setTimeout(r, 400));
    expect(await offlineAlert('gate-b1')).toBeUndefined();

    await publish(device, 'gate-main', face('m-2', t0 + 92 * MINUTE, 'T-2'));
    const raised = await waitFor(() => offlineAlert('gate-b1'), 'silence raised');
    expect(raised.summary).toBe(
      'Face gate gate-b1 at building b1 has sent nothing for 1 h 30 min, expected at most 1 h.',
    );
    expect(raised.evidence[0]?.text).toMatch(/^Silent for 1 h 30 min, expected at most 1 h: its last event was at /);

    const res = await gw.app.inject({ headers: gw.as('operator'), url: '/estates/tiny/devices/gate-b1' });
    expect(res.json()).toMatchObject({ state: 'silent', lostEvents: 1, highestSeq: 104, expectedWithinS: 3600 });
    const silent = await gw.app.inject({ headers: gw.as('operator'), url: '/estates/tiny/devices?state=silent' });
    expect(silent.json().items.map((d: { deviceId: string }) => d.deviceId)).toEqual(['gate-b1']);

    // more sweeps while it stays silent change nothing; an event from it clears the alert
    await publish(device, 'gate-main', face('m-3', t0 + 100 * MINUTE, 'T-2'));
    await new Promise((r) => setTimeout(r, 400));
    await publish(device, 'gate-b1', { ...face('s-105', t0 + 101 * MINUTE, 'T-1'), seq: 105 });
    await waitFor(async () => (await offlineAlert('gate-b1'))?.status === 'cleared', 'the event cleared it');
    await waitFor(() => changes.length >= 2, 'the clear pushed');
    expect(changes).toEqual(['raised', 'cleared']);
  });
});

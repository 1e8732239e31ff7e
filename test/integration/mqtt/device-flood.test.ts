import mqtt from 'mqtt';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../src/adapters/ingest-batcher.js';
import { MqttIngest } from '../../../src/adapters/mqtt/ingest.js';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import type { Alert } from '../../../src/core/alerts.js';
import { access, face } from '../../helpers/contract.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { type PrivateBroker, startMosquitto } from '../../helpers/mosquitto.js';
import { waitFor } from '../../helpers/wait.js';

const FLOOD = 3000;
const LIMIT = { perSecond: 50, burst: 100 };
/** Devices within their limit: a known stream each, published while the flood is on. */
const QUIET = ['lock-b1-101', 'lock-b1-102', 'lock-b1-201'];
const PER_QUIET = 40;

describe('a flooding device', () => {
  let broker: PrivateBroker | undefined;
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.cleanup();
    await broker?.stop();
    gw = undefined;
    broker = undefined;
  });

  it('has its excess dead-lettered as device-flood and alerted, while other devices lose nothing', async () => {
    // the shared Mosquitto drops QoS 1 messages past 1,000 queued; a private one queues them all
    broker = await startMosquitto();
    gw = await startTestGateway({
      mqttUrl: broker.url,
      ingest: { deviceRate: { ...LIMIT, clearAfterS: 2, updateEveryS: 1 } },
    });
    const counted = new Map<string, number>();
    const dropped = new Map<string, number>();
    const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
    gw.bus.on('eventCounted', (e) => add(counted, e.binding.deviceId, 1));
    gw.bus.on('eventsFlooded', (f) => add(dropped, f.deviceId ?? '?', f.count));
    let otherRejections = 0;
    gw.bus.on('eventRejected', () => otherRejections++);

    const now = Date.now() - 60_000;
    const flooder = await mqtt.connectAsync(broker.url, { clientId: 'flooder' });
    const others = await mqtt.connectAsync(broker.url, { clientId: 'others' });
    const flood = Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        flooder.publishAsync(eventTopic('tiny', 'gate-b1'), JSON.stringify(face(`fl-${i}`, now, `T-${i}`)), {
          qos: 1,
        }),
      ),
    );
    // the other devices' stream, interleaved with the flood, each well within its limit
    for (let i = 0; i < PER_QUIET; i++) {
      for (const device of QUIET) {
        await others.publishAsync(
          eventTopic('tiny', device),
          JSON.stringify(access(`${device}-${i}`, now + i * 1000, String(i % 3))),
          { qos: 1 },
        );
      }
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 50));
    }
    await flood;

    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    await waitFor(
      () => total(counted) + total(dropped) === FLOOD + QUIET.length * PER_QUIET,
      'every event counted or dropped',
      30_000,
    );
    for (const device of QUIET)
      expect({ device, counted: counted.get(device) }).toEqual({ device, counted: PER_QUIET });
    expect([...dropped.keys()]).toEqual(['gate-b1']);
    const flooderCounted = counted.get('gate-b1') ?? 0;
    const flooderDropped = dropped.get('gate-b1') ?? 0;
    expect(flooderCounted + flooderDropped).toBe(FLOOD);
    // the burst always passes; 3,000 sent in less than a minute cannot all pass at 50/s
    expect(flooderCounted).toBeGreaterThanOrEqual(LIMIT.burst);
    expect(flooderDropped).toBeGreaterThan(0);
    expect(otherRejections).toBe(0);

    // the per-reason counter counts every dropped event; the stream holds a few aggregated letters that add up
    const admin = gw.as('admin');
    const letters = await waitFor(async () => {
      const body = (await gw?.app.inject({ headers: admin, url: '/dead-letters?limit=1000' }))?.json();
      const items = body.items as { reason: string; deviceId?: string; count?: number }[];
      const sum = items.reduce((a, d) => a + (d.count ?? 1), 0);
      return sum === flooderDropped && { counts: body.counts, items };
    }, 'the flood dead letters appended');
    expect(letters.counts).toEqual({ 'device-flood': flooderDropped });
    expect(new Set(letters.items.map((d) => `${d.reason}/${d.deviceId}`))).toEqual(new Set(['device-flood/gate-b1']));
    expect(letters.items.length).toBeLessThan(flooderDropped);

    const alertOf = async (status: string): Promise<Alert | undefined> => {
      const res = await gw?.app.inject({ headers: gw.as('operator'), url: '/alerts?kind=device-flood' });
      const items = res?.json().items as Alert[];
      return items.find((a) => a.deviceId === 'gate-b1' && a.status === status);
    };
    const open = await alertOf('open').then((a) => a ?? waitFor(() => alertOf('open'), 'the flood alert raised'));
    expect(open).toMatchObject({ kind: 'device-flood', subject: 'gate-b1', buildingId: 'b1', severity: 'medium' });
    const rate = open.evidence.find((e) => e.signal === 'observed-rate');
    expect(rate?.threshold).toBe(LIMIT.perSecond);
    expect(open.evidence.find((e) => e.signal === 'dropped')?.value).toBeGreaterThan(0);
    expect(open.evidence.find((e) => e.signal === 'dropped')?.value).toBeLessThanOrEqual(flooderDropped);

    // within its limit again: the alert clears after clearAfterS, and the police feed never heard of it
    const cleared = await waitFor(() => alertOf('cleared'), 'the flood alert cleared', 15_000);
    expect(cleared.clearedAt).toBeDefined();
    expect(await gw.redis.xlen(createKeys(gw.prefix).policeStream)).toBe(0);

    // every message was acknowledged, the dropped ones included: the gateway's session has nothing left
    const instanceId = gw.config.instanceId;
    const url = broker.url;
    await gw.cleanup();
    gw = undefined;
    let redelivered = 0;
    const log = pino({ level: 'silent' });
    const batcher = new IngestBatcher({
      ingest: (batch, flooded = []) => {
        redelivered += batch.length + flooded.length;
        return Promise.resolve({ counted: 0, duplicates: 0, rejected: 0, statuses: 0, alertUpdates: [] });
      },
      maxBatch: 500,
      log,
    });
    const session = new MqttIngest({ url, instanceId, batcher, log });
    await session.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(redelivered).toBe(0);
    await session.stop();
    await flooder.endAsync();
    await others.endAsync();
  });
});

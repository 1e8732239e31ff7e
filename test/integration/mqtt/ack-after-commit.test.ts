import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../src/adapters/ingest-batcher.js';
import { MqttIngest } from '../../../src/adapters/mqtt/ingest.js';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import type { IncomingMessage } from '../../../src/core/ingest.js';
import { type PrivateBroker, startMosquitto } from '../../helpers/mosquitto.js';
import { waitFor } from '../../helpers/wait.js';

const log = pino({ level: 'silent' });
const report = { counted: 0, duplicates: 0, rejected: 0, statuses: 0, alertUpdates: [] };

function ingestWith(
  url: string,
  instanceId: string,
  ingest: (b: readonly IncomingMessage[]) => Promise<typeof report>,
  maxPending?: number,
) {
  const batcher = new IngestBatcher({ ingest, maxBatch: 500, log });
  return {
    batcher,
    mqtt: new MqttIngest({ url, instanceId, batcher, log, ...(maxPending === undefined ? {} : { maxPending }) }),
  };
}

describe('MQTT ingest against Mosquitto', () => {
  let broker: PrivateBroker;
  afterEach(async () => broker?.stop());

  it('acknowledges a message only after its commit, so a crash before the commit gets it redelivered', async () => {
    broker = await startMosquitto();
    const instanceId = `ack-${randomUUID().slice(0, 8)}`;
    const received: string[] = [];
    // first gateway: receives but never commits, then dies without a clean disconnect
    const stuck = ingestWith(broker.url, instanceId, (batch) => {
      for (const m of batch) received.push(m.payload.toString());
      return new Promise(() => undefined);
    });
    await stuck.mqtt.start();
    const publisher = await mqtt.connectAsync(broker.url);
    for (let i = 0; i < 5; i++) await publisher.publishAsync(eventTopic('e1', 'd1'), `{"n":${i}}`, { qos: 1 });
    await waitFor(() => received.length === 5, 'five messages at the stuck gateway');
    await stuck.mqtt.abort();

    const committed: string[] = [];
    const healthy = ingestWith(broker.url, instanceId, (batch) => {
      for (const m of batch) committed.push(m.payload.toString());
      return Promise.resolve(report);
    });
    await healthy.mqtt.start();
    await waitFor(() => committed.length >= 5, 'redelivery of the five unacknowledged messages');
    expect([...new Set(committed)].sort()).toEqual(received.sort());
    await healthy.batcher.stop();
    await healthy.mqtt.stop();

    // everything was acknowledged after its commit: a third session receives nothing more
    const after: string[] = [];
    const third = ingestWith(broker.url, instanceId, (batch) => {
      for (const m of batch) after.push(m.payload.toString());
      return Promise.resolve(report);
    });
    await third.mqtt.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(after).toEqual([]);
    await third.mqtt.stop();
    await publisher.endAsync();
  });

  it('reads no further than maxPending messages past the last commit, then goes on, acknowledging each once', async () => {
    broker = await startMosquitto();
    const instanceId = `hold-${randomUUID().slice(0, 8)}`;
    const seen: string[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const gw = ingestWith(
      broker.url,
      instanceId,
      async (batch) => {
        for (const m of batch) seen.push(m.payload.toString());
        await gate;
        return report;
      },
      10,
    );
    await gw.mqtt.start();
    const publisher = await mqtt.connectAsync(broker.url);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => publisher.publishAsync(eventTopic('e1', 'd1'), `{"n":${i}}`, { qos: 1 })),
    );
    await waitFor(() => seen.length >= 10, 'the first ten messages');
    await new Promise((r) => setTimeout(r, 300));
    // ten wait for their commit and the eleventh holds the connection: mqtt.js parses nothing more
    expect(seen.length).toBe(11);
    open();
    await waitFor(() => seen.length >= 50, 'the rest once commits go through');
    await gw.batcher.stop();
    await gw.mqtt.stop();
    const after: string[] = [];
    const next = ingestWith(broker.url, instanceId, (batch) => {
      for (const m of batch) after.push(m.payload.toString());
      return Promise.resolve(report);
    });
    await next.mqtt.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `{"n":${i}}`).sort());
    expect(after).toEqual([]);
    await next.mqtt.stop();
    await publisher.endAsync();
  });

  it('commits a burst in batches instead of one message at a time, and acknowledges every message', async () => {
    broker = await startMosquitto();
    const instanceId = `batch-${randomUUID().slice(0, 8)}`;
    const sizes: number[] = [];
    const gw = ingestWith(broker.url, instanceId, async (batch) => {
      sizes.push(batch.length);
      await new Promise((r) => setTimeout(r, 2));
      return report;
    });
    await gw.mqtt.start();
    const publisher = await mqtt.connectAsync(broker.url);
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => publisher.publishAsync(eventTopic('e1', 'd1'), `{"n":${i}}`, { qos: 1 })),
    );
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) >= 2000, 'all 2000 messages committed');
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    await gw.batcher.stop();
    await gw.mqtt.stop();
    await publisher.endAsync();
  });
});

import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearStatuses, publishScenario } from '../../../simulators/lib/publisher.js';
import { smallScenario } from '../../../simulators/lib/small-scenario.js';
import { type PrivateBroker, startMosquitto } from '../../helpers/mosquitto.js';

// Against Mosquitto, the estates' broker, started privately: the shared one on 1883 queues at most 1,000 QoS 1
// messages per subscriber and drops the rest silently, which made this test lose events whenever the subscriber
// fell behind the burst (see ../shared/services.md). The private one has no such bound.
const estateId = `simtest-${randomUUID().slice(0, 8)}`;
const scenario = smallScenario({ estateId, days: 2, start: '2026-11-02T09:30:00+08:00' });
const expected = [...scenario.events()];

describe('simulator publishing to Mosquitto', () => {
  let subscriber: MqttClient;
  let publisher: MqttClient;
  const events = new Map<string, string[]>();
  const statuses = new Map<string, string>();
  let received = 0;

  let broker: PrivateBroker;

  beforeAll(async () => {
    broker = await startMosquitto();
    subscriber = await connectAsync(broker.url, { clientId: `sub-${estateId}`, clean: true });
    subscriber.on('message', (topic, payload) => {
      const body = payload.toString();
      if (topic.endsWith('/status')) {
        if (body) statuses.set(topic, body);
        return;
      }
      received++;
      const list = events.get(topic) ?? [];
      list.push(body);
      events.set(topic, list);
    });
    await subscriber.subscribeAsync([`linli/v1/${estateId}/+/event`, `linli/v1/${estateId}/+/status`], { qos: 1 });
    publisher = await connectAsync(broker.url, { clientId: `pub-${estateId}`, clean: true });
  });

  afterAll(async () => {
    // Exercises clearStatuses: on a shared broker retained statuses would outlive the run.
    await clearStatuses(publisher, scenario);
    await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
    await broker.stop();
  });

  it('delivers every generated event exactly once, as generated, in per-device order', async () => {
    const summary = await publishScenario(publisher, scenario, { maxInFlight: 100 });
    expect(summary.published).toBe(expected.length);
    expect(summary.statuses).toBe(scenario.deviceIds.length);

    const deadline = Date.now() + 15_000;
    while (received < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(received).toBe(expected.length);

    const byTopic = new Map<string, string[]>();
    for (const e of expected) {
      const list = byTopic.get(e.topic) ?? [];
      list.push(JSON.stringify(e.payload));
      byTopic.set(e.topic, list);
    }
    expect(events.size).toBe(byTopic.size);
    for (const [topic, payloads] of byTopic) expect(events.get(topic)).toEqual(payloads);
  });

  it('publishes one retained online status per device', () => {
    expect(statuses.size).toBe(scenario.deviceIds.length);
    for (const body of statuses.values()) expect(JSON.parse(body)).toMatchObject({ online: true });
  });
});

import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearStatuses, publishScenario } from '../../../simulators/lib/publisher.js';
import { smallScenario } from '../../../simulators/lib/small-scenario.js';

// Against the estates' broker, Mosquitto. A unique estate id keeps this run apart from any other on the broker.
const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const estateId = `simtest-${randomUUID().slice(0, 8)}`;
// Two days of the small estate (a few thousand events): Debian's Mosquitto queues at most 1,000 messages per
// subscriber and drops the rest silently, so the burst stays small and the window narrow.
const scenario = smallScenario({ estateId, days: 2, start: '2026-11-02T09:30:00+08:00' });
const expected = [...scenario.events()];

describe('simulator publishing to Mosquitto', () => {
  let subscriber: MqttClient;
  let publisher: MqttClient;
  const events = new Map<string, string[]>();
  const statuses = new Map<string, string>();
  let received = 0;

  beforeAll(async () => {
    subscriber = await connectAsync(MQTT_URL, { clientId: `sub-${estateId}`, clean: true });
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
    publisher = await connectAsync(MQTT_URL, { clientId: `pub-${estateId}`, clean: true });
  });

  afterAll(async () => {
    // Retained statuses would outlive the test on the shared broker.
    await clearStatuses(publisher, scenario);
    await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
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

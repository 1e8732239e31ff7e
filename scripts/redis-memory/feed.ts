import type { Scenario } from '../../simulators/lib/index.js';
import { parseTopic, statusTopic } from '../../src/adapters/mqtt/topics.js';
import type { IncomingMessage } from '../../src/core/ingest.js';
import type { Engine } from '../../src/engine.js';

export type FeedProgress = { day: number; days: number; date: string; messages: number };

const message = (topic: string, payload: unknown): IncomingMessage => ({
  topic,
  origin: parseTopic(topic),
  payload: Buffer.from(JSON.stringify(payload)),
});

/**
 * Feeds a scenario's messages to the engine in event-time order, as the simulator publishes them: every device's
 * retained status first, then each day's events with its status changes, in batches the size the MQTT batcher
 * makes. No broker in between: what is measured is the state the correlation writes, not the transport.
 */
export async function feedScenario(
  engine: Engine,
  scenario: Scenario,
  opts: { batchSize: number; onDay?: (p: FeedProgress) => void | Promise<void> },
): Promise<number> {
  const calendar = scenario.calendar;
  const online = { online: true, ts: calendar.format(calendar.startMs), firmware: 'sim-1.0.0' };
  let batch = scenario.deviceIds.map((id) => message(statusTopic(scenario.estate.id, id), online));
  let messages = 0;
  const flush = async () => {
    if (!batch.length) return;
    await engine.ingest(batch);
    messages += batch.length;
    batch = [];
  };
  let days = 0;
  for (const day of scenario.days()) {
    const changes = [...day.statuses];
    for (const event of day.events) {
      while (changes[0] && changes[0].tsMs <= event.tsMs) {
        const change = changes.shift() as (typeof changes)[number];
        batch.push(message(change.topic, change.payload));
      }
      batch.push(message(event.topic, event.payload));
      if (batch.length >= opts.batchSize) await flush();
    }
    for (const change of changes) batch.push(message(change.topic, change.payload));
    await flush();
    await opts.onDay?.({ day: ++days, days: calendar.calendarDays, date: day.date, messages });
  }
  return messages;
}

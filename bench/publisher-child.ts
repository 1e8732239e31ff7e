/**
 * The publisher process: reads the workload's NDJSON once, then publishes slices of it at QoS 1, as fast as the
 * broker acknowledges or paced at a fixed rate, and reports when each message left. It may also publish probe
 * alarms (raise, clear, raise, …) on the probe devices, whose publish times the parent pairs with the alerts its
 * WebSocket client receives.
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { wallMs } from './clock.js';
import type { ParentToPublisher, ProbeSent, PublisherToParent } from './protocol.js';

const [url, eventsFile] = process.argv.slice(2);
if (!url || !eventsFile) throw new Error('usage: publisher-child MQTT_URL EVENTS_FILE');

const topics: string[] = [];
const payloads: Buffer[] = [];
/** Each message's event time (epoch ms; 0 for a status without one): the probes are stamped in the workload's time. */
const eventMs: number[] = [];
for (const line of readFileSync(eventsFile, 'utf8').split('\n')) {
  if (!line) continue;
  const { topic, payload } = JSON.parse(line) as { topic: string; payload: { ts?: string } };
  topics.push(topic);
  payloads.push(Buffer.from(JSON.stringify(payload)));
  eventMs.push(payload.ts ? Date.parse(payload.ts) : 0);
}

const MAX_IN_FLIGHT = 2000;
const client = await mqtt.connectAsync(url, { clientId: `bench-publisher-${process.pid}`, protocolVersion: 4 });
const send = (m: PublisherToParent) => process.send?.(m);

let inFlight = 0;
let wake: (() => void) | undefined;
const publish = (topic: string, payload: Buffer | string) => {
  inFlight++;
  client.publish(topic, payload, { qos: 1 }, (err) => {
    if (err) send({ type: 'error', error: err.message });
    inFlight--;
    wake?.();
  });
};
const waitUntil = (ready: () => boolean): Promise<void> =>
  ready()
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        wake = () => {
          if (!ready()) return;
          wake = undefined;
          resolve();
        };
      });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let probeSeq = 0;
let probeMs = 0;
let publishedMs = 0;
/**
 * A probe's event time: the newest of the workload's published so far, and always a second past the probe before,
 * so a device's raise and clear are never tied. Wall-clock times would put the estate's clock weeks ahead of the
 * workload (a scenario played from 30 days ago): every workload device would look silent, and each of its events
 * would update a device-offline alert, load the gateway under measurement does not have in the field.
 */
function probeTime(): string {
  probeMs = Math.max(probeMs + 1000, publishedMs || Date.now());
  return new Date(probeMs).toISOString();
}

async function run(m: Extract<ParentToPublisher, { type: 'run' }>): Promise<void> {
  const times = new Float64Array(m.count);
  const probes: ProbeSent[] = [];
  const started = wallMs();
  let nextProbe = m.probe ? started + m.probe.everyMs : Number.POSITIVE_INFINITY;
  for (let i = 0; i < m.count; ) {
    const now = wallMs();
    if (m.probe && now >= nextProbe) {
      const device = m.probe.devices[probeSeq % m.probe.devices.length] as string;
      // each device alternates raise and clear, so every probe is an alert change the feed carries
      const active = Math.floor(probeSeq / m.probe.devices.length) % 2 === 0;
      const payload = {
        id: `probe-${process.pid}-${probeSeq}`,
        seq: probeSeq,
        ts: probeTime(),
        type: 'alarm',
        alarm: 'smoke',
        active,
      };
      publish(`linli/v1/${m.probe.estateId}/${device}/event`, JSON.stringify(payload));
      probes.push({ device, active, sentMs: wallMs() });
      probeSeq++;
      nextProbe += m.probe.everyMs;
    }
    const due = m.rate === null ? m.count : Math.min(m.count, Math.floor(((now - started) * m.rate) / 1000) + 1);
    while (i < due && inFlight < MAX_IN_FLIGHT) {
      const at = m.from + i;
      publish(topics[at] as string, payloads[at] as Buffer);
      publishedMs = Math.max(publishedMs, eventMs[at] as number);
      times[i++] = wallMs();
    }
    if (inFlight >= MAX_IN_FLIGHT) await waitUntil(() => inFlight < MAX_IN_FLIGHT);
    else if (i < m.count) await sleep(1);
  }
  await waitUntil(() => inFlight === 0);
  send({ type: 'done', times: Array.from(times), probes, elapsedMs: wallMs() - started });
}

process.on('message', (m: ParentToPublisher) => {
  if (m.type === 'run') void run(m).catch((err: Error) => send({ type: 'error', error: err.stack ?? err.message }));
  if (m.type === 'stop') void client.endAsync().then(() => process.exit(0));
});
send({ type: 'ready', count: topics.length, keys: topics.map((t, i) => eventKey(t, payloads[i] as Buffer)) });

function eventKey(topic: string, payload: Buffer): string {
  return `${topic.split('/')[3]}/${(JSON.parse(payload.toString()) as { id: string }).id}`;
}

/**
 * The baseline: the fastest this machine moves the same messages from the broker into Redis, without Linli's
 * guarantees. An mqtt.js subscriber whose client acknowledges each message on arrival, parses its JSON and runs
 * one pipelined EVALSHA per event (a counter per device); nothing is validated, deduplicated or correlated.
 */

import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { serveCommitLog } from './consumer-report.js';

const [mqttUrl, redisUrl] = process.argv.slice(2);
if (!mqttUrl || !redisUrl) throw new Error('usage: baseline-child MQTT_URL REDIS_URL');

const redis = new Redis(redisUrl, { enableAutoPipelining: true });
const sha = (await redis.script('LOAD', "return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)")) as string;
const client = await mqtt.connectAsync(mqttUrl, {
  clientId: `bench-baseline-${process.pid}`,
  clean: true,
  protocolVersion: 4,
});
const log = serveCommitLog(async () => {
  await client.endAsync();
  redis.disconnect();
});
client.on('message', (topic, payload) => {
  const event = JSON.parse(payload.toString()) as { id: string; type: string };
  const device = topic.split('/')[3] as string;
  void redis.evalsha(sha, 1, `baseline:{${device}}`, event.type).then(() => log.committed(`${device}/${event.id}`));
});
await client.subscribeAsync('linli/v1/+/+/event', { qos: 1 });
process.send?.({ type: 'ready' });

import mqtt from 'mqtt';
import { scanKeys } from '../../src/adapters/redis/scan-keys.js';
import { malformedCorpus } from '../corpus.js';
import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { noCrash, verdict } from '../verdict.js';

/** What the store holds apart from the dead letters, key by key. */
async function storeKeys(redis: import('ioredis').Redis): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of scanKeys(redis, '*')) keys.push(...batch.filter((k) => !k.includes(':{dlq}:')));
  return keys.sort();
}

/**
 * The corpus first, each message several times, then the whole stream: nothing crashes, nothing of the corpus
 * reaches the store (no key but the dead letters changes), every one of them is dead-lettered with its reason,
 * and the stream after it is counted as if the corpus had never come.
 */
export const malformed: Scenario = {
  name: 'malformed',
  about:
    'malformed input corpus: 0 crashes, 0 Redis writes from invalid events, every one dead-lettered with its reason',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('malformed');
    const devices = ctx.registry.estate(ctx.workload.estateId)?.devices;
    const lock = [...(devices?.values() ?? [])].find((d) => d.kind === 'door-lock');
    const gate = [...(devices?.values() ?? [])].find((d) => d.kind === 'face-gate');
    if (!lock || !gate) throw new Error('the workload estate has no lock or no face gate');
    const corpus = malformedCorpus(ctx.workload, lock.deviceId, gate.deviceId);
    const copies = 5;
    await gateway.start();
    const before = await storeKeys(ctx.redis.client);
    const client = await mqtt.connectAsync(broker.url, { clientId: 'chaos-malformed', protocolVersion: 4 });
    for (let i = 0; i < copies; i++) {
      for (const bad of corpus) await client.publishAsync(bad.topic, bad.payload, { qos: 1 });
    }
    await client.endAsync();
    await ctx.drain(gateway);
    const after = await storeKeys(ctx.redis.client);
    const written = after.filter((k) => !before.includes(k));
    await publishAll(broker.url, ctx.workload.messages);
    await ctx.drain(gateway);
    const expected: Record<string, number> = {};
    for (const bad of corpus) expected[bad.reason] = (expected[bad.reason] ?? 0) + copies;
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: corpus.length * copies + ctx.workload.messages.length,
      reported: gateway.handled,
      expectedDeadLetters: expected,
      figures: { corpus: corpus.length, copies, keysWrittenByCorpus: written.length },
      checks: [
        noCrash(gateway),
        {
          check: 'no Redis writes from invalid events',
          ok: written.length === 0,
          detail: written.length ? `new keys: ${written.slice(0, 5).join(', ')}` : 'no key but the dead letters',
        },
      ],
    });
  },
};

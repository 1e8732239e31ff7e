import { describe, expect, it } from 'vitest';
import { loadEstateFiles } from '../../../src/adapters/estate-files.js';
import { parseTopic } from '../../../src/adapters/mqtt/topics.js';
import { RedisDeadLetters } from '../../../src/adapters/redis/dead-letter-store.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { IncomingMessage } from '../../../src/core/ingest.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import type { Rejection } from '../../../src/core/rejections.js';
import { createEngine } from '../../../src/engine.js';
import { createLogger } from '../../../src/logger.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const deadLetters = () => new RedisDeadLetters({ redis: ctx.redis, keys: ctx.keys, retentionDays: 14, maxLen: 1000 });
const bad = (deliveryKey?: string): Rejection => ({
  reason: 'invalid-json',
  detail: 'Unexpected end of JSON input',
  topic: 'linli/v1/tiny/lock-b1-101/event',
  estateId: 'tiny',
  deviceId: 'lock-b1-101',
  preview: '{"id":',
  ...(deliveryKey ? { deliveryKey } : {}),
});

describe('dead letters of a retried batch', () => {
  it('records a delivery once however often it is recorded, and a delivery without a key every time', async () => {
    const dl = deadLetters();
    await dl.record([bad('d1'), bad('d2')]);
    await dl.record([bad('d1'), bad('d2')]);
    expect(await dl.counts()).toEqual({ 'invalid-json': 2 });
    expect(await dl.list({ limit: 10 })).toHaveLength(2);
    await dl.record([bad()]);
    await dl.record([bad()]);
    expect(await dl.counts()).toEqual({ 'invalid-json': 4 });
  });

  it('counts a batch’s flood record once when the batch is retried', async () => {
    const dl = deadLetters();
    const flood = {
      estateId: 'tiny',
      deviceId: 'gate-b1',
      topic: 'linli/v1/tiny/gate-b1/event',
      count: 40,
      first: { seq: 1, id: 'e1' },
      last: { seq: 40, id: 'e40' },
      preview: '{"seq":1}',
    };
    await dl.recordFloods([{ ...flood, deliveryKey: 'f1' }], Date.now());
    await dl.recordFloods([{ ...flood, deliveryKey: 'f1' }], Date.now());
    await dl.recordFloods([{ ...flood, deliveryKey: 'f2' }], Date.now());
    expect((await dl.counts())['device-flood']).toBe(80);
  });

  it('through the ingest use case: the same batch ingested again counts its events and its dead letters once', async () => {
    const config = ConfigSchema.parse({
      redis: { keyPrefix: ctx.prefix },
      estates: ['test/fixtures/estate.tiny.json'],
      privacy: { pseudonymKey: 'dead-letter-once-test-key-of-32-characters' },
    });
    const registry = new EstateRegistry(loadEstateFiles(config.estates));
    const engine = createEngine({ config, redis: ctx.redis, registry, log: createLogger('silent'), maxFutureMs: null });
    const message = (n: number, payload: string): IncomingMessage => {
      const topic = 'linli/v1/tiny/lock-b1-101/event';
      return { topic, origin: parseTopic(topic), payload: Buffer.from(payload), deliveryKey: `test:${n}` };
    };
    const ts = '2026-11-26T08:00:00+08:00';
    const batch = [
      message(1, JSON.stringify({ id: 'a1', seq: 1, ts, type: 'access', method: 'card', credential: '7', ok: true })),
      message(2, '{"id":"broken'),
      message(3, JSON.stringify({ id: 'a3', seq: 3, ts, type: 'access', method: 'teleport', ok: true })),
    ];
    // a batch whose commit failed half-way is ingested again, whole, with the same messages
    const first = await engine.ingest(batch);
    const retry = await engine.ingest(batch);
    expect(first).toMatchObject({ counted: 1, duplicates: 0, rejected: 2 });
    expect(retry).toMatchObject({ counted: 0, duplicates: 1, rejected: 2 });
    expect(await engine.deadLetters.counts()).toEqual({ 'invalid-json': 1, 'invalid-event': 1 });
  });
});

import type { Cluster, Redis } from 'ioredis';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { createPseudonymiser } from '../../../src/adapters/privacy/pseudonymiser.js';
import { decodeDraft } from '../../../src/adapters/redis/draft-codec.js';
import { access, face } from '../../helpers/contract.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { keysUnder } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Identifiers carrying a canary go in through MQTT; afterwards the canary is nowhere: not in a Redis dump, the logs,
 * the dead letters, the audit log or any WebSocket frame. Then the residents are erased, and their pseudonyms are
 * gone from Redis too, with the unit's estimate decided again.
 */
const CANARY = 'CANARY7f3a';
const DAY = 86_400_000;
const RESIDENTS = [1, 2, 3, 4, 5];
const person = (r: number) => `${CANARY}-person-${r}`;
const credential = (r: number) => `${CANARY}-cred-${r}`;

/** Every value under the prefix, whatever its type, as one text; encoded drafts decoded. */
async function dump(redis: Redis | Cluster, prefix: string): Promise<string> {
  const out: string[] = [];
  for (const key of await keysUnder(prefix, redis)) {
    const type = await redis.type(key);
    out.push(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, '0', '-1')));
    else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  // alert drafts are stored deflated (draft-codec.ts): read them as they would be served, or a canary inside one
  // would pass unseen
  return out.join('\n').replace(/z\d+:[A-Za-z0-9+/=]+/g, (encoded) => JSON.stringify(decodeDraft(encoded)));
}

describe('privacy: canary and erasure', () => {
  let gw: TestGateway;
  const frames: string[] = [];
  let handled = 0;

  beforeAll(async () => {
    gw = await startTestGateway();
    gw.bus.on('eventCounted', () => handled++);
    gw.bus.on('eventRejected', () => handled++);
    for (const [path, role] of [
      ['/ws/alerts', 'operator'],
      ['/ws/police', 'police'],
    ] as const) {
      await gw.app.injectWS(
        path,
        { headers: gw.as(role) },
        { onInit: (s) => s.on('message', (d) => frames.push(String(d))) },
      );
    }
    const device = await mqtt.connectAsync(gw.mqttUrl);
    const start = Date.now() - 4 * DAY;
    let sent = 0;
    const send = async (deviceId: string, payload: object) => {
      sent++;
      await device.publishAsync(eventTopic('tiny', deviceId), JSON.stringify(payload), { qos: 1 });
    };
    // five residents of b1-102 (capacity 2, 2 registered) come home through the building door every day
    for (let d = 0; d < 4; d++) {
      for (const r of RESIDENTS) {
        const t = start + d * DAY + r * 600_000;
        await send('gate-b1', face(`f-${d}-${r}`, t, person(r), true));
        await send('lock-b1-102', access(`o-${d}-${r}`, t + 30_000, credential(r)));
      }
    }
    // and a malformed event with the canary in it: dead-lettered, its identifiers not kept
    await send('lock-b1-102', {
      id: 'bad-1',
      seq: 1,
      ts: 'yesterday',
      type: 'access',
      credential: credential(9),
      ok: 'yes',
    });
    await device.endAsync();
    await waitFor(() => handled >= sent, 'every event handled', 20_000);
    await waitFor(async () => {
      const res = await gw.app.inject({ url: '/alerts?kind=group-rental-suspected', headers: gw.as('operator') });
      return res.json().items.length === 1;
    }, 'the group-rental alert');
    await waitFor(() => frames.some((f) => f.includes('"type":"case"')), 'the case on the control-room feed');
  });
  afterAll(() => gw?.cleanup());

  it('keeps the canary out of Redis, the logs, the dead letters, the audit log and every frame', async () => {
    const everything = await dump(gw.redis, gw.prefix);
    expect(everything).toContain('invalid-event'); // the dead letter is there, without the canary
    expect(everything).not.toContain(CANARY);
    expect(gw.logs.text()).not.toContain(CANARY);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.join('\n')).not.toContain(CANARY);
    const audit = await gw.app.inject({ url: '/audit?limit=1000', headers: gw.as('auditor') });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(CANARY);
    const dl = await gw.app.inject({ url: '/dead-letters', headers: gw.as('supervisor') });
    expect(dl.json().items).toHaveLength(1);
    expect(dl.body).not.toContain(CANARY);
  });

  it('erases residents on request, from every unit and building, and decides the unit again', async () => {
    const pseudonymise = createPseudonymiser(gw.config.privacy.pseudonymKey as string, 1);
    const pseudonyms = RESIDENTS.flatMap((r) => [
      pseudonymise('tiny', 'person', person(r)),
      pseudonymise('tiny', 'cred:lock-b1-102', credential(r)),
    ]);
    const before = await dump(gw.redis, gw.prefix);
    for (const p of pseudonyms) expect(before).toContain(p);
    const unitBefore = (await gw.app.inject({ url: '/estates/tiny/units/b1-102', headers: gw.as('operator') })).json();
    expect(unitBefore.estimate.people).toBe(5);

    for (const r of RESIDENTS) {
      const res = await gw.app.inject({
        method: 'POST',
        url: '/privacy/erasures',
        headers: gw.as('admin'),
        payload: { estate: 'tiny', person: person(r), credential: { lock: 'lock-b1-102', id: credential(r) } },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().units).toEqual(['b1-102']);
    }
    const after = await dump(gw.redis, gw.prefix);
    for (const p of pseudonyms) expect(after).not.toContain(p);
    const unitAfter = (await gw.app.inject({ url: '/estates/tiny/units/b1-102', headers: gw.as('operator') })).json();
    expect(unitAfter.estimate.people).toBe(0);

    const audit = (await gw.app.inject({ url: '/audit?limit=1000', headers: gw.as('auditor') })).json().items;
    const erasures = audit.filter((e: { action: string }) => e.action === 'privacy.erase');
    expect(erasures).toHaveLength(RESIDENTS.length);
    expect(erasures[0]).toMatchObject({ actor: 'test-admin', role: 'admin', object: 'estate tiny', result: 'ok' });
    expect(JSON.stringify(audit)).not.toContain(CANARY);
  });

  it('refuses erasure to anyone but an admin, and says what a request lacks', async () => {
    const ask = (role: 'admin' | 'supervisor', payload: object) =>
      gw.app.inject({ method: 'POST', url: '/privacy/erasures', headers: gw.as(role), payload });
    expect((await ask('supervisor', { estate: 'tiny', person: 'x' })).statusCode).toBe(403);
    const empty = await ask('admin', { estate: 'tiny' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toContain('name the person');
    expect((await ask('admin', { estate: 'tiny', credential: { lock: 'gate-b1', id: '3' } })).statusCode).toBe(404);
    expect((await ask('admin', { estate: 'nowhere', person: 'x' })).statusCode).toBe(404);
  });
});

import type { RejectReason } from '../src/core/rejections.js';
import type { ChaosWorkload } from './workload.js';

export type BadMessage = { label: string; topic: string; payload: Buffer; reason: RejectReason };

/**
 * Messages no device should send, each with the reason the gateway must give: broken JSON and encodings, wrong
 * types, oversized and deeply nested payloads, prototype keys that must not stand in for missing fields, raw
 * biometrics, and events on the wrong device or on none.
 */
export function malformedCorpus(w: ChaosWorkload, lockId: string, gateId: string): BadMessage[] {
  const topic = (device: string, kind = 'event') => `linli/v1/${w.estateId}/${device}/${kind}`;
  const ts = new Date().toISOString();
  const access = { id: 'bad-1', seq: 1, ts, type: 'access', method: 'card', credential: '7', ok: true };
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const nested = `${'['.repeat(1000)}1${']'.repeat(1000)}`;
  const corpus: BadMessage[] = [
    { label: 'truncated JSON', topic: topic(lockId), payload: Buffer.from('{"id":"x","seq":'), reason: 'invalid-json' },
    { label: 'not JSON at all', topic: topic(lockId), payload: Buffer.from('open sesame'), reason: 'invalid-json' },
    { label: 'an array', topic: topic(lockId), payload: json([access]), reason: 'not-an-object' },
    { label: 'null', topic: topic(lockId), payload: Buffer.from('null'), reason: 'not-an-object' },
    { label: 'seq as a string', topic: topic(lockId), payload: json({ ...access, seq: '1' }), reason: 'invalid-event' },
    {
      label: 'time without offset',
      topic: topic(lockId),
      payload: json({ ...access, ts: '2026-11-26 08:00' }),
      reason: 'invalid-event',
    },
    {
      label: 'unknown type',
      topic: topic(lockId),
      payload: json({ ...access, type: 'teleport' }),
      reason: 'invalid-event',
    },
    { label: 'ok as a string', topic: topic(lockId), payload: json({ ...access, ok: 'yes' }), reason: 'invalid-event' },
    { label: 'fields missing', topic: topic(lockId), payload: json({ type: 'access' }), reason: 'invalid-event' },
    {
      label: '1 MiB payload',
      topic: topic(lockId),
      payload: json({ ...access, note: 'x'.repeat(1024 * 1024) }),
      reason: 'payload-too-large',
    },
    {
      label: 'deeply nested credential',
      topic: topic(lockId),
      payload: Buffer.from(JSON.stringify({ ...access, credential: 0 }).replace('0', nested)),
      reason: 'invalid-event',
    },
    {
      label: '__proto__ standing in for the type and method',
      topic: topic(lockId),
      payload: Buffer.from(`{"__proto__":{"type":"access","method":"card","ok":true},"id":"p1","seq":2,"ts":"${ts}"}`),
      reason: 'invalid-event',
    },
    {
      label: 'constructor.prototype keys',
      topic: topic(lockId),
      payload: Buffer.from(`{"constructor":{"prototype":{"ok":true}},"id":"p2","seq":3,"ts":"${ts}","type":"access"}`),
      reason: 'invalid-event',
    },
    {
      label: 'invalid UTF-8',
      topic: topic(lockId),
      payload: Buffer.concat([
        Buffer.from('{"id":"u1","seq":4,"ts":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}'),
      ]),
      reason: 'invalid-utf8',
    },
    {
      label: 'a face event on a lock',
      topic: topic(lockId),
      payload: json({ id: 'f1', seq: 5, ts, type: 'face', person: 'L-1', known: true, direction: 'in', score: 0.9 }),
      reason: 'type-not-allowed-for-device',
    },
    {
      label: 'raw face image',
      topic: topic(gateId),
      payload: json({
        id: 'f2',
        seq: 6,
        ts,
        type: 'face',
        person: 'L-1',
        known: true,
        direction: 'in',
        score: 0.9,
        image: 'iVBORw0KGgo=',
      }),
      reason: 'biometric-data',
    },
    { label: 'unknown device', topic: topic('no-such-device'), payload: json(access), reason: 'unknown-device' },
    {
      label: 'unknown estate',
      topic: `linli/v1/no-such-estate/${lockId}/event`,
      payload: json(access),
      reason: 'unknown-estate',
    },
    {
      label: 'status of the wrong shape',
      topic: topic(lockId, 'status'),
      payload: json({ online: 'maybe' }),
      reason: 'invalid-status',
    },
  ];
  return corpus;
}

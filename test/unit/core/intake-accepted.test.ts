import { describe, expect, it } from 'vitest';
import type { AcceptedEvent, IntakeResult } from '../../../src/core/intake.js';
import { localDay } from '../../../src/core/time.js';
import { accessPayload, at, classify, DAY0, facePayload, fixedPseudonymiser, TZ } from '../../helpers/core-fixtures.js';

/** The examples of contract v1 (shared/contract/mqtt-v1.md), verbatim, with a device of the right kind. */
const CONTRACT_EXAMPLES: [deviceId: string, json: string][] = [
  [
    'gate-b1',
    '{"id":"b7-f381","seq":381,"ts":"2026-11-26T07:41:09+08:00","type":"face","person":"L-10293","known":true,"direction":"in","score":0.94}',
  ],
  [
    'gate-b1',
    '{"id":"b7-f382","seq":382,"ts":"2026-11-26T07:41:15+08:00","type":"face","person":"T-7f2c91","known":false,"direction":"in","score":0.88}',
  ],
  [
    'lock-b1-101',
    '{"id":"9e1c","seq":5121,"ts":"2026-11-26T07:42:01+08:00","type":"access","method":"fingerprint","credential":"3","ok":true}',
  ],
  [
    'lock-b1-101',
    '{"id":"9e1d","seq":5122,"ts":"2026-11-26T21:03:44+08:00","type":"credential","action":"enrolled","method":"fingerprint","credential":"7"}',
  ],
  [
    'stair-b1-1',
    '{"id":"p-88120","seq":88120,"ts":"2026-11-26T08:00:00+08:00","type":"passage","in":4,"out":9,"periodS":300}',
  ],
  [
    'smoke-b1-101',
    '{"id":"a-17","seq":17,"ts":"2026-11-26T02:12:40+08:00","type":"alarm","alarm":"smoke","active":true}',
  ],
];
const NOW = Date.parse('2026-11-26T21:05:00+08:00');

function accepted(r: IntakeResult): AcceptedEvent {
  if (r.kind !== 'event') throw new Error(`expected an accepted event, got ${JSON.stringify(r)}`);
  return r.accepted;
}

describe('classifyMessage accepts', () => {
  it.each(CONTRACT_EXAMPLES)('the contract example from %s: %s', (deviceId, json) => {
    const a = accepted(classify(deviceId, json, { nowMs: NOW, maxFutureMs: 300_000 }));
    const sent = JSON.parse(json) as Record<string, unknown>;
    expect(a.binding.deviceId).toBe(deviceId);
    expect(a.tsMs).toBe(Date.parse(sent.ts as string));
    expect(a.day).toBe(DAY0);
    expect(Object.keys(a.event).sort()).toEqual(Object.keys(sent).sort());
    const { person: _p, credential: _c, ...plain } = sent;
    expect(a.event).toMatchObject(plain);
  });

  it('files an event at 02:12 Shanghai time under the local day, not the UTC day', () => {
    const [, json] = CONTRACT_EXAMPLES[5] as [string, string];
    expect(accepted(classify('smoke-b1-101', json, { nowMs: NOW })).day).toBe(localDay(NOW, TZ));
  });

  it('drops fields outside the contract', () => {
    const a = accepted(
      classify('gate-b1', { ...facePayload('f-1', at(0), 'L-1'), vendor: { model: 'X1' }, temp: 36.6 }),
    );
    expect(a.event).not.toHaveProperty('vendor');
    expect(a.event).not.toHaveProperty('temp');
  });

  it('never lets __proto__ or constructor keys reach the event or any prototype', () => {
    const body = JSON.stringify(facePayload('f-1', at(0), 'L-1')).slice(1);
    const json = `{"__proto__":{"polluted":"yes","known":false},"constructor":{"prototype":{"polluted":"yes"}},${body}`;
    const a = accepted(classify('gate-b1', json));
    expect(Object.getPrototypeOf(a.event)).toBe(Object.prototype);
    expect(Object.hasOwn(a.event, '__proto__')).toBe(false);
    expect(Object.hasOwn(a.event, 'constructor')).toBe(false);
    expect((a.event as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(a.event).toMatchObject({ type: 'face', known: true });
  });

  it.each(['password', 'key'])('ignores a credential on a %s opening, which carries no identity', (method) => {
    const a = accepted(classify('lock-b1-101', accessPayload('o-1', at(0), 'slot-9', { method })));
    expect(a.event).toMatchObject({ type: 'access', method, ok: true });
    expect(a.event).not.toHaveProperty('credential');
  });

  it('accepts a random event id and a track id that begin like an image header', () => {
    const a = accepted(classify('gate-b1', { ...facePayload('Qk0xNzc2', at(0), 'R0lGODzz', false), id: 'Qk0xNzc2' }));
    expect(a.event).toMatchObject({ id: 'Qk0xNzc2' });
  });

  it('ignores a field of another event type, such as a person on an opening', () => {
    const a = accepted(classify('lock-b1-101', { ...accessPayload('o-1', at(0), '3'), person: 'L-10293' }));
    expect(a.event).not.toHaveProperty('person');
  });
});

describe('pseudonymisation', () => {
  const RAW = ['CANARY-person-4711', 'CANARY-track-0815', 'CANARY-cred-42'];

  it('keeps no raw person, track or credential id in the accepted event', () => {
    const events = [
      accepted(classify('gate-b1', facePayload('f-1', at(0), RAW[0] as string, true))),
      accepted(classify('gate-main', facePayload('f-2', at(0), RAW[1] as string, false))),
      accepted(classify('lock-b1-101', accessPayload('o-1', at(0), RAW[2] as string))),
      accepted(
        classify('lock-b1-101', {
          ...accessPayload('c-1', at(0), RAW[2] as string),
          type: 'credential',
          action: 'removed',
        }),
      ),
    ];
    for (const a of events) {
      const json = JSON.stringify(a.event);
      for (const raw of RAW) expect(json).not.toContain(raw);
    }
  });

  it('gives a registered person the same pseudonym at every gate of the estate', () => {
    const atMain = accepted(classify('gate-main', facePayload('f-1', at(0), 'L-10293', true)));
    const atBuilding = accepted(classify('gate-b1', facePayload('f-2', at(0), 'L-10293', true)));
    expect(atMain.event).toMatchObject({ person: fixedPseudonymiser('tiny', 'person', 'L-10293') });
    expect(atBuilding.event).toMatchObject({ person: fixedPseudonymiser('tiny', 'person', 'L-10293') });
  });

  it('scopes an unregistered track id to the gate that assigned it', () => {
    const atMain = accepted(classify('gate-main', facePayload('f-1', at(0), 'T-7f2c91', false)));
    const atBuilding = accepted(classify('gate-b1', facePayload('f-2', at(0), 'T-7f2c91', false)));
    expect(atMain.event).toMatchObject({ person: fixedPseudonymiser('tiny', 'track:gate-main', 'T-7f2c91') });
    expect((atMain.event as { person: string }).person).not.toBe((atBuilding.event as { person: string }).person);
  });

  it('scopes a credential slot to its lock, so slot 3 on two locks is two credentials', () => {
    const a = accepted(classify('lock-b1-101', accessPayload('o-1', at(0), '3')));
    const b = accepted(classify('lock-b1-102', accessPayload('o-1', at(0), '3')));
    expect(a.event).toMatchObject({ credential: fixedPseudonymiser('tiny', 'cred:lock-b1-101', '3') });
    expect((a.event as { credential: string }).credential).not.toBe((b.event as { credential: string }).credential);
  });
});

describe('rejections keep no identifier', () => {
  const CANARY = 'CANARY-4711';
  const face = () => facePayload('f-1', at(0), CANARY);
  const opening = () => accessPayload('o-1', at(0), CANARY);
  const cases: [name: string, deviceId: string, payload: string | Buffer, reason: string][] = [
    ['a trailing comma', 'gate-b1', `${JSON.stringify(face()).slice(0, -1)},}`, 'invalid-json'],
    // V8 quotes the payload around the error in some messages: a short identifier sits inside that quote
    [
      'a bad literal after a short credential',
      'lock-b1-101',
      '{"id":"o-1","credential":"4711","ok":x}',
      'invalid-json',
    ],
    ['a bad literal after a short person', 'gate-b1', '{"person":"4711","k":x}', 'invalid-json'],
    ['a bad literal after the person', 'gate-b1', `{"person":"${CANARY}","known":t}`, 'invalid-json'],
    ['an unquoted person', 'gate-b1', `{"person":${CANARY}}`, 'invalid-json'],
    [
      'a person id that is too long',
      'gate-b1',
      JSON.stringify({ ...face(), person: CANARY.repeat(7) }),
      'invalid-event',
    ],
    [
      'a credential sent as a number',
      'lock-b1-101',
      JSON.stringify({ ...opening(), credential: 4711 }),
      'invalid-event',
    ],
    ['a face from a lock', 'lock-b1-101', JSON.stringify(face()), 'type-not-allowed-for-device'],
    ['an unknown device', 'gate-b9', JSON.stringify(face()), 'unknown-device'],
    ['a future ts', 'gate-b1', JSON.stringify({ ...face(), ts: '2099-01-01T00:00:00+08:00' }), 'future-timestamp'],
    ['a biometric field', 'gate-b1', JSON.stringify({ ...face(), photo: 'x' }), 'biometric-data'],
    [
      'invalid UTF-8',
      'gate-b1',
      Buffer.concat([Buffer.from(JSON.stringify(face())), Buffer.from([0xff])]),
      'invalid-utf8',
    ],
    ['an oversized payload', 'gate-b1', JSON.stringify({ ...face(), pad: ' '.repeat(5000) }), 'payload-too-large'],
  ];

  it.each(cases)('for %s', (_, deviceId, payload, reason) => {
    const r = classify(deviceId, payload);
    if (r.kind !== 'rejected') throw new Error('expected a rejection');
    expect(r.rejection.reason).toBe(reason);
    expect(r.rejection.detail).not.toContain('4711');
    expect(r.rejection.preview).not.toContain('4711');
  });
});

import { describe, expect, it } from 'vitest';
import { classifyMessage, type IntakeResult } from '../../../src/core/intake.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import type { RejectReason } from '../../../src/core/rejections.js';
import {
  accessPayload,
  at,
  classify,
  credentialPayload,
  facePayload,
  fixedPseudonymiser,
  iso,
  tinyEstate,
} from '../../helpers/core-fixtures.js';

const face = () => facePayload('f-1', at(0, '07:41:09'), 'L-10293');

function rejection(r: IntakeResult) {
  if (r.kind !== 'rejected') throw new Error(`expected a rejection, got ${r.kind}`);
  return r.rejection;
}
const reasonOf = (r: IntakeResult): RejectReason | 'accepted' =>
  r.kind === 'rejected' ? r.rejection.reason : 'accepted';

describe('classifyMessage rejects', () => {
  it('a message whose topic is not a device topic of the contract', () => {
    const payload = Buffer.from(JSON.stringify(face()));
    const r = classifyMessage('linli/v1/tiny/gate-b1/other', undefined, payload, {
      registry: new EstateRegistry([tinyEstate()]),
      pseudonymise: fixedPseudonymiser,
      nowMs: at(0),
      maxFutureMs: 300_000,
    });
    expect(rejection(r)).toMatchObject({ reason: 'invalid-topic', topic: 'linli/v1/tiny/gate-b1/other' });
    expect(rejection(r).estateId).toBeUndefined();
  });

  it('a payload over 4 KiB, but not one of exactly 4 KiB', () => {
    const event = face();
    const padded = (bytes: number) => {
      const base = JSON.stringify({ ...event, vendor: '' });
      return Buffer.from(JSON.stringify({ ...event, vendor: ' '.repeat(bytes - base.length) }));
    };
    expect(padded(4096)).toHaveLength(4096);
    expect(reasonOf(classify('gate-b1', padded(4096)))).toBe('accepted');
    const r = rejection(classify('gate-b1', padded(4097)));
    expect(r).toMatchObject({ reason: 'payload-too-large', detail: 'payload is 4097 bytes; the contract allows 4096' });
  });

  it('a payload that is not valid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(rejection(classify('gate-b1', bytes))).toMatchObject({ reason: 'invalid-utf8' });
  });

  it.each(['{"id":', '{id: 1}', '', 'nope'])('a payload that is not JSON: %j', (text) => {
    expect(rejection(classify('gate-b1', Buffer.from(text))).reason).toBe('invalid-json');
  });

  it('says where a payload stopped being JSON without quoting it', () => {
    const detail = (text: string) => rejection(classify('lock-b1-101', text)).detail;
    expect(detail('{"credential":"3","ok":x}')).toBe("payload is not JSON: Unexpected token 'x'");
    // the engine's wording differs between Node versions; the start and the position are what operators need
    expect(detail('{"ok":true')).toMatch(/^payload is not JSON: Expected ',' or '}' after property value .*10/);
    expect(detail('{"ok":true,}')).toMatch(/^payload is not JSON: Expected double-quoted property name .*11/);
  });

  it.each(['[1,2]', 'null', '"face"', '42', 'true'])('a JSON payload that is not an object: %s', (text) => {
    expect(rejection(classify('gate-b1', text))).toMatchObject({
      reason: 'not-an-object',
      detail: 'payload must be a JSON object',
    });
  });

  it.each([
    ['a field named image', { image: 'x' }, 'field-name at $.image'],
    ['a nested face template', { meta: { faceTemplate: 'x' } }, 'field-name at $.meta.faceTemplate'],
    ['a base64 JPEG in another field', { note: `/9j/4AAQSkZJRgABAQ${'A'.repeat(80)}` }, 'image-data at $.note'],
    ['a data URL', { note: `data:image/png;base64,${'A'.repeat(80)}` }, 'image-data at $.note'],
    ['a numeric array of 17', { v: Array.from({ length: 17 }, (_, i) => i / 17) }, 'numeric-vector at $.v'],
  ])('biometric data: %s', (_, extra, where) => {
    const r = rejection(classify('gate-b1', { ...face(), ...extra }));
    expect(r.reason).toBe('biometric-data');
    expect(r.detail).toBe(`payload carries what looks like raw biometric data (${where})`);
    expect(r.preview).toMatch(/^\[\d+ bytes withheld: biometric data\]$/);
  });

  it('does not take a numeric array of 16 for biometric data', () => {
    expect(reasonOf(classify('gate-b1', { ...face(), v: Array.from({ length: 16 }, (_, i) => i) }))).toBe('accepted');
  });

  it('a payload nested too deeply as an invalid event, not as biometric data', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const r = rejection(classify('gate-b1', { ...face(), deep }));
    expect(r.reason).toBe('invalid-event');
    expect(r.detail).toMatch(/^payload is nested too deeply at \$\.deep(\.a)+$/);
  });

  it.each([
    ['score above 1', { score: 1.2 }, 'score: Too big: expected number to be <=1'],
    ['a direction outside the enum', { direction: 'up' }, 'direction: Invalid option: expected one of "in"|"out"'],
    ['a ts without offset', { ts: '2026-11-26T07:41:09' }, 'ts: Invalid ISO datetime'],
    ['a negative seq', { seq: -1 }, 'seq: Too small: expected number to be >=0'],
    ['an empty person', { person: '' }, 'person: Too small: expected string to have >=1 characters'],
    [
      'an unknown type',
      { type: 'door' },
      "type: Invalid discriminator value. Expected 'face' | 'access' | 'credential' | 'passage' | 'alarm'",
    ],
  ])('an invalid event (%s), naming the field in the detail', (_, change, detail) => {
    expect(rejection(classify('gate-b1', { ...face(), ...change }))).toMatchObject({ reason: 'invalid-event', detail });
  });

  it('lists at most three issues of an invalid event', () => {
    const r = rejection(classify('gate-b1', { type: 'face' }));
    expect(r.detail.split('; ')).toHaveLength(3);
    expect(r.detail).toMatch(/^id: /);
  });

  it('an invalid status on a status topic', () => {
    const r = rejection(classify('gate-b1', { online: 'yes' }, { kind: 'status' }));
    expect(r).toMatchObject({
      reason: 'invalid-status',
      detail: 'online: Invalid input: expected boolean, received string',
      topic: 'linli/v1/tiny/gate-b1/status',
    });
  });

  it('accepts a status without ts and firmware, as a last will sends it', () => {
    const r = classify('gate-b1', { online: false }, { kind: 'status' });
    expect(r).toMatchObject({ kind: 'status', accepted: { status: { online: false } } });
  });

  it('a message for an estate this gateway does not serve', () => {
    const r = classifyMessage(
      'linli/v1/other/gate-b1/event',
      { estateId: 'other', deviceId: 'gate-b1', kind: 'event' },
      Buffer.from(JSON.stringify(face())),
      {
        registry: new EstateRegistry([tinyEstate()]),
        pseudonymise: fixedPseudonymiser,
        nowMs: at(0),
        maxFutureMs: null,
      },
    );
    expect(rejection(r)).toMatchObject({ reason: 'unknown-estate', estateId: 'other', deviceId: 'gate-b1' });
  });

  it('a device that is not in the estate', () => {
    expect(rejection(classify('gate-b9', face()))).toMatchObject({
      reason: 'unknown-device',
      detail: 'device "gate-b9" is not in estate "tiny"',
    });
  });

  it.each([
    ['a face event from a door lock', 'lock-b1-101', face(), 'a door-lock does not send "face" events'],
    [
      'an opening from a face gate',
      'gate-b1',
      accessPayload('o-1', at(0), '3'),
      'a face-gate does not send "access" events',
    ],
    [
      'an opening from a smoke detector',
      'smoke-b1-101',
      accessPayload('o-1', at(0), '3'),
      'a smoke-detector does not send "access" events',
    ],
    [
      'a credential change from a stairwell sensor',
      'stair-b1-1',
      credentialPayload('c-1', at(0), 'enrolled', '3'),
      'a stairwell-sensor does not send "credential" events',
    ],
  ])('%s', (_, deviceId, payload, detail) => {
    expect(rejection(classify(deviceId, payload))).toMatchObject({ reason: 'type-not-allowed-for-device', detail });
  });

  describe('timestamps ahead of the gateway clock', () => {
    const nowMs = at(0, '07:41:09');
    const aheadBy = (s: number) => ({ ...face(), ts: iso(nowMs + s * 1000) });

    it('accepts an event exactly at the bound', () => {
      expect(reasonOf(classify('gate-b1', aheadBy(300), { nowMs, maxFutureMs: 300_000 }))).toBe('accepted');
    });

    it('quarantines an event one second beyond the bound', () => {
      const r = rejection(classify('gate-b1', aheadBy(301), { nowMs, maxFutureMs: 300_000 }));
      expect(r).toMatchObject({ reason: 'future-timestamp' });
      expect(r.detail).toBe(`ts ${iso(nowMs + 301_000)} is 301 s ahead of the gateway clock (limit 300 s)`);
    });

    it('accepts any future event when the bound is turned off (maxFutureMs null)', () => {
      expect(reasonOf(classify('gate-b1', aheadBy(86_400 * 365), { nowMs, maxFutureMs: null }))).toBe('accepted');
    });
  });
});

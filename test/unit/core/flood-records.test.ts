import { describe, expect, it } from 'vitest';
import { summariseFloods } from '../../../src/core/flood-records.js';
import type { IncomingMessage } from '../../../src/core/ingest.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import { deviceTopic, tinyEstate } from '../../helpers/core-fixtures.js';

const registry = new EstateRegistry([tinyEstate()]);
const message = (deviceId: string, payload: unknown, estateId = 'tiny'): IncomingMessage => ({
  topic: deviceTopic(estateId, deviceId),
  origin: { estateId, deviceId, kind: 'event' },
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
});
const face = (seq: number) => ({ id: `f-${seq}`, seq, ts: '2026-11-26T08:00:00+08:00', type: 'face', person: 'L-1' });

describe('summariseFloods', () => {
  it('folds each device’s dropped messages into one record with its count, first and last seq and id', () => {
    const flooded = [
      message('gate-b1', face(7)),
      message('lock-b1-101', '{broken'),
      message('gate-b1', face(8)),
      message('gate-b1', face(9)),
    ];
    const records = summariseFloods(flooded, registry);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      estateId: 'tiny',
      deviceId: 'gate-b1',
      topic: 'linli/v1/tiny/gate-b1/event',
      count: 3,
      first: { seq: 7, id: 'f-7' },
      last: { seq: 9, id: 'f-9' },
    });
    expect(records[1]).toMatchObject({ deviceId: 'lock-b1-101', count: 1, first: {}, last: {}, preview: '{broken' });
  });

  it('masks identifiers in the preview and withholds a payload that carries biometric data', () => {
    const [plain] = summariseFloods([message('gate-b1', face(1))], registry);
    expect(plain?.preview).toContain('"person":"[redacted]"');
    expect(plain?.preview).not.toContain('L-1');
    const [template] = summariseFloods([message('gate-b1', { ...face(2), template: [1, 2, 3] })], registry);
    expect(template?.preview).toMatch(/withheld: biometric data/);
    expect(template?.first).toEqual({ seq: 2, id: 'f-2' });
  });

  it('puts unregistered devices of an estate under one record, and topics of unserved estates under another', () => {
    const records = summariseFloods(
      [message('fake-1', face(1)), message('fake-2', face(2)), message('x', face(3), 'nowhere')],
      registry,
    );
    expect(records.map((r) => [r.estateId, r.deviceId, r.count])).toEqual([
      ['tiny', undefined, 2],
      [undefined, undefined, 1],
    ]);
    expect(records[0]?.topic).toBe('linli/v1/tiny/fake-1/event');
  });

  it('keeps no seq or id that does not fit the contract', () => {
    const [r] = summariseFloods([message('gate-b1', { seq: -1, id: 'x'.repeat(65) })], registry);
    expect(r?.first).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { readChaosArgs } from '../../../chaos/args.js';
import { diffCounters, emptyCounters, expectedCounters } from '../../../chaos/oracle.js';
import type { Message } from '../../../chaos/workload.js';
import { loadEstateFiles } from '../../../src/adapters/estate-files.js';
import { EstateRegistry } from '../../../src/core/registry.js';

const registry = new EstateRegistry(loadEstateFiles(['test/fixtures/estate.small.json']));
const estate = registry.estates()[0];
const lock = [...(estate?.devices.values() ?? [])].find((d) => d.kind === 'door-lock');
const gate = [...(estate?.devices.values() ?? [])].find((d) => d.kind === 'face-gate');
const msg = (device: string, body: Record<string, unknown>): Message => ({
  topic: `linli/v1/${estate?.id}/${device}/event`,
  payload: JSON.stringify({ seq: 1, ts: '2026-09-01T08:00:00+08:00', ...body }),
});

describe('the fault harness oracle', () => {
  it('counts each (device, id) once, by what it adds to the store', () => {
    if (!lock?.unitId || !gate) throw new Error('fixture without a lock or gate');
    const open = msg(lock.deviceId, { id: 'a', type: 'access', method: 'card', credential: '1', ok: true });
    const fail = msg(lock.deviceId, { id: 'b', type: 'access', method: 'card', credential: '1', ok: false });
    const face = msg(gate.deviceId, { id: 'a', type: 'face', person: 'p', known: true, direction: 'in', score: 1 });
    const c = expectedCounters([open, open, fail, face, face], registry);
    const unit = `${lock.buildingId}/${lock.unitId}`;
    expect(c.opened.get(unit)).toBe(1);
    expect(c.failed.get(unit)).toBe(1);
    expect(c.faces.get(gate.deviceId)).toBe(1);
  });

  it('tells events lost from events counted twice, key by key', () => {
    const expected = emptyCounters();
    expected.opened.set('u1', 5).set('u2', 2);
    expected.stairsIn.set('f1', 10);
    const got = emptyCounters();
    got.opened.set('u1', 3).set('u2', 4).set('u3', 1);
    got.stairsIn.set('f1', 9);
    expect(diffCounters(expected, got)).toEqual({ lost: 2, doubled: 3, lostPeople: 1, doubledPeople: 0 });
    expect(diffCounters(expected, expected)).toEqual({ lost: 0, doubled: 0, lostPeople: 0, doubledPeople: 0 });
  });

  it('refuses an unknown scenario or a bad seed by name', () => {
    expect(() => readChaosArgs(['--scenario', 'kill,nope'], ['kill'])).toThrow(/--scenario: no scenario nope/);
    expect(() => readChaosArgs(['--seed', 'x'], ['kill'])).toThrow(/--seed:/);
    expect(() => readChaosArgs(['--seed', '1.5'], ['kill'])).toThrow(/--seed:/);
    expect(() => readChaosArgs(['--speed', '2'], ['kill'])).toThrow(/speed/);
    expect(readChaosArgs(['--quick'], ['a', 'b'])).toMatchObject({ quick: true, scenarios: ['a', 'b'], seed: 1 });
  });
});

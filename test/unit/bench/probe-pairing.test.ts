import { describe, expect, it } from 'vitest';
import { ProbePairing } from '../../../bench/ws-probe-client.js';

const probe = (device: string, active: boolean, sentMs: number) => ({ device, active, sentMs });

describe('bench probe pairing', () => {
  it('pairs the k-th probe of a device with the k-th change of its alert', () => {
    const p = new ProbePairing();
    p.received('d1', 'raised', 15);
    p.received('d2', 'raised', 22);
    p.received('d1', 'cleared', 140);
    const out = p.pair([probe('d1', true, 10), probe('d2', true, 20), probe('d1', false, 100)]);
    expect(out.latenciesMs.sort((a, b) => a - b)).toEqual([2, 5, 40]);
    expect(out).toMatchObject({ unanswered: 0, mismatched: 0 });
  });

  it('counts a probe still unanswered once, and pairs it when its change arrives later', () => {
    const p = new ProbePairing();
    expect(p.pair([probe('d1', true, 10)])).toEqual({ latenciesMs: [], unanswered: 1, mismatched: 0 });
    p.received('d1', 'raised', 30);
    p.received('d1', 'cleared', 60);
    expect(p.pair([probe('d1', false, 50)])).toEqual({ latenciesMs: [20, 10], unanswered: 0, mismatched: 0 });
  });

  it('reports a change of the wrong kind instead of timing it', () => {
    const p = new ProbePairing();
    p.received('d1', 'cleared', 30);
    expect(p.pair([probe('d1', true, 10)])).toEqual({ latenciesMs: [], unanswered: 0, mismatched: 1 });
  });
});

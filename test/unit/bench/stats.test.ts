import { describe, expect, it } from 'vitest';
import { percentiles } from '../../../bench/stats.js';

describe('bench percentiles (nearest rank)', () => {
  it('picks the value at or above the rank, never interpolating', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1..1000, unsorted
    expect(percentiles(values)).toEqual({ p50: 500, p99: 990, p999: 999, max: 1000, n: 1000 });
  });

  it('reports the only value of a sample of one at every rank', () => {
    expect(percentiles([7.5])).toEqual({ p50: 7.5, p99: 7.5, p999: 7.5, max: 7.5, n: 1 });
  });

  it('is NaN for an empty sample rather than zero', () => {
    const p = percentiles([]);
    expect(p.n).toBe(0);
    expect(Number.isNaN(p.p99)).toBe(true);
  });
});

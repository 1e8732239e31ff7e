import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../src/adapters/mqtt/reconnect-backoff.js';

const bounds = { minMs: 500, maxMs: 30_000 };

describe('reconnect backoff', () => {
  it('doubles from the minimum and stops at the maximum', () => {
    const top = (attempt: number) => reconnectDelayMs(attempt, bounds, () => 1);
    expect([0, 1, 2, 3, 6, 7, 50].map(top)).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });

  it('draws each wait from the upper half of its ceiling, so clients that lost the broker together spread out', () => {
    expect(reconnectDelayMs(3, bounds, () => 0)).toBe(2000);
    expect(reconnectDelayMs(3, bounds, () => 0.5)).toBe(3000);
    const waits = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(2, bounds)));
    expect(waits.size).toBeGreaterThan(10);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(1000);
      expect(w).toBeLessThanOrEqual(2000);
    }
  });
});

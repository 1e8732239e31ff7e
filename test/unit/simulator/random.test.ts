import { describe, expect, it } from 'vitest';
import { hash32, Random } from '../../../simulators/lib/random.js';

describe('Random', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 100 }, () => a.next())).toEqual(Array.from({ length: 100 }, () => b.next()));
  });

  it('gives different sequences for different seeds and for different forks', () => {
    const a = new Random(42);
    expect(new Random(43).next()).not.toBe(new Random(42).next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
    expect(new Random(42).fork('x').next()).toBe(new Random(42).fork('x').next());
  });

  it('keeps every helper inside its bounds', () => {
    const rng = new Random('bounds');
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      const g = rng.normal(10, 5, 8, 12);
      expect(g >= 8 && g <= 12).toBe(true);
    }
  });

  it('reaches every integer of a range and follows weights roughly', () => {
    const rng = new Random(1);
    const seen = new Set<number>();
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) {
      seen.add(rng.int(1, 4));
      if (
        rng.weighted([
          ['a', 9],
          ['b', 1],
        ] as const) === 'a'
      )
        heavy++;
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    expect(heavy / 10_000).toBeGreaterThan(0.87);
    expect(heavy / 10_000).toBeLessThan(0.93);
  });

  it('hashes labels to stable 32-bit values', () => {
    expect(hash32('gate-main|rider-1')).toBe(hash32('gate-main|rider-1'));
    expect(hash32('a')).not.toBe(hash32('b'));
    expect(hash32('anything')).toBeLessThan(2 ** 32);
  });
});

import { describe, expect, it } from 'vitest';
import { DeviceRateLimiter, type RateLimit, UNREGISTERED } from '../../../src/core/device-rate.js';
import type { MessageOrigin } from '../../../src/core/intake.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import { tinyEstate } from '../../helpers/core-fixtures.js';

const T0 = 1_764_000_000_000;
const origin = (deviceId: string, estateId = 'tiny'): MessageOrigin => ({ estateId, deviceId, kind: 'event' });

function limiter(limit: RateLimit = { perSecond: 10, burst: 5 }, perEstate: Record<string, RateLimit> = {}) {
  return new DeviceRateLimiter({
    registry: new EstateRegistry([tinyEstate()]),
    limitFor: (estateId) => perEstate[estateId] ?? limit,
  });
}

/** How many of `n` messages sent at the same instant get through. */
function admitted(l: DeviceRateLimiter, o: MessageOrigin | undefined, n: number, nowMs: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (l.admit(o, nowMs)) ok++;
  return ok;
}

describe('DeviceRateLimiter', () => {
  it('lets a burst through at once, then refuses until tokens come back at the sustained rate', () => {
    const l = limiter({ perSecond: 10, burst: 5 });
    expect(admitted(l, origin('gate-b1'), 8, T0)).toBe(5);
    // 10/s: one token every 100 ms, none before
    expect(l.admit(origin('gate-b1'), T0 + 99)).toBe(false);
    expect(l.admit(origin('gate-b1'), T0 + 100)).toBe(true);
    expect(l.admit(origin('gate-b1'), T0 + 100)).toBe(false);
    // a long pause refills to the burst, never beyond it
    expect(admitted(l, origin('gate-b1'), 20, T0 + 60_000)).toBe(5);
  });

  it('lets a device at its sustained rate through indefinitely', () => {
    const l = limiter({ perSecond: 10, burst: 1 });
    for (let i = 0; i < 1000; i++) expect(l.admit(origin('gate-b1'), T0 + i * 100)).toBe(true);
  });

  it('keeps one bucket per device: a flooding device costs the others nothing', () => {
    const l = limiter({ perSecond: 1, burst: 3 });
    expect(admitted(l, origin('gate-b1'), 1000, T0)).toBe(3);
    expect(admitted(l, origin('lock-b1-101'), 3, T0)).toBe(3);
    expect(admitted(l, origin('gate-main'), 3, T0)).toBe(3);
  });

  it('applies an estate its own limit', () => {
    const l = limiter({ perSecond: 1, burst: 3 }, { tiny: { perSecond: 1, burst: 7 } });
    expect(admitted(l, origin('gate-b1'), 10, T0)).toBe(7);
  });

  it('counts arrivals and drops of a flood from the message that began it, and lists the bucket as flooding', () => {
    const l = limiter({ perSecond: 1, burst: 2 });
    admitted(l, origin('gate-b1'), 2, T0);
    expect(l.flooding().size).toBe(0);
    admitted(l, origin('gate-b1'), 5, T0 + 10);
    const [bucket] = [...l.flooding()];
    expect(bucket).toMatchObject({ deviceId: 'gate-b1', floodSinceMs: T0 + 10, lastDropMs: T0 + 10 });
    expect({ arrived: bucket?.arrived, dropped: bucket?.dropped }).toEqual({ arrived: 5, dropped: 5 });
    l.release(bucket as NonNullable<typeof bucket>);
    expect(l.flooding().size).toBe(0);
  });

  it('gives every unregistered device of an estate one shared bucket, and every unknown estate another', () => {
    const l = limiter({ perSecond: 1, burst: 4 });
    // made-up device ids, each new: together they get one burst, and hold one bucket
    let ok = 0;
    for (let i = 0; i < 10_000; i++) if (l.admit(origin(`fake-${i}`), T0)) ok++;
    expect(ok).toBe(4);
    for (let i = 0; i < 10_000; i++) l.admit(origin('x', `estate-${i}`), T0);
    expect(l.admit(undefined, T0)).toBe(false);
    expect(l.size).toBe(2);
    const subjects = [...l.flooding()].map((b) => `${b.estateId}/${b.deviceId}`).sort();
    expect(subjects).toEqual([`${UNREGISTERED}/${UNREGISTERED}`, `tiny/${UNREGISTERED}`]);
  });

  it('forgets a bucket once it is full again, but not one that is flooding', () => {
    const l = limiter({ perSecond: 10, burst: 5 });
    admitted(l, origin('gate-b1'), 1, T0);
    admitted(l, origin('lock-b1-101'), 6, T0);
    expect(l.size).toBe(2);
    // 5 tokens at 10/s: full again after 500 ms
    l.sweep(T0 + 499);
    expect(l.size).toBe(2);
    const later = limiter({ perSecond: 10, burst: 5 });
    admitted(later, origin('gate-b1'), 1, T0);
    admitted(later, origin('lock-b1-101'), 6, T0);
    later.sweep(T0 + 500);
    expect(later.size).toBe(1);
    expect([...later.flooding()].map((b) => b.deviceId)).toEqual(['lock-b1-101']);
  });

  it('sweeps at most once per sweep period', () => {
    const l = new DeviceRateLimiter({
      registry: new EstateRegistry([tinyEstate()]),
      limitFor: () => ({ perSecond: 10, burst: 1 }),
      sweepEveryMs: 60_000,
    });
    l.sweep(T0);
    l.admit(origin('gate-b1'), T0);
    l.sweep(T0 + 30_000);
    expect(l.size).toBe(1);
    l.sweep(T0 + 60_000);
    expect(l.size).toBe(0);
  });

  it('refills nothing when the clock steps back, and does not charge the step twice', () => {
    const l = limiter({ perSecond: 10, burst: 2 });
    expect(admitted(l, origin('gate-b1'), 2, T0)).toBe(2);
    expect(l.admit(origin('gate-b1'), T0 - 5_000)).toBe(false);
    expect(l.admit(origin('gate-b1'), T0 + 100)).toBe(true);
  });
});

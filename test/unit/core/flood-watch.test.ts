import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../src/core/alerts.js';
import { DeviceRateLimiter } from '../../../src/core/device-rate.js';
import { FloodWatch } from '../../../src/core/flood-watch.js';
import type { MessageOrigin } from '../../../src/core/intake.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import { tinyEstate } from '../../helpers/core-fixtures.js';

const T0 = Date.parse('2026-11-26T08:00:00+08:00');
const LIMIT = { perSecond: 10, burst: 20 };
const origin = (deviceId: string, estateId = 'tiny'): MessageOrigin => ({ estateId, deviceId, kind: 'event' });

function setup(settings = { clearAfterMs: 300_000, updateEveryMs: 60_000 }) {
  const registry = new EstateRegistry([tinyEstate()]);
  const limiter = new DeviceRateLimiter({ registry, limitFor: () => LIMIT });
  const watch = new FloodWatch({ limiter, registry, settings });
  /** `n` messages from `deviceId` spread evenly over [fromMs, toMs). */
  const send = (deviceId: string, n: number, fromMs: number, toMs = fromMs, estateId = 'tiny') => {
    for (let i = 0; i < n; i++)
      limiter.admit(origin(deviceId, estateId), fromMs + Math.floor(((toMs - fromMs) * i) / n));
  };
  /** Decides at `nowMs` and commits every decision, as the flood tick does after the store answered. */
  const tick = (nowMs: number): AlertDecision[] => {
    const reports = watch.due(nowMs);
    watch.settle(reports, nowMs);
    return reports.flatMap((r) => (r.decision ? [r.decision] : []));
  };
  return { limiter, watch, send, tick };
}

const draftOf = (d: AlertDecision | undefined) => (d?.action === 'raise' ? d.draft : undefined);

describe('FloodWatch', () => {
  it('decides nothing for devices within their limit', () => {
    const { send, tick } = setup();
    send('gate-b1', 20, T0);
    send('gate-b1', 50, T0 + 1000, T0 + 6000);
    expect(tick(T0 + 6000)).toEqual([]);
  });

  it('raises a device-flood alert with the observed rate, the limit, the events dropped and since when', () => {
    const { send, tick } = setup();
    // 2,020 in the first second: 20 (the burst) + 10 tokens over the second pass, 1,990 are dropped
    send('gate-b1', 2020, T0, T0 + 1000);
    const [decision, ...rest] = tick(T0 + 1000);
    expect(rest).toEqual([]);
    expect(decision).toMatchObject({ action: 'raise', eventMs: expect.any(Number) });
    const draft = draftOf(decision);
    expect(draft).toMatchObject({
      kind: 'device-flood',
      subject: 'gate-b1',
      estateId: 'tiny',
      buildingId: 'b1',
      deviceId: 'gate-b1',
      severity: 'medium',
    });
    const dropped = draft?.evidence.find((e) => e.signal === 'dropped');
    const rate = draft?.evidence.find((e) => e.signal === 'observed-rate');
    expect(dropped?.value).toBe(2020 - 20 - 9);
    expect(rate).toMatchObject({ threshold: 10 });
    // the rate is taken from the first dropped message on
    expect(rate?.value).toBeGreaterThan(1900);
    expect(draft?.summary).toContain('since 2026-11-26T00:00:00');
    expect(decision?.police).toBeUndefined();
  });

  it('updates an open alert at most once per update period, and only while the device keeps flooding', () => {
    const { send, tick } = setup({ clearAfterMs: 300_000, updateEveryMs: 60_000 });
    send('gate-b1', 500, T0);
    expect(tick(T0 + 1000)).toHaveLength(1);
    send('gate-b1', 1500, T0 + 2000, T0 + 59_000);
    expect(tick(T0 + 30_000)).toEqual([]);
    expect(tick(T0 + 60_999)).toEqual([]);
    const [update] = tick(T0 + 61_000);
    expect(update).toMatchObject({ action: 'raise', eventMs: T0 + 61_000 });
    // no message dropped since that update: nothing new to say, however long it has been
    expect(tick(T0 + 200_000)).toEqual([]);
  });

  it('measures the rate of an update over the period since the previous report', () => {
    const { send, tick } = setup({ clearAfterMs: 300_000, updateEveryMs: 10_000 });
    send('gate-b1', 500, T0);
    tick(T0 + 1000);
    // 10 s at 100/s
    send('gate-b1', 1000, T0 + 1000, T0 + 11_000);
    const rate = draftOf(tick(T0 + 11_000)[0])?.evidence.find((e) => e.signal === 'observed-rate');
    expect(rate?.value).toBe(100);
  });

  it('clears once nothing was dropped for the clear period, and a later flood raises again', () => {
    const { limiter, send, tick } = setup({ clearAfterMs: 300_000, updateEveryMs: 60_000 });
    send('gate-b1', 500, T0);
    expect(tick(T0 + 1000)).toHaveLength(1);
    // back within its limit: its messages pass, nothing is dropped
    send('gate-b1', 100, T0 + 100_000, T0 + 200_000);
    expect(tick(T0 + 299_999)).toEqual([]);
    expect(tick(T0 + 300_000)).toEqual([
      { action: 'clear', kind: 'device-flood', estateId: 'tiny', subject: 'gate-b1', eventMs: T0 },
    ]);
    expect(limiter.flooding().size).toBe(0);
    expect(tick(T0 + 400_000)).toEqual([]);
    send('gate-b1', 100, T0 + 500_000);
    expect(tick(T0 + 501_000)).toMatchObject([{ action: 'raise', eventMs: T0 + 500_000 }]);
  });

  it('decides again at the next tick when a decision was not committed', () => {
    const { watch, send } = setup();
    send('gate-b1', 500, T0);
    expect(watch.due(T0 + 1000)).toHaveLength(1);
    // the store failed: settle was never called
    expect(watch.due(T0 + 2000)).toMatchObject([{ decision: { action: 'raise' } }]);
  });

  it('reports an estate’s unregistered devices as one subject, and releases an unserved estate’s bucket silently', () => {
    const { limiter, send, tick } = setup({ clearAfterMs: 5000, updateEveryMs: 60_000 });
    for (let i = 0; i < 100; i++) send(`fake-${i}`, 1, T0);
    send('x', 100, T0, T0, 'nowhere');
    const decisions = tick(T0 + 1000);
    expect(decisions).toHaveLength(1);
    expect(draftOf(decisions[0])).toMatchObject({ subject: 'unregistered.devices', estateId: 'tiny' });
    expect(draftOf(decisions[0])?.deviceId).toBeUndefined();
    expect(draftOf(decisions[0])?.summary).toContain('not in the registry of estate tiny');
    expect(tick(T0 + 5000).map((d) => d.action)).toEqual(['clear']);
    expect(limiter.flooding().size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import { RedisDeviceStore } from '../../../src/adapters/redis/device-store.js';
import { detectionPerEstate } from '../../../src/core/detection.js';
import { createDeviceMonitor } from '../../../src/core/device-monitor.js';
import { EstateRegistry } from '../../../src/core/registry.js';
import { accept, at, detection, facePayload, tinyEstate } from '../../helpers/core-fixtures.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const H = 3_600_000;

/** A gateway instance's monitor; several over one Redis behave as instances behind a shared subscription. */
function instance() {
  return createDeviceMonitor({
    registry: new EstateRegistry([tinyEstate()]),
    store: new RedisDeviceStore({ redis: ctx.redis, keys: ctx.keys }),
    alerts: new RedisAlertStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 30, streamMaxLen: 1000 }),
    detection: detectionPerEstate(detection(), { tiny: { faceGateSilenceH: 2 } }),
    liveClock: false,
  });
}

const gateEvent = (deviceId: string, id: string, ms: number) => accept(deviceId, facePayload(id, ms, 'T-1'));

describe('device monitor over a shared Redis', () => {
  it('keeps the newest event time of each device whatever order batches arrive in', async () => {
    const [a, b] = [instance(), instance()];
    await b.afterBatch([gateEvent('gate-b1', 'x-2', at(0, '10:00:00'))], [], 0);
    await a.afterBatch([gateEvent('gate-b1', 'x-1', at(0, '09:00:00'))], [], 0);
    const [view] = await a.view(tinyEstate(), ['gate-b1']);
    expect(view?.lastEventMs).toBe(at(0, '10:00:00'));
  });

  it('raises a silent device once when two instances sweep at the same time, and clears it once', async () => {
    const [a, b] = [instance(), instance()];
    await a.afterBatch([gateEvent('gate-b1', 'b-1', at(0, '08:00:00'))], [], 0);
    await b.afterBatch([gateEvent('gate-main', 'm-1', at(0, '10:30:00'))], [], 0);
    const swept = await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
    expect(swept.flat().map((u) => [u.change, u.alert.subject, u.alert.occurrences])).toEqual([
      ['raised', 'gate-b1', 1],
    ]);
    // heard again through either instance: both saw the verdict, so the batch itself clears it, once
    const cleared = await b.afterBatch([gateEvent('gate-b1', 'b-2', at(0, '10:31:00'))], [], 0);
    expect(cleared.map((u) => [u.change, u.alert.subject])).toEqual([['cleared', 'gate-b1']]);
    expect((await Promise.all([a.sweep(), b.sweep()])).flat()).toEqual([]);
  });

  it('clears an alert in whichever instance hears the device again, not only the one that raised it', async () => {
    const [a, b] = [instance(), instance()];
    await a.afterBatch(
      [gateEvent('gate-b1', 'b-1', at(0, '08:00:00')), gateEvent('gate-main', 'm-1', at(0, '11:00:00'))],
      [],
      0,
    );
    expect((await a.sweep()).map((u) => u.change)).toEqual(['raised']);
    // b never swept: it learns that gate-b1 is a suspect from the store, in the same step that records the event
    const cleared = await b.afterBatch([gateEvent('gate-b1', 'b-2', at(0, '11:01:00'))], [], 0);
    expect(cleared.map((u) => [u.change, u.alert.subject])).toEqual([['cleared', 'gate-b1']]);
  });

  it('looks again after raising, for an event another instance recorded before the suspect mark was set', async () => {
    const b = instance();
    const store = new RedisDeviceStore({ redis: ctx.redis, keys: ctx.keys });
    // the race, made to happen: b records gate-b1's new event after a has read it as silent, before a marks it
    const addSuspects = async (estateId: string, ids: readonly string[], atMs: number) => {
      if (ids.includes('gate-b1')) {
        expect(await b.afterBatch([gateEvent('gate-b1', 'b-2', at(0, '11:01:00'))], [], 0)).toEqual([]);
      }
      return store.addSuspects(estateId, ids, atMs);
    };
    const racing = new Proxy(store, {
      get: (target, name) => {
        if (name === 'addSuspects') return addSuspects;
        const value = Reflect.get(target, name);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const a = createDeviceMonitor({
      registry: new EstateRegistry([tinyEstate()]),
      store: racing,
      alerts: new RedisAlertStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 30, streamMaxLen: 1000 }),
      detection: detectionPerEstate(detection(), { tiny: { faceGateSilenceH: 2 } }),
      liveClock: false,
    });
    await a.afterBatch(
      [gateEvent('gate-b1', 'b-1', at(0, '08:00:00')), gateEvent('gate-main', 'm-1', at(0, '11:00:00'))],
      [],
      0,
    );
    const swept = await a.sweep();
    expect(swept.map((u) => [u.change, u.alert.subject])).toEqual([
      ['raised', 'gate-b1'],
      ['cleared', 'gate-b1'],
    ]);
  });

  it('re-checks an open alert whose suspect entry was lost, when it reconciles with the alert store', async () => {
    const a = instance();
    await a.afterBatch(
      [gateEvent('gate-b1', 'b-1', at(0, '08:00:00')), gateEvent('gate-main', 'm-1', at(0, '11:00:00'))],
      [],
      0,
    );
    expect((await a.sweep()).map((u) => u.change)).toEqual(['raised']);
    // the suspect entry is lost, then the device is heard: no instance knows to decide it
    await ctx.redis.del(ctx.keys.deviceSuspects('tiny'));
    expect(await instance().afterBatch([gateEvent('gate-b1', 'b-2', at(0, '11:01:00'))], [], 0)).toEqual([]);
    // only the alert store still knows the alert is open: a sweep that reconciles finds it
    const fresh = instance();
    expect((await fresh.sweep()).map((u) => [u.change, u.alert.subject])).toEqual([['cleared', 'gate-b1']]);
  });

  it('keeps the time a device went offline when its retained will is delivered again', async () => {
    const a = instance();
    const status = { binding: tinyEstate().devices.get('lock-b1-101')!, status: { online: false } };
    await a.afterBatch([gateEvent('gate-main', 'm-1', at(0, '09:00:00'))], [status], 0);
    await a.afterBatch([gateEvent('gate-main', 'm-2', at(0, '12:00:00'))], [status], 0);
    const [view] = await a.view(tinyEstate(), ['lock-b1-101']);
    expect(view?.health).toEqual({ state: 'offline', sinceMs: at(0, '09:00:00'), lastEventMs: undefined });
    expect(await ctx.redis.pttl(ctx.keys.deviceSeen('tiny'))).toBeGreaterThan(90 * 24 * H);
  });
});

import { describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import type { AlertDecision, AlertDraft } from '../../../src/core/alerts.js';
import { at, DAY0 } from '../../helpers/core-fixtures.js';
import { keysUnder, useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const store = () => new RedisAlertStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 180, streamMaxLen: 1000 });

const draft: AlertDraft = {
  kind: 'group-rental-suspected',
  subject: 'b1-102',
  estateId: 'tiny',
  unitId: 'b1-102',
  severity: 'medium',
  rule: 'capacity 2',
  summary: 'Unit b1-102: about 5 people for a legal capacity of 2.',
  evidence: [],
};
const persistence = (day: number) => ({ day: DAY0 + day, confirmDays: 2, clearAfterDays: 3 });
const raise = (day: number, time = '18:00:00'): AlertDecision => ({
  action: 'raise',
  draft,
  eventMs: at(day, time),
  fingerprint: `medium|5|${day}`,
  persistence: persistence(day),
});
const clear = (day: number): AlertDecision => ({
  action: 'clear',
  kind: 'group-rental-suspected',
  estateId: 'tiny',
  subject: 'b1-102',
  eventMs: at(day, '20:00:00'),
  persistence: persistence(day),
});
const changes = async (decisions: AlertDecision[]) => {
  const out: string[] = [];
  for (const d of decisions) for (const u of await store().apply([d])) out.push(`${u.change}@${d.eventMs}`);
  return out;
};
const stream = () => ctx.redis.xlen(ctx.keys.alertStream);

describe('alert hysteresis (confirm on 2 days, clear after 3 quiet days)', () => {
  it('opens nothing while the condition has held on one day only', async () => {
    expect(await changes([raise(0, '08:00:00'), raise(0, '21:00:00')])).toEqual([]);
    expect(await stream()).toBe(0);
    expect(await store().list({ limit: 10 })).toEqual([]);
  });

  it('opens the alert on the second day, dated from the first evidence', async () => {
    expect(await changes([raise(0, '08:00:00'), raise(1)])).toEqual([`raised@${at(1, '18:00:00')}`]);
    const [alert] = await store().list({ limit: 10 });
    expect(alert?.firstSeen).toBe(new Date(at(0, '08:00:00')).toISOString());
  });

  it('starts counting again when the condition went away in between', async () => {
    expect(await changes([raise(0), clear(0), raise(1), raise(2)])).toEqual([`raised@${at(2, '18:00:00')}`]);
  });

  it('keeps an open alert through two quiet days and clears it on the third', async () => {
    await changes([raise(0), raise(1)]);
    expect(await changes([clear(2), clear(3), clear(4)])).toEqual([]);
    expect(await changes([clear(5)])).toEqual([`cleared@${at(5, '20:00:00')}`]);
  });

  it('forgets quiet days when the condition returns before the alert cleared', async () => {
    await changes([raise(0), raise(1)]);
    await changes([clear(2), clear(3), raise(4)]);
    expect(await changes([clear(5), clear(6), clear(7)])).toEqual([]);
    expect((await store().list({ limit: 1 }))[0]?.status).toBe('open');
  });

  it('writes no key for a unit that never had an alert', async () => {
    await changes([clear(0), clear(1), clear(2)]);
    expect(await keysUnder(ctx.prefix)).toEqual([]);
  });

  describe('relapse watch', () => {
    const watched = (day: number): AlertDecision => {
      const d = raise(day);
      return d.action === 'raise'
        ? { ...d, persistence: { ...persistence(day), watchOnly: true, watchMs: 30 * 86_400_000 } }
        : d;
    };

    it('keeps an open alert open while the evidence holds at the lower watch level', async () => {
      await changes([raise(0), raise(1)]);
      const later = await changes([watched(2), watched(3), watched(4), watched(5)]);
      expect(later.filter((c) => !c.startsWith('updated@'))).toEqual([]);
      expect((await store().list({ limit: 1 }))[0]?.status).toBe('open');
    });

    it('re-opens an alert cleared within the watch window on evidence at the lower level', async () => {
      await changes([raise(0), raise(1), clear(2), clear(3), clear(4), clear(5)]);
      expect(await changes([watched(9), watched(10)])).toEqual([`raised@${at(10, '18:00:00')}`]);
    });

    it('does not open an alert for a unit never alerted on evidence at the lower level alone', async () => {
      expect(await changes([watched(0), watched(1), watched(2), watched(3)])).toEqual([]);
      expect(await keysUnder(ctx.prefix)).toEqual([]);
    });
  });
});

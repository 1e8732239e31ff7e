import { describe, expect, it } from 'vitest';
import { RedisAlertFeed } from '../../../src/adapters/redis/alert-feed.js';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import type { AlertDecision, AlertDraft, AlertKind } from '../../../src/core/alerts.js';
import { at } from '../../helpers/core-fixtures.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const store = () => new RedisAlertStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 180, streamMaxLen: 1000 });
const feed = () => new RedisAlertFeed({ redis: ctx.redis, keys: ctx.keys });

const draft = (over: Partial<AlertDraft> = {}): AlertDraft => ({
  kind: 'group-rental-suspected',
  subject: 'b1-102',
  estateId: 'tiny',
  buildingId: 'b1',
  unitId: 'b1-102',
  floor: 1,
  severity: 'low',
  rule: 'capacity 2, estimate 3',
  summary: 'Unit b1-102: about 3 people for a legal capacity of 2.',
  evidence: [{ signal: 'active-credentials', label: 'in use', value: 3, threshold: 2, text: '3 credentials' }],
  ...over,
});
const raise = (fingerprint: string, eventMs: number, over: Partial<AlertDraft> = {}): AlertDecision => ({
  action: 'raise',
  draft: draft(over),
  eventMs,
  fingerprint,
});
const clear = (eventMs: number, subject = 'b1-102', kind: AlertKind = 'group-rental-suspected'): AlertDecision => ({
  action: 'clear',
  kind,
  estateId: 'tiny',
  subject,
  eventMs,
});
const streamLength = () => ctx.redis.xlen(ctx.keys.alertStream);

describe('RedisAlertStore', () => {
  it('raises a new alert and appends it to the stream', async () => {
    const [update] = await store().apply([raise('low|3|1', at(0, '08:00:00'))]);
    expect(update).toMatchObject({
      change: 'raised',
      alert: {
        id: 'tiny.b1-102.group-rental-suspected~1',
        status: 'open',
        firstSeen: new Date(at(0, '08:00:00')).toISOString(),
        lastSeen: new Date(at(0, '08:00:00')).toISOString(),
        occurrences: 1,
        version: 1,
        severity: 'low',
      },
    });
    expect(update?.alert.clearedAt).toBeUndefined();
    expect(await streamLength()).toBe(1);
    const [entry] = await feed().readAfter('0', 10);
    expect(entry).toEqual(update);
  });

  it('changes nothing and appends nothing for the same fingerprint', async () => {
    const s = store();
    await s.apply([raise('low|3|1', at(0, '08:00:00'))]);
    expect(await s.apply([raise('low|3|1', at(0, '09:00:00'))])).toEqual([]);
    expect(await streamLength()).toBe(1);
    const alert = await s.get('tiny.b1-102.group-rental-suspected~1');
    expect(alert).toMatchObject({ occurrences: 1, version: 1 });
    expect(alert?.lastSeen).toBe(new Date(at(0, '09:00:00')).toISOString());
  });

  it('records a new occurrence for a new fingerprint', async () => {
    const s = store();
    await s.apply([raise('low|3|1', at(0))]);
    const [update] = await s.apply([raise('high|4|2', at(1), { severity: 'high' })]);
    expect(update).toMatchObject({ change: 'updated', alert: { occurrences: 2, version: 2, severity: 'high' } });
    expect(update?.alert.firstSeen).toBe(new Date(at(0)).toISOString());
    expect(await streamLength()).toBe(2);
  });

  it('clears an open alert once', async () => {
    const s = store();
    await s.apply([raise('low|3|1', at(0))]);
    const [update] = await s.apply([clear(at(2))]);
    expect(update).toMatchObject({
      change: 'cleared',
      alert: { status: 'cleared', clearedAt: new Date(at(2)).toISOString() },
    });
    expect(await s.apply([clear(at(3))])).toEqual([]);
    expect(await streamLength()).toBe(2);
  });

  it('changes nothing when clearing an alert that was never raised', async () => {
    expect(await store().apply([clear(at(0))])).toEqual([]);
    expect(await streamLength()).toBe(0);
  });

  it('opens a new alert with the next number when raised after a clear', async () => {
    const s = store();
    await s.apply([raise('low|3|1', at(0))]);
    await s.apply([clear(at(1))]);
    const [update] = await s.apply([raise('low|3|5', at(5))]);
    expect(update).toMatchObject({ change: 'raised', alert: { status: 'open', occurrences: 1 } });
    expect(update?.alert.id).toMatch(/~2$/);
    expect(update?.alert.clearedAt).toBeUndefined();
    expect(await s.get('tiny.b1-102.group-rental-suspected~1')).toBeUndefined();
    expect((await s.get('tiny.b1-102.group-rental-suspected~2'))?.firstSeen).toBe(new Date(at(5)).toISOString());
  });

  it('finds nothing for an id that is not an alert id', async () => {
    const s = store();
    await s.apply([raise('low|3|1', at(0))]);
    for (const id of ['', 'tiny.b1-102.group-rental-suspected', 'x~0', 'tiny.b1-102.group-rental-suspected~9']) {
      expect(await s.get(id)).toBeUndefined();
    }
  });

  describe('list', () => {
    async function seed() {
      const s = store();
      await s.apply([raise('a', at(0), { subject: 'b1-101', unitId: 'b1-101' })]);
      await s.apply([raise('b', at(1), { subject: 'b1-102', unitId: 'b1-102' })]);
      await s.apply([raise('c', at(2), { subject: 'b2-301', unitId: 'b2-301', buildingId: 'b2' })]);
      await s.apply([
        raise('d', at(3), { kind: 'device-alarm', subject: 'smoke-b1-101.smoke', unitId: 'b1-101', alarm: 'smoke' }),
      ]);
      await s.apply([clear(at(4), 'b1-101')]);
      return s;
    }
    const subjects = (alerts: { subject: string }[]) => alerts.map((a) => a.subject);

    it('lists by newest evidence first; a clear is no evidence', async () => {
      const s = await seed();
      expect(subjects(await s.list({ limit: 10 }))).toEqual(['smoke-b1-101.smoke', 'b2-301', 'b1-102', 'b1-101']);
    });

    it('filters by status, kind and building', async () => {
      const s = await seed();
      expect(subjects(await s.list({ status: 'cleared', limit: 10 }))).toEqual(['b1-101']);
      expect(subjects(await s.list({ status: 'open', kind: 'group-rental-suspected', limit: 10 }))).toEqual([
        'b2-301',
        'b1-102',
      ]);
      expect(subjects(await s.list({ kind: 'device-alarm', limit: 10 }))).toEqual(['smoke-b1-101.smoke']);
      expect(subjects(await s.list({ buildingId: 'b2', limit: 10 }))).toEqual(['b2-301']);
      expect(subjects(await s.list({ unitId: 'b1-102', estateId: 'tiny', limit: 10 }))).toEqual(['b1-102']);
    });

    it('keeps alerts whose newest evidence is at or after sinceMs, and stops at the limit', async () => {
      const s = await seed();
      expect(subjects(await s.list({ sinceMs: at(2), limit: 10 }))).toEqual(['smoke-b1-101.smoke', 'b2-301']);
      expect(subjects(await s.list({ sinceMs: at(2) + 1, limit: 10 }))).toEqual(['smoke-b1-101.smoke']);
      expect(subjects(await s.list({ limit: 2 }))).toEqual(['smoke-b1-101.smoke', 'b2-301']);
      expect(subjects(await s.list({ status: 'open', buildingId: 'b1', limit: 1 }))).toEqual(['smoke-b1-101.smoke']);
    });

    it('pages through the index to find a match older than the first 200 alerts', async () => {
      const s = store();
      await s.apply([raise('old', at(0), { kind: 'device-alarm', subject: 'gate-main.tamper', alarm: 'tamper' })]);
      const units = Array.from({ length: 205 }, (_, i) => raise('x', at(1) + i, { subject: `u${i}`, unitId: `u${i}` }));
      await s.apply(units);
      expect(subjects(await s.list({ kind: 'device-alarm', limit: 5 }))).toEqual(['gate-main.tamper']);
      expect(await s.list({ limit: 250 })).toHaveLength(206);
    });

    it('drops index entries of alerts that expired', async () => {
      const s = await seed();
      await ctx.redis.del(ctx.keys.alert('tiny.b1-102.group-rental-suspected'));
      expect(subjects(await s.list({ limit: 10 }))).not.toContain('b1-102');
      expect(await ctx.redis.zscore(ctx.keys.alertIndex, 'tiny.b1-102.group-rental-suspected')).toBeNull();
    });
  });
});

describe('RedisAlertFeed', () => {
  it('returns the entries strictly after an id, oldest first', async () => {
    const s = store();
    await s.apply([raise('a', at(0))]);
    await s.apply([raise('b', at(1))]);
    await s.apply([clear(at(2))]);
    const all = await feed().readAfter('0', 10);
    expect(all.map((u) => u.change)).toEqual(['raised', 'updated', 'cleared']);
    const [first, second] = all;
    const after = await feed().readAfter(first?.streamId as string, 10);
    expect(after.map((u) => u.streamId)).toEqual(all.slice(1).map((u) => u.streamId));
    expect(await feed().readAfter(second?.streamId as string, 1)).toHaveLength(1);
    expect(await feed().readAfter(all.at(-1)?.streamId as string, 10)).toEqual([]);
  });

  it('reports 0-0 as the last id of an empty feed and the newest id otherwise', async () => {
    expect(await feed().lastId()).toBe('0-0');
    const [update] = await store().apply([raise('a', at(0))]);
    expect(await feed().lastId()).toBe(update?.streamId);
  });
});

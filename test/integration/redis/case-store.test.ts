import { describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import { RedisCaseStore } from '../../../src/adapters/redis/case-store.js';
import { openCase } from '../../../src/core/cases/case-policy.js';
import { policeCaseEntry } from '../../../src/core/cases/police-view.js';
import { applyCaseCommand } from '../../../src/core/cases/transitions.js';
import { decideForAlarm } from '../../../src/core/correlator.js';
import { accept, alarmPayload, at, groupRentalAlert } from '../../helpers/core-fixtures.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const store = () => new RedisCaseStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 180, streamMaxLen: 1000 });
const T0 = at(0, '10:00:00');

// capacity 0 in the police entry below: the case keeps what the alert said
const alert = (unitId = 'b1-102') =>
  groupRentalAlert(unitId, 9, 1, { estimate: undefined, firstSeen: new Date(T0).toISOString() });
const sup = (nowMs: number) => ({ actor: { id: 'sup-1', role: 'supervisor' }, nowMs, noticeDays: 7 });

async function policeEntries(): Promise<unknown[]> {
  const entries = await ctx.redis.xrange(ctx.keys.policeStream, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[1] as string));
}

describe('RedisCaseStore', () => {
  it('saves a new case, finds it by id and by unit, and feeds the control room', async () => {
    const s = store();
    const c = openCase(alert(), { id: await s.nextId(), nowMs: T0 });
    const saved = await s.save(c, 0, 'opened', undefined);
    expect(saved?.streamId).toMatch(/^\d+-\d+$/);
    expect(saved?.policeStreamId).toBeUndefined();
    expect(await s.get(c.id)).toEqual(c);
    expect(await s.latestForUnit('tiny', 'b1-102')).toEqual(c);
    const [entry] = await ctx.redis.xrange(ctx.keys.alertStream, '-', '+');
    expect(entry?.[1].slice(0, 4)).toEqual(['type', 'case', 'change', 'opened']);
    expect(await ctx.redis.xlen(ctx.keys.policeStream)).toBe(0);
  });

  it('refuses a save computed from a stale version, so two operators cannot both move a case', async () => {
    const s = store();
    const c = openCase(alert(), { id: await s.nextId(), nowMs: T0 });
    await s.save(c, 0, 'opened', undefined);
    const first = applyCaseCommand(c, { action: 'acknowledge' }, sup(T0 + 1000));
    const second = applyCaseCommand(c, { action: 'acknowledge', note: 'me too' }, sup(T0 + 2000));
    if (!first.ok || !second.ok) throw new Error('expected both to apply in memory');
    expect(await s.save(first.case, c.version, 'transition', undefined)).toBeDefined();
    expect(await s.save(second.case, c.version, 'transition', undefined)).toBeUndefined();
    expect((await s.get(c.id))?.history.at(-1)?.reason).toBeUndefined();
    expect(await s.save(c, 0, 'opened', undefined)).toBeUndefined();
  });

  it('opens a case for a unit only if the unit is as the decision saw it', async () => {
    const s = store();
    const a = openCase(alert(), { id: await s.nextId(), nowMs: T0 });
    const b = openCase(alert(), { id: await s.nextId(), nowMs: T0 });
    expect(await s.save(a, 0, 'opened', undefined)).toBeDefined();
    expect(await s.save(b, 0, 'opened', undefined)).toBeUndefined(); // decided before a existed
    expect(await s.save(b, 0, 'opened', undefined, a.id)).toBeDefined(); // decided knowing a (e.g. a closed)
    expect((await s.latestForUnit('tiny', 'b1-102'))?.id).toBe(b.id);
  });

  it('writes the police entry of a confirmed case in the same step', async () => {
    const s = store();
    let c = openCase(alert(), { id: await s.nextId(), nowMs: T0 });
    await s.save(c, 0, 'opened', undefined);
    for (const cmd of [
      { action: 'acknowledge' },
      { action: 'inspect' },
      { action: 'confirm', inspector: 'Wang Li', findings: 'Zhang San and 8 others, bunk beds', peopleFound: 9 },
    ] as const) {
      const r = applyCaseCommand(c, cmd, sup(T0 + 1000));
      if (!r.ok) throw new Error(r.reason);
      await s.save(r.case, c.version, 'transition', policeCaseEntry(r.case));
      c = r.case;
    }
    const police = await policeEntries();
    expect(police).toEqual([
      {
        type: 'case',
        at: c.updatedAt,
        caseId: c.id,
        estateId: 'tiny',
        buildingId: 'b1',
        unitId: 'b1-102',
        floor: 1,
        state: 'confirmed',
        relapse: false,
        severity: 'medium',
        capacity: 0,
        peopleFound: 9,
      },
    ]);
    expect(JSON.stringify(police)).not.toContain('Zhang');
  });

  it('lists newest first, filtered by estate, state and openness', async () => {
    const s = store();
    const a = openCase(alert('b1-101'), { id: await s.nextId(), nowMs: T0 });
    const b = openCase(alert('b1-102'), { id: await s.nextId(), nowMs: T0 + 1000 });
    await s.save(a, 0, 'opened', undefined);
    await s.save(b, 0, 'opened', undefined);
    expect((await s.list({ limit: 10 })).map((c) => c.unitId)).toEqual(['b1-102', 'b1-101']);
    expect(await s.list({ limit: 10, estateIds: ['other'] })).toEqual([]);
    expect((await s.list({ limit: 1, estateIds: ['tiny'] })).map((c) => c.unitId)).toEqual(['b1-102']);
    expect((await s.list({ limit: 10, unitId: 'b1-101', state: 'candidate' })).map((c) => c.id)).toEqual([a.id]);
    expect((await s.openCases()).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe('safety alarms on the police feed', () => {
  it('appends a raised and a cleared smoke alarm in the same step as the alert, never a repeat or a low battery', async () => {
    const alerts = new RedisAlertStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 180, streamMaxLen: 1000 });
    const smoke = (id: string, active: boolean) =>
      accept('smoke-b1-101', alarmPayload(id, at(0, '02:00:00'), 'smoke', active));
    await alerts.apply(decideForAlarm(smoke('a-1', true), { active: true, sinceMs: at(0, '02:00:00') }));
    await alerts.apply(decideForAlarm(smoke('a-1', true), { active: true, sinceMs: at(0, '02:00:00') }));
    const battery = accept('smoke-b1-101', alarmPayload('a-2', at(0, '02:01:00'), 'low-battery', true));
    await alerts.apply(decideForAlarm(battery, { active: true, sinceMs: at(0, '02:01:00') }));
    await alerts.apply(decideForAlarm(smoke('a-3', false), { active: false, sinceMs: at(0, '02:30:00') }));
    const police = (await policeEntries()) as { alarm: string; active: boolean }[];
    expect(police.map((p) => `${p.alarm}:${p.active}`)).toEqual(['smoke:true', 'smoke:false']);
  });
});

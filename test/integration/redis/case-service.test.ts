import { describe, expect, it } from 'vitest';
import { RedisCaseStore } from '../../../src/adapters/redis/case-store.js';
import { type CaseAudit, createCaseService } from '../../../src/core/cases/case-service.js';
import type { AlertUpdate } from '../../../src/core/ports.js';
import { at, groupRentalAlert } from '../../helpers/core-fixtures.js';
import { useRedis } from '../../helpers/redis.js';

const ctx = useRedis();
const MIN = 60_000;
const DAY = 86_400_000;

function setup(startMs = at(0, '10:00:00')) {
  let now = startMs;
  const audits: CaseAudit[] = [];
  const store = new RedisCaseStore({ redis: ctx.redis, keys: ctx.keys, retentionDays: 180, streamMaxLen: 1000 });
  const service = createCaseService({
    store,
    settings: { noticeDays: 7, watchDays: 90, acknowledgeWithinMin: 30, dismissedRegrowth: 2 },
    clock: { now: () => now },
    audit: (e) => {
      audits.push(e);
      return Promise.resolve();
    },
  });
  return { store, service, audits, advance: (ms: number) => (now += ms) };
}

const update = (n = 1, people = 9, unitId = 'b1-102'): AlertUpdate => ({
  change: 'raised',
  streamId: '1-0',
  alert: groupRentalAlert(unitId, people, n),
});
const supervisor = { id: 'sup-1', role: 'supervisor' };

describe('case service against Redis', () => {
  it('opens one case per unit however often the alert changes, and links what follows', async () => {
    const { service, store } = setup();
    const opened = await service.followAlert(update());
    expect(opened).toMatchObject({ state: 'candidate', peopleAtOpen: 9 });
    expect(await service.followAlert(update())).toEqual(opened);
    const linked = await service.followAlert(update(1, 11));
    expect(linked).toMatchObject({ id: opened?.id, peopleNow: 11, version: 2 });
    expect(await store.list({ limit: 10 })).toHaveLength(1);
  });

  it('opens a single case when two instances follow alerts of one unit at the same moment', async () => {
    const a = setup();
    const b = setup();
    await Promise.all([a.service.followAlert(update(1)), b.service.followAlert(update(2))]);
    const cases = await a.store.list({ limit: 10 });
    expect(cases).toHaveLength(1);
    expect(cases[0]?.alertIds.sort()).toEqual([update(1).alert.id, update(2).alert.id].sort());
  });

  it('walks a case to watch, reopens it as a relapse, and audits every step', async () => {
    const { service, audits, advance } = setup();
    const c = await service.followAlert(update());
    const id = c?.id as string;
    for (const command of [
      { action: 'acknowledge' },
      { action: 'inspect' },
      { action: 'confirm', inspector: 'Wang Li', findings: 'bunk beds' },
      { action: 'serve-notice' },
      { action: 'rectify', inspector: 'Wang Li', findings: 'partitions removed' },
    ] as const) {
      const r = await service.act(id, command, supervisor);
      expect(r.ok).toBe(true);
    }
    advance(MIN);
    expect(await service.tick()).toBe(1); // rectified → watch
    // a new alert day on the watched unit's old alert changes nothing the police see
    const police = () => ctx.redis.xlen(ctx.keys.policeStream);
    const before = await police();
    expect(await service.followAlert(update(1, 9))).toMatchObject({ state: 'watch' });
    expect(await police()).toBe(before);
    const relapse = await service.followAlert(update(2, 10));
    expect(relapse).toMatchObject({ id, state: 'candidate', relapse: true, severity: 'high' });
    expect(audits.map((a) => `${a.role}:${a.action}:${a.result}`)).toEqual([
      'system:case.open:ok',
      'supervisor:case.acknowledge:ok',
      'supervisor:case.inspect:ok',
      'supervisor:case.confirm:ok',
      'supervisor:case.serve-notice:ok',
      'supervisor:case.rectify:ok',
      'system:case.begin-watch:ok',
      'system:case.relapse:ok',
    ]);
    const entries = await ctx.redis.xrange(ctx.keys.policeStream, '-', '+');
    const states = entries.map(([, f]) => JSON.parse(f[1] as string) as { state: string; relapse: boolean });
    expect(states.map((s) => `${s.state}${s.relapse ? '!' : ''}`)).toEqual([
      'confirmed',
      'notice-served',
      'rectified',
      'watch',
      'relapse!',
    ]);
  });

  it('refuses a skipped step with 409 and audits the refusal; an unknown case is 404', async () => {
    const { service, audits } = setup();
    const c = await service.followAlert(update());
    const r = await service.act(c?.id as string, { action: 'confirm', inspector: 'x', findings: 'y' }, supervisor);
    expect(r).toMatchObject({ ok: false, status: 409, code: 'GW_ERR_CASE_TRANSITION' });
    expect(audits.at(-1)).toMatchObject({ action: 'case.confirm', result: 'failed' });
    expect(await service.act('case-999', { action: 'acknowledge' }, supervisor)).toMatchObject({ status: 404 });
  });

  it('escalates an unacknowledged candidate on the clock, once per period', async () => {
    const { service, store, advance } = setup();
    const c = await service.followAlert(update());
    advance(29 * MIN);
    expect(await service.tick()).toBe(0);
    advance(MIN);
    expect(await service.tick()).toBe(1);
    expect(await service.tick()).toBe(0);
    expect(await store.get(c?.id as string)).toMatchObject({ severity: 'high', escalations: 1 });
    advance(DAY);
    expect(await service.tick()).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, raiseGroupRental } from '../../helpers/core-fixtures.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

type Frame = Record<string, unknown> & { type: string };

const groupRental = (unitId: string, people: number) =>
  raiseGroupRental(unitId, people, at(0, '10:00:00'), {
    severity: 'low',
    evidence: [{ signal: 'active-credentials', label: 'l', value: people, text: 'fingerprints of Li Lei and others' }],
  });

describe('cases over REST and the two feeds', () => {
  let gw: TestGateway;
  let caseId: string;
  const police: Frame[] = [];
  const control: Frame[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    const feed = (path: string, role: 'police' | 'operator', into: Frame[]) =>
      gw.app.injectWS(
        path,
        { headers: gw.as(role) },
        { onInit: (s) => s.on('message', (d) => into.push(JSON.parse(String(d)))) },
      );
    await feed('/ws/police', 'police', police);
    await feed('/ws/alerts', 'operator', control);
    await waitFor(
      () => police.some((f) => f.type === 'ready') && control.some((f) => f.type === 'ready'),
      'feeds ready',
    );
    await gw.alerts.apply([groupRental('b1-102', 9)]);
    await waitFor(async () => {
      const res = await gw.app.inject({ url: '/cases', headers: gw.as('operator') });
      caseId = res.json().items[0]?.id;
      return caseId !== undefined;
    }, 'the alert to become a case');
  });
  afterAll(() => gw?.cleanup());

  const act = (role: Parameters<TestGateway['as']>[0], body: unknown) =>
    gw.app.inject({ method: 'POST', url: `/cases/${caseId}/actions`, headers: gw.as(role), payload: body as object });

  it('opens a candidate case for the alert, with its history, the alerts behind it and the actions open to it', async () => {
    const res = await gw.app.inject({ url: `/cases/${caseId}`, headers: gw.as('operator') });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({
      state: 'candidate',
      unitId: 'b1-102',
      peopleAtOpen: 9,
      actions: ['acknowledge', 'note'],
    });
    expect(c.alerts.map((a: { kind: string }) => a.kind)).toEqual(['group-rental-suspected']);
    expect(c.history[0]).toMatchObject({ action: 'open', role: 'system' });
  });

  it('refuses whoever has no valid bearer token, and tokens in the query string', async () => {
    expect((await gw.app.inject({ url: '/cases' })).statusCode).toBe(401);
    const inQuery = await gw.app.inject({ url: `/cases?access_token=${gw.tokens.supervisor}` });
    expect(inQuery.statusCode).toBe(401);
    const forged = await gw.app.inject({ url: '/cases', headers: { authorization: 'Bearer test-operator.forged' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['www-authenticate']).toContain('Bearer');
  });

  it('validates each action: skipped steps 409, missing reasons 400, a supervisor-only action 403 for an operator', async () => {
    expect((await act('operator', { action: 'inspect' })).statusCode).toBe(409);
    const noReason = await act('supervisor', { action: 'dismiss' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toContain('body.reason');
    expect((await act('operator', { action: 'acknowledge' })).json().state).toBe('acknowledged');
    expect((await act('operator', { action: 'inspect' })).json().state).toBe('inspecting');
    const operatorConfirms = await act('operator', { action: 'confirm', inspector: 'Wang', findings: 'beds' });
    expect(operatorConfirms.statusCode).toBe(403);
    expect((await act('police', { action: 'note', text: 'x' })).statusCode).toBe(403);
  });

  it('tells the police nothing before an inspection confirms the case, then only the unit-level view', async () => {
    expect((await gw.app.inject({ url: '/cases', headers: gw.as('police') })).json().items).toEqual([]);
    expect((await gw.app.inject({ url: `/cases/${caseId}`, headers: gw.as('police') })).statusCode).toBe(404);
    expect(police.filter((f) => f.type === 'police')).toEqual([]);

    const confirmed = await act('supervisor', {
      action: 'confirm',
      inspector: 'Wang Li',
      findings: 'Li Lei and 8 others in bunk beds',
      peopleFound: 9,
    });
    expect(confirmed.json().state).toBe('confirmed');
    await waitFor(() => police.some((f) => f.type === 'police'), 'the police feed entry');
    const frame = police.find((f) => f.type === 'police') as Frame & { entry: Record<string, unknown> };
    expect(frame.entry).toMatchObject({ type: 'case', caseId, state: 'confirmed', unitId: 'b1-102', peopleFound: 9 });
    const view = (await gw.app.inject({ url: `/cases/${caseId}`, headers: gw.as('police') })).json();
    expect(view).toEqual(frame.entry);
    for (const leaked of ['Li Lei', 'Wang', 'bunk', 'history', 'alertIds', 'evidence']) {
      expect(JSON.stringify(police)).not.toContain(leaked);
      expect(JSON.stringify(view)).not.toContain(leaked);
    }
  });

  it('gives the police no alerts, units, dead letters or control-room feed', async () => {
    for (const url of ['/alerts', '/estates/tiny/units/b1-102', '/dead-letters']) {
      expect((await gw.app.inject({ url, headers: gw.as('police') })).statusCode, url).toBe(403);
    }
    await expect(gw.app.injectWS('/ws/alerts', { headers: gw.as('police') })).rejects.toThrow(/403/);
    await expect(gw.app.injectWS('/ws/police', { headers: gw.as('operator') })).rejects.toThrow(/403/);
    await expect(gw.app.injectWS('/ws/police')).rejects.toThrow(/401/);
  });

  it('carries every case change on the control-room feed, in order with the alerts', async () => {
    await waitFor(() => control.filter((f) => f.type === 'case').length >= 4, 'case frames');
    const changes = control.filter((f) => f.type === 'case').map((f) => (f.case as { state: string }).state);
    expect(changes).toEqual(['candidate', 'acknowledged', 'inspecting', 'confirmed']);
    const ids = control.filter((f) => f.type === 'alert' || f.type === 'case').map((f) => f.id as string);
    expect(ids).toEqual([...ids].sort());
    expect(control.findIndex((f) => f.type === 'alert')).toBeLessThan(control.findIndex((f) => f.type === 'case'));
  });

  it('audits every case transition, the police reads and the login failures, in an intact chain', async () => {
    const { readAuditChain, auditHash } = await import('../../../src/adapters/redis/audit-log.js');
    const { verifyAuditChain } = await import('../../../src/core/audit.js');
    const { createKeys } = await import('../../../src/adapters/redis/keys.js');
    const chain = await readAuditChain(gw.redis, createKeys(gw.prefix));
    expect(verifyAuditChain(chain.records, chain.tip, auditHash)).toMatchObject({ ok: true });
    const actions = (chain.records as { action: string; result: string }[]).map((r) => `${r.action}:${r.result}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.open:ok',
        'case.acknowledge:ok',
        'case.inspect:ok',
        'case.confirm:ok',
        'case.inspect:failed',
        'police.read:ok',
        'auth.failure:denied',
      ]),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../src/core/access.js';
import { at, raiseGroupRental } from '../../helpers/core-fixtures.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Every route and both feeds × every role × a principal serving every estate, only this one, or only another:
 * no unauthorised 2xx, no unauthorised subscription, nothing of this estate in a foreign principal's answer. The
 * expectations are written out here, not derived from the permission table.
 */
type Scope = 'all' | 'own' | 'foreign';
const SCOPES: Scope[] = ['all', 'own', 'foreign'];

// which roles may use each route at all
const WHO: Record<string, readonly Role[]> = {
  'GET /alerts': ['operator', 'supervisor', 'auditor'],
  'GET /alerts/:id': ['operator', 'supervisor', 'auditor'],
  'GET /estates/tiny/units/b1-102': ['operator', 'supervisor'],
  'GET /dead-letters': ['operator', 'supervisor', 'admin'],
  'GET /cases': ['operator', 'supervisor', 'police', 'auditor'],
  'GET /cases/:id': ['operator', 'supervisor', 'auditor'], // police: only once confirmed
  'POST /cases/:id/actions': ['operator', 'supervisor'],
  'GET /audit': ['auditor', 'admin'],
  'POST /admin/estates/reload': ['admin'],
  'WS /ws/alerts': ['operator', 'supervisor'],
  'WS /ws/police': ['police'],
};
// routes whose answer is about this estate in particular: a foreign principal gets no 2xx
const ESTATE_BOUND = new Set([
  'GET /alerts/:id',
  'GET /estates/tiny/units/b1-102',
  'GET /cases/:id',
  'POST /cases/:id/actions',
]);

// routes that span every estate: only principals serving all of them
const ALL_ESTATES_ONLY = new Set(['GET /audit']);

describe('authorization matrix', () => {
  let gw: TestGateway;
  let alertId: string;
  let caseId: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    const raise = raiseGroupRental('b1-102', 9, at(0));
    const [update] = await gw.alerts.apply([raise]);
    alertId = update?.alert.id as string;
    caseId = await waitFor(async () => {
      const res = await gw.app.inject({ url: '/cases', headers: gw.as('operator') });
      return res.json().items[0]?.id as string | undefined;
    }, 'a case');
  });
  afterAll(() => gw?.cleanup());

  const token = (role: Role, scope: Scope) =>
    scope === 'all' ? gw.tokens[role] : scope === 'own' ? gw.scoped.own[role] : gw.scoped.foreign[role];

  async function call(route: string, role: Role, scope: Scope): Promise<{ status: number; body: string }> {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace(':id', path.startsWith('/alerts') ? encodeURIComponent(alertId) : caseId);
    const headers = { authorization: `Bearer ${token(role, scope)}` };
    if (method === 'WS') {
      try {
        const ws = await gw.app.injectWS(url, { headers });
        ws.terminate();
        return { status: 101, body: '' };
      } catch (err) {
        return { status: Number(/\d{3}/.exec(String(err))?.[0] ?? 0), body: '' };
      }
    }
    const payload = path.endsWith('/actions') ? { action: 'note', text: 'checked the meter room' } : undefined;
    const res = await gw.app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers,
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body };
  }

  const cases = Object.keys(WHO).flatMap((route) =>
    ROLES.flatMap((role) => SCOPES.map((scope) => ({ route, role, scope }))),
  );
  it.each(cases)('$route as $role serving $scope', async ({ route, role, scope }) => {
    const { status, body } = await call(route, role, scope);
    const permitted = (WHO[route] as readonly Role[]).includes(role);
    const foreignDenied =
      (scope === 'foreign' && ESTATE_BOUND.has(route)) || (scope !== 'all' && ALL_ESTATES_ONLY.has(route));
    if (!permitted) {
      expect([401, 403, 404]).toContain(status);
    } else if (foreignDenied) {
      expect([403, 404]).toContain(status);
    } else if (route === 'POST /admin/estates/reload' && scope !== 'all') {
      expect(status).toBeLessThan(300); // a configuration change is not bound to an estate
    } else if (route.startsWith('WS ')) {
      expect(status).toBe(101); // switched to the WebSocket protocol
    } else {
      expect(status, body).toBeGreaterThanOrEqual(200);
      expect(status, body).toBeLessThan(300);
    }
    // nothing of this estate ever reaches a principal of another one
    if (scope === 'foreign' && status < 300) expect(body).not.toContain('b1-102');
  });

  it('sends a foreign principal nothing of this estate on the feeds', async () => {
    const frames: { type: string }[] = [];
    const ws = await gw.app.injectWS(
      '/ws/alerts?after=0',
      { headers: { authorization: `Bearer ${gw.scoped.foreign.operator}` } },
      { onInit: (s) => s.on('message', (d) => frames.push(JSON.parse(String(d)))) },
    );
    await waitFor(() => frames.some((f) => f.type === 'ready'), 'the replay');
    ws.terminate();
    expect(frames.filter((f) => f.type === 'alert' || f.type === 'case')).toEqual([]);
    expect(JSON.stringify(frames)).not.toContain('b1-102');
  });

  it('refuses every route and feed without a token', async () => {
    for (const route of Object.keys(WHO)) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(':id', caseId);
      if (method === 'WS') await expect(gw.app.injectWS(url)).rejects.toThrow(/401/);
      else expect((await gw.app.inject({ method: method as 'GET' | 'POST', url })).statusCode, route).toBe(401);
    }
  });
});

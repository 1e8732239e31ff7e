import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type Authenticator,
  type AuthFailure,
  type Credential,
  createAuthenticator,
  generateToken,
  hashToken,
  principalOf,
  requireAccess,
} from '../../../src/adapters/http/auth.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const tokens = {
  operator: generateToken('ops-1'),
  police: generateToken('pol-1'),
  expired: generateToken('ops-old'),
};

const estateParam = (req: FastifyRequest) => (req.params as { estateId?: string }).estateId;

/** One REST route and one WebSocket route, guarded the way the gateway's routes will be. */
async function buildApp(auth: Authenticator): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(websocket);
  app.get(
    '/estates/:estateId/units/:unitId',
    { onRequest: requireAccess(auth, 'units.read', estateParam) },
    async (req) => ({ principal: principalOf(req).id }),
  );
  app.get('/ws/feed', { websocket: true, onRequest: requireAccess(auth, 'feed.control-room') }, (socket, req) => {
    socket.send(JSON.stringify({ type: 'hello', principal: principalOf(req).id }));
  });
  return app;
}

describe('bearer authentication and authorisation', () => {
  let app: FastifyInstance;
  let failures: AuthFailure[] = [];

  beforeAll(async () => {
    const principals: Credential[] = [
      { id: 'ops-1', role: 'operator', estates: ['shjy'], tokenHash: await hashToken(tokens.operator) },
      { id: 'pol-1', role: 'police', estates: 'all', tokenHash: await hashToken(tokens.police) },
      {
        id: 'ops-old',
        role: 'operator',
        estates: 'all',
        tokenHash: await hashToken(tokens.expired),
        expiresAt: '2026-11-20T09:59:59Z',
      },
    ];
    app = await buildApp(
      createAuthenticator({ principals, clock: { now: () => NOW }, onFailure: (f) => failures.push(f) }),
    );
    await app.ready();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    failures = [];
  });

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  describe('REST', () => {
    it('lets an operator read a unit of its own estate', async () => {
      const res = await get('/estates/shjy/units/b1-101', tokens.operator);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ principal: 'ops-1' });
      expect(failures).toEqual([]);
    });

    it('answers a request without a token with 401 and a Bearer challenge', async () => {
      const res = await get('/estates/shjy/units/b1-101');
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.json()).toEqual({
        error: 'missing bearer token; send Authorization: Bearer <token>',
        code: 'GW_ERR_UNAUTHENTICATED',
      });
      expect(failures).toEqual([{ reason: 'missing-token', ip: '127.0.0.1' }]);
    });

    it('refuses another scheme', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/estates/shjy/units/b1-101',
        headers: { authorization: `Basic ${Buffer.from('ops-1:x').toString('base64')}` },
      });
      expect(res.statusCode).toBe(401);
      expect(failures.map((f) => f.reason)).toEqual(['not-bearer']);
    });

    it('refuses a wrong secret, an unknown principal and a malformed token alike', async () => {
      const answers = await Promise.all([
        get('/estates/shjy/units/b1-101', generateToken('ops-1')),
        get('/estates/shjy/units/b1-101', generateToken('nobody')),
        get('/estates/shjy/units/b1-101', 'not-a-token'),
      ]);
      for (const res of answers) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(res.json()).toEqual({ error: 'invalid or expired token', code: 'GW_ERR_UNAUTHENTICATED' });
      }
      expect(failures.map(({ principalId, reason }) => ({ principalId, reason }))).toEqual(
        expect.arrayContaining([
          { principalId: 'ops-1', reason: 'wrong-secret' },
          { principalId: 'nobody', reason: 'unknown-principal' },
          { principalId: undefined, reason: 'malformed-token' },
        ]),
      );
      expect(failures).toHaveLength(3);
    });

    it('refuses an expired token', async () => {
      const res = await get('/estates/shjy/units/b1-101', tokens.expired);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'invalid or expired token', code: 'GW_ERR_UNAUTHENTICATED' });
      expect(failures).toEqual([{ principalId: 'ops-old', reason: 'expired', ip: '127.0.0.1' }]);
    });

    it.each(['token', 'access_token', 'Auth', 'BEARER', 'jwt'])(
      'refuses a token in the query string (%s), even a valid one sent with a valid header',
      async (key) => {
        const res = await get(`/estates/shjy/units/b1-101?${key}=${tokens.operator}`, tokens.operator);
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({
          error: 'tokens are not accepted in the query string; send Authorization: Bearer <token>',
          code: 'GW_ERR_UNAUTHENTICATED',
        });
        expect(failures).toEqual([{ principalId: 'ops-1', reason: 'token-in-query', ip: '127.0.0.1' }]);
      },
    );

    it('answers 403 to police asking for an operator-only action', async () => {
      const res = await get('/estates/shjy/units/b1-101', tokens.police);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'role police may not units.read', code: 'GW_ERR_FORBIDDEN' });
      expect(failures).toEqual([]);
    });

    it("answers 403 to an operator asking about another estate's unit", async () => {
      const res = await get('/estates/hyxc/units/b1-101', tokens.operator);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'ops-1 does not serve estate hyxc', code: 'GW_ERR_FORBIDDEN' });
    });
  });

  // injectWS's request has no socket address, so these failures carry no ip; the loopback test checks it
  describe('WebSocket upgrade', () => {
    const connect = (url: string, headers: Record<string, string> = {}) => {
      const frames: unknown[] = [];
      const opened = app.injectWS(
        url,
        { headers },
        { onInit: (ws) => ws.on('message', (d) => frames.push(JSON.parse(d.toString()))) },
      );
      return { opened, frames };
    };

    it('refuses the upgrade without a token', async () => {
      await expect(connect('/ws/feed').opened).rejects.toThrow('Unexpected server response: 401');
      expect(failures).toEqual([{ reason: 'missing-token' }]);
    });

    it('accepts the upgrade with a valid bearer header', async () => {
      const c = connect('/ws/feed', { authorization: `Bearer ${tokens.operator}` });
      const ws = await c.opened;
      await expect.poll(() => c.frames).toEqual([{ type: 'hello', principal: 'ops-1' }]);
      ws.terminate();
    });

    it('refuses a token that is only in the query string', async () => {
      await expect(connect(`/ws/feed?access_token=${tokens.operator}`).opened).rejects.toThrow(
        'Unexpected server response: 401',
      );
      expect(failures).toEqual([{ principalId: 'ops-1', reason: 'token-in-query' }]);
    });

    it('refuses the upgrade for a role without the feed', async () => {
      await expect(connect('/ws/feed', { authorization: `Bearer ${tokens.police}` }).opened).rejects.toThrow(
        'Unexpected server response: 403',
      );
    });

    it('answers a real client over loopback the same way', async () => {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `${address.replace('http', 'ws')}/ws/feed`;
      const refused = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error('upgraded without a token')));
        ws.on('error', reject);
      });
      expect(refused).toBe(401);
      expect(failures).toEqual([{ reason: 'missing-token', ip: '127.0.0.1' }]);

      const hello = await new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(url, { headers: { authorization: `Bearer ${tokens.operator}` } });
        ws.on('message', (d) => {
          resolve(JSON.parse(d.toString()));
          ws.close();
        });
        ws.on('error', reject);
      });
      expect(hello).toEqual({ type: 'hello', principal: 'ops-1' });
    });
  });
});

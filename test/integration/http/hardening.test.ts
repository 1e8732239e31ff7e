import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { generateToken, hashToken } from '../../../src/adapters/http/auth.js';
import { createLogger } from '../../../src/logger.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

/** A principal whose token stopped being valid yesterday (the helper adds it to the standard ones). */
const expiredToken = generateToken('test-expired');
const expiredPrincipal = async () => ({
  id: 'test-expired',
  role: 'operator' as const,
  estates: 'all' as const,
  tokenHash: await hashToken(expiredToken),
  expiresAt: new Date(Date.now() - 86_400_000).toISOString(),
});

/** The status an upgrade was refused with (injectWS rejects with "Unexpected server response: 403"), or 101. */
async function upgrade(gw: TestGateway, path: string, headers: Record<string, string>): Promise<number> {
  try {
    const ws = await gw.app.injectWS(path, { headers });
    ws.terminate();
    return 101;
  } catch (err) {
    return Number(/\b(\d{3})\b/.exec(String(err))?.[1] ?? 0);
  }
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('API hardening', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      auth: { principals: [await expiredPrincipal()] },
      http: { allowedOrigins: ['https://control.example.org'] },
    });
  });
  afterAll(() => gw?.cleanup());
  afterEach(() => vi.restoreAllMocks());

  describe('size limits', () => {
    it('refuses a request body over 64 KiB with 413 before reading it', async () => {
      const res = await gw.app.inject({
        method: 'POST',
        url: '/cases/c-1/actions',
        headers: { ...gw.as('operator'), 'content-type': 'application/json' },
        payload: JSON.stringify({ action: 'note', text: 'x'.repeat(70 * 1024) }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    });

    it('closes a WebSocket that sends a frame over 4 KiB with 1009', async () => {
      const ws = await gw.app.injectWS('/ws/alerts', { headers: gw.as('operator') });
      const closed = closeOf(ws);
      ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
      expect((await closed).code).toBe(1009);
    });
  });

  describe('authentication', () => {
    it('answers 401 to a REST request without a token or with an expired one', async () => {
      const missing = await gw.app.inject({ url: '/alerts' });
      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toMatchObject({ code: 'GW_ERR_UNAUTHENTICATED' });
      const expired = await gw.app.inject({ url: '/alerts', headers: { authorization: `Bearer ${expiredToken}` } });
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toEqual({ error: 'invalid or expired token', code: 'GW_ERR_UNAUTHENTICATED' });
    });

    it('refuses a WebSocket upgrade without a token or with an expired one with 401', async () => {
      expect(await upgrade(gw, '/ws/alerts', {})).toBe(401);
      expect(await upgrade(gw, '/ws/alerts', { authorization: `Bearer ${expiredToken}` })).toBe(401);
      expect(await upgrade(gw, '/ws/alerts', gw.as('operator'))).toBe(101);
    });
  });

  describe('WebSocket origin', () => {
    const host = 'gateway.example.org:8443';

    it('refuses an upgrade from a foreign page with 403, before looking at the token', async () => {
      expect(await upgrade(gw, '/ws/alerts', { ...gw.as('operator'), host, origin: 'https://evil.example' })).toBe(403);
      expect(await upgrade(gw, '/ws/police', { ...gw.as('police'), host, origin: 'null' })).toBe(403);
      expect(await upgrade(gw, '/ws/alerts', { host, origin: 'https://evil.example' })).toBe(403);
      // same host name on another port is another origin
      expect(
        await upgrade(gw, '/ws/alerts', { ...gw.as('operator'), host, origin: 'https://gateway.example.org' }),
      ).toBe(403);
      expect(gw.logs.lines.some((l) => l.msg === 'WebSocket upgrade from a foreign origin refused')).toBe(true);
    });

    it("accepts the API's own origin, a configured one and clients that send no Origin", async () => {
      expect(await upgrade(gw, '/ws/alerts', { ...gw.as('operator'), host, origin: `https://${host}` })).toBe(101);
      expect(
        await upgrade(gw, '/ws/alerts', { ...gw.as('operator'), host, origin: 'https://control.example.org' }),
      ).toBe(101);
      expect(await upgrade(gw, '/ws/police', { ...gw.as('police'), host })).toBe(101);
    });
  });

  describe('security headers', () => {
    const common = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };

    it('sends them on API answers, refusals and errors alike, without HSTS over plain HTTP', async () => {
      const answers = await Promise.all([
        gw.app.inject({ url: '/alerts', headers: gw.as('operator') }),
        gw.app.inject({ url: '/alerts' }),
        gw.app.inject({ url: '/no-such-route', headers: gw.as('operator') }),
        gw.app.inject({ url: '/health/live' }),
      ]);
      expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404, 200]);
      for (const res of answers) {
        expect(res.headers).toMatchObject({
          ...common,
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        });
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it("keeps the control-room page's own content security policy", async () => {
      const res = await gw.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject(common);
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    });
  });

  describe('internal errors', () => {
    it('answers a failure inside a route with 500 and the generic body only, and logs the detail', async () => {
      const failure = new Error('ECONNRESET reading linli:{alerts}:index at 10.0.0.7:6379');
      vi.spyOn(gw.alerts, 'list').mockRejectedValue(failure);
      const res = await gw.app.inject({ url: '/alerts', headers: gw.as('operator') });
      expect(res.statusCode).toBe(500);
      expect(res.body).toBe(JSON.stringify({ error: 'internal error', code: 'GW_ERR_INTERNAL' }));
      expect(res.body).not.toContain('ECONNRESET');
      expect(res.body).not.toContain('at ');
      const logged = gw.logs.lines.find((l) => l.msg === 'request failed');
      expect((logged?.err as { stack?: string } | undefined)?.stack).toContain('ECONNRESET');
    });
  });

  describe('logs', () => {
    it('never contain a bearer token, whether sent as a header, a subprotocol or in the query', async () => {
      const token = gw.tokens.operator;
      const secret = token.slice(token.indexOf('.') + 1);
      await gw.app.inject({ url: '/alerts', headers: gw.as('operator') });
      await gw.app.inject({ url: '/alerts', headers: { authorization: `Bearer ${token}x` } });
      await gw.app.inject({ url: `/alerts?access_token=${encodeURIComponent(token)}` });
      const ws = await gw.app.injectWS('/ws/alerts', {
        headers: { 'sec-websocket-protocol': `linli.bearer, ${token}` },
      });
      ws.terminate();
      expect(gw.logs.lines.some((l) => l.msg === 'incoming request')).toBe(true);
      expect(gw.logs.text()).toContain('access_token=[redacted]');
      expect(gw.logs.text()).not.toContain(secret);
    });

    it('redact authorization headers, passwords, keys, token hashes and secrets wherever a component logs them', () => {
      const raw: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          raw.push(chunk.toString());
          done();
        },
      });
      const log = createLogger('info', sink);
      log.info({ req: { headers: { authorization: 'Bearer tok-1' } } }, 'a');
      log.info({ headers: { authorization: 'Bearer tok-2', 'sec-websocket-protocol': 'linli.bearer, tok-3' } }, 'b');
      log.info({ mqtt: { password: 'pw-4' }, privacy: { pseudonymKey: 'key-5' } }, 'c');
      log.info({ principal: { id: 'p', tokenHash: 'hash-6' }, device: { secret: 'sec-7' } }, 'd');
      const text = raw.join('');
      for (const leaked of ['tok-1', 'tok-2', 'tok-3', 'pw-4', 'key-5', 'hash-6', 'sec-7']) {
        expect(text).not.toContain(leaked);
      }
      // six censored in place; `req` goes through the request serializer, which keeps no header at all
      expect(text.match(/\[redacted\]/g)).toHaveLength(6);
    });
  });
});

describe('rate limits', () => {
  let gw: TestGateway;
  let other: TestGateway | undefined;
  beforeAll(async () => {
    gw = await startTestGateway({
      http: { rateLimit: { perMinute: 6, burst: 3, anonymousPerMinute: 6, anonymousBurst: 2 } },
    });
  });
  afterAll(async () => {
    await other?.cleanup();
    await gw?.cleanup();
  });

  const get = (g: TestGateway, url: string, headers: Record<string, string> = {}, remoteAddress = '192.0.2.10') =>
    g.app.inject({ url, headers, remoteAddress });

  it('answers a principal over its budget with 429 and Retry-After, without touching other principals', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(gw, '/alerts', gw.as('operator'))).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const over = await get(gw, '/alerts', gw.as('operator'));
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(10); // one request every 10 s
    expect(over.json()).toEqual({ error: expect.stringMatching(/^too many requests/), code: 'GW_ERR_RATE_LIMITED' });
    expect(over.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(gw, '/alerts', gw.as('supervisor'))).statusCode).toBe(200);
  });

  it('counts WebSocket upgrades against the same budget', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await upgrade(gw, '/ws/police', gw.as('police')));
    expect(statuses).toEqual([101, 101, 101, 429]);
  });

  it('throttles requests without a valid token per client IP, before their token is checked', async () => {
    const guess = () => get(gw, '/alerts', { authorization: `Bearer ${generateToken('test-operator')}` });
    expect((await guess()).statusCode).toBe(401);
    expect((await get(gw, '/alerts')).statusCode).toBe(401);
    const throttled = await guess();
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'GW_ERR_RATE_LIMITED' });
    // another address is not affected
    const elsewhere = await gw.app.inject({ url: '/alerts', remoteAddress: '192.0.2.11' });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 10; i++) expect((await get(gw, '/health/live')).statusCode).toBe(200);
  });

  it('shares one budget between instances on the same Redis', async () => {
    other = await startTestGateway({
      prefix: gw.prefix,
      http: { rateLimit: { perMinute: 6, burst: 3, anonymousPerMinute: 6, anonymousBurst: 2 } },
    });
    // from another address: 192.0.2.10 spent its anonymous budget above, which turns away even valid tokens
    const from = (g: TestGateway) => get(g, '/alerts', g.as('auditor'), '192.0.2.12');
    expect((await from(gw)).statusCode).toBe(200);
    expect((await from(other)).statusCode).toBe(200);
    expect((await from(gw)).statusCode).toBe(200);
    expect((await from(other)).statusCode).toBe(429);
  });
});

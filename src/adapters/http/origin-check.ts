import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Normalised origins (`scheme://host[:port]`) that may open a WebSocket besides the API's own; see app.ts. */
    allowedOrigins?: ReadonlySet<string>;
  }
}

const NONE: ReadonlySet<string> = new Set();
const refused = new WeakSet<FastifyRequest>();

/** Whether checkOrigin refused this request (its 403 says nothing about a token; see rate-limit.ts). */
export function originRefused(req: FastifyRequest): boolean {
  return refused.has(req);
}

/** `https://Example.org:443` → `https://example.org`; throws on anything that is not an http(s) origin. */
export function normaliseOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${origin} is not an http(s) origin`);
  return url.origin;
}

/**
 * Whether a browser page at `origin` may open a WebSocket here: an allowed origin, or the API's own (the origin's
 * host equals the Host the request was sent to). `null` (sandboxed frames, file:) and anything unparsable is refused.
 */
export function isAllowedOrigin(origin: string, host: string | undefined, allowed: ReadonlySet<string>): boolean {
  let url: URL;
  try {
    url = new URL(normaliseOrigin(origin));
  } catch {
    return false;
  }
  if (allowed.has(url.origin)) return true;
  if (host === undefined) return false;
  try {
    // parsed with the origin's scheme, so `example.org:443` and `example.org` compare equal for https
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

/**
 * onRequest hook of the WebSocket routes, first of them: browsers let any page open a WebSocket to any host and do
 * not apply CORS to it, so a foreign page with a leaked token could read the feeds (cross-site WebSocket hijacking).
 * A foreign Origin gets 403 before the upgrade and before the token is checked. Clients that send no Origin at all
 * (devices, scripts, other services) are not browsers and pass; their token is what guards them.
 */
export function checkOrigin(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const origin = req.headers.origin;
  if (origin === undefined || isAllowedOrigin(origin, req.headers.host, req.server.allowedOrigins ?? NONE)) {
    done();
    return;
  }
  refused.add(req);
  req.log.warn({ origin, path: req.routeOptions.url }, 'WebSocket upgrade from a foreign origin refused');
  reply.code(403).send({
    error: `origin ${origin} may not open this feed; add it to http.allowedOrigins`,
    code: 'GW_ERR_ORIGIN_NOT_ALLOWED',
  });
}

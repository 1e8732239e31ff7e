import type { FastifyReply, FastifyRequest } from 'fastify';

/** The API's JSON needs no resources and no frames; pages that do (the control room) set their own policy. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=31536000';

/**
 * onSend hook: the headers every response carries. Synchronous on purpose: a hook that replies early
 * (`requireAccess`, the rate limit) relies on `reply.sent` being true right after `send()`, which an async onSend
 * hook would delay. HSTS only over HTTPS (browsers ignore it on plain HTTP, and it would pin a proxy's domain).
 */
export function securityHeaders(o: { tls: boolean }) {
  return (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    // alerts, cases and units are personal data: no browser or proxy keeps a copy
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    if (o.tls) reply.header('strict-transport-security', HSTS);
    done(null, payload);
  };
}

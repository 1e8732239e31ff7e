import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Action, authorize, type Principal } from '../../core/access.js';
import { ID_PATTERN } from '../../core/events.js';
import { type Clock, systemClock } from '../../core/ports.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAccess` once the bearer token checked out; absent on routes it does not guard. */
    principal?: Principal;
  }
}

/** A principal as configured: its token is stored only as `hashToken`'s output. */
export type Credential = Principal & { tokenHash: string; expiresAt?: string | undefined };

/** Stable strings for the audit log; the client is told less (see CLIENT_REASON). */
export type AuthFailureReason =
  | 'missing-token'
  | 'not-bearer'
  | 'malformed-token'
  | 'token-in-query'
  | 'unknown-principal'
  | 'wrong-secret'
  | 'expired';

/** `principalId` is the id the token claims, known once the token has the `<id>.<secret>` shape. */
export type AuthFailure = { principalId?: string; reason: AuthFailureReason; ip?: string };

export type AuthResult = { ok: true; principal: Principal } | { ok: false; status: 401; reason: string };

export type Authenticator = {
  authenticate(headers: IncomingHttpHeaders, query?: unknown, ip?: string): Promise<AuthResult>;
};

// A wrong id, secret or an expiry all read the same to the client, so a guesser learns nothing; the audit sees which
const INVALID = 'invalid or expired token';
const CLIENT_REASON: Record<AuthFailureReason, string> = {
  'missing-token': 'missing bearer token; send Authorization: Bearer <token>',
  'not-bearer': 'unsupported authorization scheme; send Authorization: Bearer <token>',
  'token-in-query': 'tokens are not accepted in the query string; send Authorization: Bearer <token>',
  'malformed-token': INVALID,
  'unknown-principal': INVALID,
  'wrong-secret': INVALID,
  expired: INVALID,
};

/** Query parameters a client might put a token in; URLs end up in logs, proxies and browser history. */
const TOKEN_QUERY_KEYS = new Set(['token', 'access_token', 'auth', 'bearer', 'jwt']);

const SECRET_BYTES = 32;
const SCRYPT = { N: 16_384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 };
const HASH_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;
const SECRET_FORMAT = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((SECRET_BYTES * 4) / 3)},512}$`);

/** A fresh token for `principalId`: `<id>.<secret>`, the secret 32 random bytes in base64url. */
export function generateToken(principalId: string): string {
  if (!ID_PATTERN.test(principalId)) throw new Error(`principal id must match ${ID_PATTERN}`);
  return `${principalId}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** Splits `<id>.<secret>`; undefined when the token does not have that shape. */
export function parseToken(token: string): { principalId: string; secret: string } | undefined {
  const dot = token.indexOf('.');
  const principalId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 0 || !ID_PATTERN.test(principalId) || !SECRET_FORMAT.test(secret)) return undefined;
  return { principalId, secret };
}

/** `scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>` of the whole token, so a secret is bound to its principal id. */
export async function hashToken(token: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const key = await scryptKey(token, salt, SCRYPT.keyBytes, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `token` is the one `tokenHash` was made from. Never throws: a malformed hash simply does not match. */
export async function verifyToken(token: string, tokenHash: string): Promise<boolean> {
  const params = parseHash(tokenHash);
  if (!params) return false;
  try {
    const key = await scryptKey(token, params.salt, params.key.length, params);
    return timingSafeEqual(key, params.key);
  } catch {
    return false;
  }
}

type ScryptParams = { N: number; r: number; p: number };

function parseHash(tokenHash: string): (ScryptParams & { salt: Buffer; key: Buffer }) | undefined {
  const m = HASH_FORMAT.exec(tokenHash);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  // bounds keep a hostile or mistyped configuration from making one check cost seconds or gigabytes
  const sane =
    N >= 1024 && N <= 1_048_576 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16 && N * r <= 2 ** 22;
  if (!sane || salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { N, r, p, salt, key };
}

function scryptKey(secret: string, salt: Buffer, keyBytes: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; the default cap (32 MiB) would refuse the larger hashes parseHash admits
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyBytes, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export type AuthenticatorOptions = {
  principals: readonly Credential[];
  /** Called once per refused request, with the detail the client is not told. Must not throw: queue, don't await. */
  onFailure: (failure: AuthFailure) => void;
  clock?: Clock;
  /** How long a verified token skips scrypt; expiry is still checked on every request. */
  cacheTtlMs?: number;
  cacheMax?: number;
};

/**
 * Checks `Authorization: Bearer <id>.<secret>` against the configured principals. scrypt is deliberately slow, so a
 * verified token is remembered for `cacheTtlMs` under its SHA-256 (never the token itself).
 */
export function createAuthenticator(o: AuthenticatorOptions): Authenticator {
  const clock = o.clock ?? systemClock;
  const ttlMs = o.cacheTtlMs ?? 60_000;
  const cacheMax = o.cacheMax ?? 1024;
  const byId = new Map<string, Credential & { expiresMs: number }>();
  for (const c of o.principals) {
    if (byId.has(c.id)) throw new Error(`principal ${c.id} is configured twice`);
    const expiresMs = c.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(c.expiresAt);
    // an unreadable date would compare false against every clock reading, and the token would never expire
    if (Number.isNaN(expiresMs)) throw new Error(`principal ${c.id}: expiresAt ${c.expiresAt} is not a date`);
    byId.set(c.id, { ...c, expiresMs });
  }
  const verified = new Map<string, number>(); // SHA-256 of a verified token → remembered until, epoch ms
  // an unknown id costs the same scrypt as a wrong secret, so timing does not tell which ids exist
  let decoy: Promise<string> | undefined;

  const refuse = (reason: AuthFailureReason, ip: string | undefined, principalId?: string): AuthResult => {
    o.onFailure({
      reason,
      ...(principalId === undefined ? {} : { principalId }),
      ...(ip === undefined ? {} : { ip }),
    });
    return { ok: false, status: 401, reason: CLIENT_REASON[reason] };
  };

  return {
    async authenticate(headers, query, ip) {
      const inQuery = tokenInQuery(query);
      if (inQuery !== undefined) return refuse('token-in-query', ip, parseToken(inQuery)?.principalId);

      const header = headers.authorization;
      if (header === undefined || header.trim() === '') return refuse('missing-token', ip);
      const bearer = /^Bearer +(\S+) *$/i.exec(header);
      if (!bearer?.[1]) return refuse('not-bearer', ip);
      const token = bearer[1];
      const parsed = parseToken(token);
      if (!parsed) return refuse('malformed-token', ip);

      const credential = byId.get(parsed.principalId);
      if (!credential) {
        decoy ??= hashToken(generateToken('decoy'));
        await verifyToken(token, await decoy);
        return refuse('unknown-principal', ip, parsed.principalId);
      }
      // the digest covers the id too, so a remembered token cannot vouch for another principal
      const digest = createHash('sha256').update(token).digest('base64url');
      const rememberedUntil = verified.get(digest);
      if (rememberedUntil === undefined || rememberedUntil <= clock.now()) {
        verified.delete(digest);
        if (!(await verifyToken(token, credential.tokenHash))) return refuse('wrong-secret', ip, credential.id);
        const oldest = verified.keys().next();
        if (verified.size >= cacheMax && !oldest.done) verified.delete(oldest.value);
        verified.set(digest, clock.now() + ttlMs);
      }
      if (credential.expiresMs <= clock.now()) return refuse('expired', ip, credential.id);
      return { ok: true, principal: { id: credential.id, role: credential.role, estates: credential.estates } };
    },
  };
}

function tokenInQuery(query: unknown): string | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  for (const [key, value] of Object.entries(query)) {
    if (TOKEN_QUERY_KEYS.has(key.toLowerCase())) return typeof value === 'string' ? value : '';
  }
  return undefined;
}

export const AUTH_ERROR_CODES = { unauthenticated: 'GW_ERR_UNAUTHENTICATED', forbidden: 'GW_ERR_FORBIDDEN' } as const;

/**
 * A route hook (`onRequest` or `preHandler`) that lets the request through only with a bearer token whose principal
 * may take `action` (on the estate `estateOf` names, when the resource has one), and sets `request.principal`.
 * On a WebSocket route it runs before the upgrade, so a 401/403 refuses the connection.
 */
export function requireAccess(
  authenticator: Authenticator,
  action: Action,
  estateOf?: (req: FastifyRequest) => string | undefined,
): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (req, reply) => {
    const auth = await authenticator.authenticate(req.headers, req.query, req.ip);
    if (!auth.ok) {
      return reply
        .code(auth.status)
        .header('WWW-Authenticate', 'Bearer realm="linli"')
        .send({ error: auth.reason, code: AUTH_ERROR_CODES.unauthenticated });
    }
    const decision = authorize(auth.principal, action, estateOf?.(req));
    if (!decision.ok) {
      req.log.warn({ principalId: auth.principal.id, action, reason: decision.reason }, 'access denied');
      return reply.code(403).send({ error: decision.reason, code: AUTH_ERROR_CODES.forbidden });
    }
    req.principal = auth.principal;
    return undefined;
  };
}

/** The principal of a request that `requireAccess` guarded; a route that forgot the guard fails loudly. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal)
    throw new Error(`${req.method} ${req.routeOptions.url ?? req.url} is not guarded by requireAccess`);
  return req.principal;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../core/ports.js';
import type { Keys } from '../redis/keys.js';
import { scriptsOf } from '../redis/scripts.js';
import { parseToken } from './auth.js';
import { originRefused } from './origin-check.js';

/** A request budget: a sustained rate and how many requests may come at once from an idle start. */
export type Budget = { perMinute: number; burst: number };

export type RateLimitSettings = Budget & { anonymousPerMinute: number; anonymousBurst: number };

/** take: count the request if it fits; peek: count nothing; charge: count it even when over (it was served). */
export type RateMode = 'take' | 'peek' | 'charge';

export type RateDecision = { allowed: boolean; retryAfterMs: number; remaining: number };

export type RateLimiter = {
  hit(subject: string, budget: Budget, mode: RateMode): Promise<RateDecision>;
};

/**
 * Budgets kept in Redis (scripts/rateLimit-1.lua, a GCRA bucket under one key with a TTL), not in process memory:
 * behind a load balancer every instance draws on the same budget, so N instances do not multiply the limit, and a
 * restart does not refill it. One script call per check; time comes from the gateway clock (keep instances on NTP).
 */
export function redisRateLimiter(o: { redis: Redis | Cluster; keys: Keys; clock?: Clock }): RateLimiter {
  const clock = o.clock ?? systemClock;
  const scripts = scriptsOf(o.redis);
  return {
    async hit(subject, budget, mode) {
      const interval = 60_000 / budget.perMinute;
      const [allowed, retryAfterMs, remaining] = await scripts.rateLimit(
        o.keys.rateLimit(subject),
        clock.now(),
        interval,
        budget.burst,
        mode,
      );
      return { allowed: allowed === 1, retryAfterMs, remaining };
    },
  };
}

export type RateLimitHookOptions = {
  limiter: RateLimiter;
  settings: RateLimitSettings;
  log: Logger;
  /** Requests that never count (the health probes of an orchestrator). */
  exempt: (req: FastifyRequest) => boolean;
};

/**
 * Every request but the exempt ones is counted once: against its principal when it authenticated, otherwise against
 * its client IP (the smaller anonymous budget), so a token guesser is throttled before its guesses are checked.
 *
 * - onRequest (before the routes' own `requireAccess`): an IP whose anonymous budget is spent gets 429 at once,
 *   without the scrypt check of its token. It only peeks: authenticated requests never drain their IP's budget.
 * - preParsing (after `requireAccess` set `request.principal`, before the body is read): the principal's budget.
 * - onResponse: a request that ended without a principal (401, 404, the page) is charged to its IP, even when
 *   concurrent requests overtook the peek; an over-budget flood thus pushes its own Retry-After further out. A 403
 *   of `requireAccess` came after the token checked out (it only leaves `request.principal` unset), so it is
 *   charged to the principal the token names.
 * WebSocket upgrades pass the same hooks before the upgrade, so an upgrade counts as one request.
 */
export function registerRateLimit(app: FastifyInstance, o: RateLimitHookOptions): void {
  const principalBudget: Budget = { perMinute: o.settings.perMinute, burst: o.settings.burst };
  const anonymousBudget: Budget = { perMinute: o.settings.anonymousPerMinute, burst: o.settings.anonymousBurst };
  const counted = new WeakSet<FastifyRequest>();
  const ipOf = (req: FastifyRequest) => `ip:${req.ip ?? 'unknown'}`;

  // Redis trouble must not turn the limiter into an outage of its own: the request goes through and we say so once
  let failingSince: number | undefined;
  const hit = async (subject: string, budget: Budget, mode: RateMode): Promise<RateDecision> => {
    try {
      const decision = await o.limiter.hit(subject, budget, mode);
      failingSince = undefined;
      return decision;
    } catch (err) {
      if (failingSince === undefined) o.log.warn({ err }, 'rate limiter unavailable; letting requests through');
      failingSince ??= Date.now();
      return { allowed: true, retryAfterMs: 0, remaining: 0 };
    }
  };

  app.addHook('onRequest', async (req, reply) => {
    if (o.exempt(req)) {
      counted.add(req);
      return undefined;
    }
    const decision = await hit(ipOf(req), anonymousBudget, 'peek');
    if (decision.allowed) return undefined;
    counted.add(req);
    return tooMany(reply, decision);
  });

  app.addHook('preParsing', async (req, reply, payload) => {
    if (!req.principal || counted.has(req)) return payload;
    counted.add(req);
    const decision = await hit(`p:${req.principal.id}`, principalBudget, 'take');
    if (decision.allowed) return payload;
    req.log.info({ principalId: req.principal.id, retryAfterMs: decision.retryAfterMs }, 'rate limited');
    tooMany(reply, decision);
    return undefined;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (counted.has(req)) return;
    const principalId = req.principal?.id ?? (reply.statusCode === 403 ? forbiddenPrincipal(req) : undefined);
    if (principalId === undefined) await hit(ipOf(req), anonymousBudget, 'charge');
    else await hit(`p:${principalId}`, principalBudget, 'charge');
  });
}

/** The principal of a 403 that authorisation (not the origin check) gave: its token was verified first. */
function forbiddenPrincipal(req: FastifyRequest): string | undefined {
  if (originRefused(req)) return undefined;
  const bearer = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1] === undefined ? undefined : parseToken(bearer[1])?.principalId;
}

function tooMany(reply: FastifyReply, decision: RateDecision): FastifyReply {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: `too many requests; retry after ${seconds} s`, code: 'GW_ERR_RATE_LIMITED' });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { servesEstate } from '../../../core/access.js';
import { REJECT_REASONS } from '../../../core/rejections.js';
import type { RedisDeadLetters } from '../../redis/dead-letter-store.js';
import { type Authenticator, principalOf, requireAccess } from '../auth.js';
import { parseInput } from '../validation.js';

const Query = z.strictObject({
  reason: z.enum(REJECT_REASONS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Dead letters of the principal's estates; one that names no estate (an unknown device) only for those serving all. */
export function deadLetterRoutes(
  app: FastifyInstance,
  deps: { deadLetters: RedisDeadLetters; auth: Authenticator },
): void {
  app.get('/dead-letters', { onRequest: requireAccess(deps.auth, 'dead-letters.read') }, async (req) => {
    const principal = principalOf(req);
    const q = parseInput(Query, req.query, 'query');
    const [counts, items] = await Promise.all([deps.deadLetters.counts(), deps.deadLetters.list(q)]);
    const visible = items.filter((d) =>
      d.estateId === undefined ? principal.estates === 'all' : servesEstate(principal, d.estateId),
    );
    return { counts: principal.estates === 'all' ? counts : undefined, items: visible };
  });
}

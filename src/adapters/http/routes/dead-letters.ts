import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { REJECT_REASONS } from '../../../core/rejections.js';
import type { RedisDeadLetters } from '../../redis/dead-letter-store.js';
import { parseInput } from '../validation.js';

const Query = z.strictObject({
  reason: z.enum(REJECT_REASONS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function deadLetterRoutes(app: FastifyInstance, deadLetters: RedisDeadLetters): void {
  app.get('/dead-letters', async (req) => {
    const q = parseInput(Query, req.query, 'query');
    const [counts, items] = await Promise.all([deadLetters.counts(), deadLetters.list(q)]);
    return { counts, items };
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AlertKindSchema, AlertStatusSchema } from '../../../core/alerts.js';
import type { AlertStore } from '../../../core/ports.js';
import { NotFoundError, parseInput } from '../validation.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const ListQuery = z.strictObject({
  status: AlertStatusSchema.optional(),
  kind: AlertKindSchema.optional(),
  estate: Id.optional(),
  building: Id.optional(),
  unit: Id.optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('newest evidence at or after this time'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function alertRoutes(app: FastifyInstance, alerts: AlertStore): void {
  app.get('/alerts', async (req) => {
    const q = parseInput(ListQuery, req.query, 'query');
    const items = await alerts.list({
      status: q.status,
      kind: q.kind,
      estateId: q.estate,
      buildingId: q.building,
      unitId: q.unit,
      sinceMs: q.since ? Date.parse(q.since) : undefined,
      limit: q.limit,
    });
    return { items };
  });

  app.get('/alerts/:id', async (req) => {
    const { id } = parseInput(z.object({ id: z.string().min(1).max(300) }), req.params, 'params');
    const alert = await alerts.get(id);
    if (!alert)
      throw new NotFoundError(`alert ${id} not found (or superseded by a newer alert of the same unit and kind)`);
    return alert;
  });
}

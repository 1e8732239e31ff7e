import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { servesEstate } from '../../../core/access.js';
import { AlertKindSchema, AlertStatusSchema } from '../../../core/alerts.js';
import type { AlertStore } from '../../../core/ports.js';
import { type Authenticator, principalOf, requireAccess } from '../auth.js';
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

export function alertRoutes(app: FastifyInstance, deps: { alerts: AlertStore; auth: Authenticator }): void {
  const { alerts } = deps;
  const guard = { onRequest: requireAccess(deps.auth, 'alerts.read') };
  app.get('/alerts', guard, async (req) => {
    const principal = principalOf(req);
    const q = parseInput(ListQuery, req.query, 'query');
    if (q.estate && !servesEstate(principal, q.estate)) throw new NotFoundError(`no estate ${q.estate} among yours`);
    const only = principal.estates !== 'all' && principal.estates.length === 1 ? principal.estates[0] : q.estate;
    const found = await alerts.list({
      status: q.status,
      kind: q.kind,
      estateId: only,
      buildingId: q.building,
      unitId: q.unit,
      sinceMs: q.since ? Date.parse(q.since) : undefined,
      limit: q.limit,
    });
    return { items: found.filter((a) => servesEstate(principal, a.estateId)) };
  });

  app.get('/alerts/:id', guard, async (req) => {
    const { id } = parseInput(z.object({ id: z.string().min(1).max(300) }), req.params, 'params');
    const alert = await alerts.get(id);
    if (!alert || !servesEstate(principalOf(req), alert.estateId))
      throw new NotFoundError(`alert ${id} not found (or superseded by a newer alert of the same unit and kind)`);
    return alert;
  });
}

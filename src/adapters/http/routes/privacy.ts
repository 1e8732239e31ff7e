import type { FastifyInstance } from 'fastify';
import { servesEstate } from '../../../core/access.js';
import { type ErasureRequest, ErasureRequestSchema, type ErasureResult } from '../../../core/erasure.js';
import { type Authenticator, principalOf, requireAccess } from '../auth.js';
import { NotFoundError, parseInput } from '../validation.js';

export type PrivacyRouteDeps = {
  auth: Authenticator;
  erase: (req: ErasureRequest) => Promise<ErasureResult>;
  /** Every erasure is audited, without the identifiers it erased. */
  auditErasure: (who: { actor: string; role: string }, estateId: string, r: ErasureResult) => Promise<unknown>;
};

/** POST /privacy/erasures: a resident's right to erasure, carried out at once across the estate's state. */
export function privacyRoutes(app: FastifyInstance, deps: PrivacyRouteDeps): void {
  app.post('/privacy/erasures', { onRequest: requireAccess(deps.auth, 'privacy.erase') }, async (req, reply) => {
    const principal = principalOf(req);
    const body = parseInput(ErasureRequestSchema, req.body, 'body');
    if (!servesEstate(principal, body.estate)) throw new NotFoundError(`no estate ${body.estate} among yours`);
    const result = await deps.erase(body);
    await deps.auditErasure({ actor: principal.id, role: principal.role }, body.estate, result);
    if (!result.ok) return reply.code(result.status).send({ error: result.error, code: 'GW_ERR_NOT_FOUND' });
    return { removed: result.removed, units: result.units, alertChanges: result.alertChanges };
  });
}

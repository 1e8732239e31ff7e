import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../../../core/audit.js';
import { type Authenticator, principalOf, requireAccess } from '../auth.js';
import { parseInput } from '../validation.js';

const AuditQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe('entries after this sequence number'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type AdminRouteDeps = {
  auth: Authenticator;
  audit: AuditLog;
  /** Re-reads the estate registry files; audited as a configuration change by whoever asked. */
  reloadEstates: (who: { actor: string; role: string }) => Promise<{ ok: true } | { ok: false; error: string }>;
};

/** The audit trail for auditors and admins, and the one configuration change made at run time: the estate registry. */
export function adminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.get('/audit', { onRequest: requireAccess(deps.auth, 'audit.read') }, async (req, reply) => {
    // the trail spans every estate (case ids, principals, alerts of each): only a principal serving all reads it
    if (principalOf(req).estates !== 'all') {
      return reply.code(403).send({
        error: 'the audit trail spans estates; it needs a principal serving all of them',
        code: 'GW_ERR_FORBIDDEN',
      });
    }
    const q = parseInput(AuditQuery, req.query, 'query');
    return { items: await deps.audit.list({ afterSeq: q.after, limit: q.limit }) };
  });

  app.post('/admin/estates/reload', { onRequest: requireAccess(deps.auth, 'config.write') }, async (req, reply) => {
    const p = principalOf(req);
    const r = await deps.reloadEstates({ actor: p.id, role: p.role });
    if (!r.ok) return reply.code(422).send({ error: r.error, code: 'GW_ERR_ESTATE_INVALID' });
    return { reloaded: true };
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authorize, servesEstate } from '../../../core/access.js';
import type { Alert } from '../../../core/alerts.js';
import { type Case, CaseStateSchema } from '../../../core/cases/case.js';
import type { CaseService } from '../../../core/cases/case-service.js';
import type { CaseStore } from '../../../core/cases/case-store.js';
import { policeCaseEntry } from '../../../core/cases/police-view.js';
import { availableActions, CaseCommandSchema } from '../../../core/cases/transitions.js';
import type { AlertStore } from '../../../core/ports.js';
import { type Authenticator, principalOf, requireAccess } from '../auth.js';
import { NotFoundError, parseInput } from '../validation.js';

const Id = z.string().regex(/^[A-Za-z0-9_.~-]{1,128}$/);
const ListQuery = z.strictObject({
  estate: Id.optional(),
  state: CaseStateSchema.optional(),
  unit: Id.optional(),
  open: z.enum(['true', 'false']).optional().describe('only cases not dismissed or closed'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const Params = z.strictObject({ id: Id });

export type CaseRouteDeps = {
  auth: Authenticator;
  cases: CaseService;
  caseStore: CaseStore;
  alerts: AlertStore;
  /** Every read by the police role is audited. */
  auditRead: (who: { actor: string; role: string }, object: string) => Promise<unknown>;
};

/**
 * Cases over REST. The control room sees a case with its history and the alerts behind it; the police see only
 * the cases they may (confirmed, relapses) and only the unit-level view the police feed carries.
 */
export function caseRoutes(app: FastifyInstance, deps: CaseRouteDeps): void {
  app.get('/cases', { onRequest: requireAccess(deps.auth, 'cases.read') }, async (req) => {
    const principal = principalOf(req);
    const q = parseInput(ListQuery, req.query, 'query');
    if (q.estate && !servesEstate(principal, q.estate)) throw new NotFoundError(`no estate ${q.estate} among yours`);
    const estates = q.estate ? [q.estate] : principal.estates;
    const found = await deps.caseStore.list({
      estateIds: estates,
      ...(q.state ? { state: q.state } : {}),
      ...(q.unit ? { unitId: q.unit } : {}),
      open: q.open === 'true',
      limit: q.limit,
    });
    if (principal.role !== 'police') return { items: found };
    await deps.auditRead({ actor: principal.id, role: principal.role }, req.url);
    return { items: found.flatMap((c) => policeCaseEntry(c) ?? []) };
  });

  app.get('/cases/:id', { onRequest: requireAccess(deps.auth, 'cases.read') }, async (req) => {
    const principal = principalOf(req);
    const { id } = parseInput(Params, req.params, 'params');
    const found = await deps.caseStore.get(id);
    // a case of an estate the principal does not serve does not exist for them
    if (!found || !servesEstate(principal, found.estateId)) throw new NotFoundError(`no case ${id}`);
    if (principal.role === 'police') {
      const view = policeCaseEntry(found);
      if (!view) throw new NotFoundError(`no case ${id}`);
      await deps.auditRead({ actor: principal.id, role: principal.role }, `case ${id}`);
      return view;
    }
    return { ...found, actions: availableActions(found.state), alerts: await alertsOf(deps.alerts, found) };
  });

  // the action is in the body, so the role check happens here rather than in a route hook
  app.post('/cases/:id/actions', { onRequest: requireAccess(deps.auth, 'cases.read') }, async (req, reply) => {
    const principal = principalOf(req);
    const { id } = parseInput(Params, req.params, 'params');
    const command = parseInput(CaseCommandSchema, req.body, 'body');
    const found = await deps.caseStore.get(id);
    if (!found || !servesEstate(principal, found.estateId)) throw new NotFoundError(`no case ${id}`);
    const allowed = authorize(principal, `case.${command.action}`, found.estateId);
    if (!allowed.ok) return reply.code(403).send({ error: allowed.reason, code: 'GW_ERR_FORBIDDEN' });
    const r = await deps.cases.act(id, command, { id: principal.id, role: principal.role });
    if (!r.ok) return reply.code(r.status).send({ error: r.error, code: r.code });
    return { ...r.case, actions: availableActions(r.case.state) };
  });
}

async function alertsOf(alerts: AlertStore, c: Case): Promise<Alert[]> {
  const found = await Promise.all(c.alertIds.map((id) => alerts.get(id)));
  return found.filter((a): a is Alert => a !== undefined);
}

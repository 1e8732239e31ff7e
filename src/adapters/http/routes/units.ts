import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OCCUPANCY_KINDS } from '../../../core/alerts.js';
import { legalCapacity } from '../../../core/capacity.js';
import type { DetectionFor } from '../../../core/detection.js';
import type { ProfileView } from '../../../core/estate-profile.js';
import { assessUnit, lockState } from '../../../core/lock-health.js';
import { estimateOccupancy, occupancyContextOf } from '../../../core/occupancy.js';
import type { AlertStore, CorrelationStore } from '../../../core/ports.js';
import type { EstateRegistry } from '../../../core/registry.js';
import { dayToDate } from '../../../core/time.js';
import { type Authenticator, requireAccess } from '../auth.js';
import { NotFoundError, parseInput } from '../validation.js';

const Params = z.object({ estateId: z.string().min(1).max(64), unitId: z.string().min(1).max(64) });

/** One unit as the control room sees it: its registration, capacity, current signals, estimate and alerts. */
export function unitRoutes(
  app: FastifyInstance,
  deps: {
    registry: EstateRegistry;
    store: CorrelationStore;
    alerts: AlertStore;
    detection: DetectionFor;
    profile?: ((estateId: string) => ProfileView) | undefined;
    auth: Authenticator;
  },
) {
  const guard = requireAccess(deps.auth, 'units.read', (req) => (req.params as { estateId?: string }).estateId);
  app.get('/estates/:estateId/units/:unitId', { onRequest: guard }, async (req) => {
    const { estateId, unitId } = parseInput(Params, req.params, 'params');
    const estate = deps.registry.estate(estateId);
    const unit = estate?.units.get(unitId);
    if (!estate || !unit) throw new NotFoundError(`unit ${unitId} is not in estate ${estateId}`);
    const [signals, alerts, lock] = await Promise.all([
      deps.store.readUnit(estate, unit),
      deps.alerts.list({ estateId, unitId, limit: 50 }),
      deps.store.readLock(estate, unit),
    ]);
    const detection = deps.detection(estateId);
    const state = lockState(lock, detection.lockSilentHours * 3_600_000);
    const occupancy = occupancyContextOf(estate, unit, detection, deps.profile?.(estateId));
    const openOccupancy = alerts.filter((a) => a.status === 'open' && OCCUPANCY_KINDS.has(a.kind)).length;
    return {
      assessment: assessUnit(state, openOccupancy),
      lock: {
        state,
        online: lock.online ?? null,
        lastEventAt: lock.lastEventMs === undefined ? null : new Date(lock.lastEventMs).toISOString(),
      },
      unit,
      capacity: legalCapacity(unit),
      signals: signals ?? null,
      window: signals ? { from: dayToDate(signals.window.fromDay), to: dayToDate(signals.window.toDay) } : null,
      estimate: signals ? estimateOccupancy(signals, occupancy) : null,
      alerts,
    };
  });
}

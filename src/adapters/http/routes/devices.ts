import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeviceMonitor, DeviceView } from '../../../core/device-monitor.js';
import type { EstateRegistry } from '../../../core/registry.js';
import { type Authenticator, requireAccess } from '../auth.js';
import { NotFoundError, parseInput } from '../validation.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const Params = z.object({ estateId: Id });
const OneParams = z.object({ estateId: Id, deviceId: Id });
const ListQuery = z.strictObject({
  state: z.enum(['reporting', 'silent', 'offline', 'never-reported']).optional(),
  kind: Id.optional(),
  building: Id.optional(),
});

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** A device as the control room reads it: where it is, whether it reports, and the events it lost. */
function present(v: DeviceView) {
  const { binding, health } = v;
  return {
    deviceId: binding.deviceId,
    kind: binding.kind,
    buildingId: binding.buildingId ?? null,
    unitId: binding.unitId ?? null,
    floor: binding.floor ?? null,
    state: health.state,
    online: v.online ?? null,
    offlineSince: health.state === 'offline' ? iso(health.sinceMs) : null,
    lastEventAt: iso(v.lastEventMs),
    silentForS: health.state === 'silent' ? Math.round(health.silentForMs / 1000) : null,
    expectedWithinS: v.limitMs === null ? null : v.limitMs / 1000,
    lostEvents: v.lost?.lost ?? 0,
    factoryResets: v.lost?.resets ?? 0,
    highestSeq: v.lost?.highestSeq ?? null,
  };
}

/** Device health of an estate: `GET /estates/:estateId/devices` (filterable) and one device. */
export function deviceRoutes(
  app: FastifyInstance,
  deps: { registry: EstateRegistry; devices: DeviceMonitor; auth: Authenticator },
): void {
  const guard = requireAccess(deps.auth, 'units.read', (req) => (req.params as { estateId?: string }).estateId);
  const estateOf = (estateId: string) => {
    const estate = deps.registry.estate(estateId);
    if (!estate) throw new NotFoundError(`estate ${estateId} is not served here`);
    return estate;
  };
  app.get('/estates/:estateId/devices', { onRequest: guard }, async (req) => {
    const { estateId } = parseInput(Params, req.params, 'params');
    const q = parseInput(ListQuery, req.query, 'query');
    const estate = estateOf(estateId);
    const wanted = [...estate.devices.values()]
      .filter(
        (b) => (q.kind === undefined || b.kind === q.kind) && (q.building === undefined || b.buildingId === q.building),
      )
      .map((b) => b.deviceId);
    const views = await deps.devices.view(estate, wanted);
    const items = views.filter((v) => q.state === undefined || v.health.state === q.state).map(present);
    return { items };
  });
  app.get('/estates/:estateId/devices/:deviceId', { onRequest: guard }, async (req) => {
    const { estateId, deviceId } = parseInput(OneParams, req.params, 'params');
    const estate = estateOf(estateId);
    if (!estate.devices.has(deviceId)) throw new NotFoundError(`device ${deviceId} is not in estate ${estateId}`);
    const [view] = await deps.devices.view(estate, [deviceId]);
    return present(view as DeviceView);
  });
}

import { z } from 'zod';
import { decideForUnit } from './correlator.js';
import type { DetectionFor } from './detection.js';
import type { Unit } from './estate.js';
import type { ProfileView } from './estate-profile.js';
import { ID_PATTERN } from './events.js';
import type { Pseudonymiser } from './intake.js';
import type { AlertStore, Clock, CorrelationStore } from './ports.js';
import type { EstateRegistry } from './registry.js';

/**
 * A request to erase one person from an estate's state: their face-library id, and/or one of their credentials
 * on one lock. The raw identifiers are pseudonymised here exactly as on arrival and go no further.
 */
export const ErasureRequestSchema = z
  .strictObject({
    estate: z.string().regex(ID_PATTERN),
    person: z.string().min(1).max(128).optional().describe("the person's id in the estate's face library"),
    credential: z
      .strictObject({
        lock: z.string().regex(ID_PATTERN).describe('the door lock the credential is enrolled on'),
        id: z.string().min(1).max(128).describe("the lock's credential id"),
      })
      .optional(),
  })
  .refine((r) => r.person !== undefined || r.credential !== undefined, {
    error: 'name the person (face-library id) or the credential (lock and id) to erase',
  });
export type ErasureRequest = z.infer<typeof ErasureRequestSchema>;

/** What the store erases: a face's person tag across the estate, a credential on one unit's lock. */
export type ErasureTarget = { personTag?: string; credential?: { unit: Unit; pseudonym: string } };

export type ErasureResult =
  | { ok: true; removed: number; units: string[]; alertChanges: number }
  | { ok: false; status: 404; error: string };

export type ErasureDeps = {
  registry: EstateRegistry;
  store: CorrelationStore;
  alerts: AlertStore;
  pseudonymise: Pseudonymiser;
  detection: DetectionFor;
  clock: Clock;
  profile?: (estateId: string) => ProfileView;
};

/**
 * Erases a person, then decides every unit they touched again: an estimate that rested on them falls at once and
 * its alerts follow, as they would after any event.
 */
export function createErasure(deps: ErasureDeps) {
  return async function erase(req: ErasureRequest): Promise<ErasureResult> {
    const estate = deps.registry.estate(req.estate);
    if (!estate) return { ok: false, status: 404, error: `no estate ${req.estate}` };
    const target: ErasureTarget = {};
    if (req.person !== undefined) target.personTag = `k|${deps.pseudonymise(estate.id, 'person', req.person)}`;
    if (req.credential) {
      const lock = estate.devices.get(req.credential.lock);
      const unit = lock?.unitId ? estate.units.get(lock.unitId) : undefined;
      if (lock?.kind !== 'door-lock' || !unit) {
        return { ok: false, status: 404, error: `no door lock ${req.credential.lock} in estate ${estate.id}` };
      }
      const pseudonym = deps.pseudonymise(estate.id, `cred:${lock.deviceId}`, req.credential.id);
      target.credential = { unit, pseudonym };
    }
    const { removed, units } = await deps.store.erase(estate, target);
    const detection = deps.detection(estate.id);
    let alertChanges = 0;
    for (const unit of units) {
      const signals = await deps.store.readUnit(estate, unit);
      if (!signals) continue;
      const decisions = decideForUnit(
        estate,
        signals,
        detection,
        deps.clock.now(),
        undefined,
        deps.profile?.(estate.id),
      );
      alertChanges += (await deps.alerts.apply(decisions)).length;
    }
    return { ok: true, removed, units: units.map((u) => u.id), alertChanges };
  };
}

import { RedisCorrelationStore } from '../../../src/adapters/redis/correlation-store.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import type { Alert, AlertEstimate } from '../../../src/core/alerts.js';
import { detectionPerEstate } from '../../../src/core/detection.js';
import type { UnitSignals } from '../../../src/core/signals.js';
import type { Gateway } from '../../../src/gateway.js';

/**
 * What a run of the gateway leaves behind that must not depend on how many instances processed it, which one took
 * which event, or in which order: the signals of every unit and the verdict of every current alert. Alert ids,
 * stream ids and wall-clock fields legitimately differ between runs and are left out, and so is an alert's
 * evidence: it is a snapshot taken when the verdict last changed (severity, people, day), so it shows the state
 * after whichever events happened to be processed by then, with percentiles from the in-process estate profile of
 * the instance that decided (see the README, "Scaling out").
 */
export type RunOutcome = { units: Record<string, UnitSignals | undefined>; alerts: AlertVerdict[] };

export type AlertVerdict = Pick<Alert, 'kind' | 'subject' | 'unitId' | 'rule' | 'status' | 'severity'> & {
  estimate?: Pick<AlertEstimate, 'people' | 'basis' | 'capacity' | 'registered' | 'overCapacity' | 'overRegistered'>;
};

export async function readOutcome(gateway: Gateway): Promise<RunOutcome> {
  const { config, redis, registry } = gateway;
  const store = new RedisCorrelationStore({
    redis,
    keys: createKeys(config.redis.keyPrefix),
    detection: detectionPerEstate(config.detection, config.estateDetection),
  });
  const units: RunOutcome['units'] = {};
  for (const estate of registry.estates()) {
    for (const unit of estate.units.values()) units[`${estate.id}/${unit.id}`] = await store.readUnit(estate, unit);
  }
  const alerts = (await gateway.alerts.list({ limit: 10_000 }))
    .map(
      ({ kind, subject, unitId, rule, status, severity, estimate: e }): AlertVerdict => ({
        kind,
        subject,
        unitId,
        rule,
        status,
        severity,
        ...(e && {
          estimate: {
            people: e.people,
            basis: e.basis,
            capacity: e.capacity,
            registered: e.registered,
            overCapacity: e.overCapacity,
            overRegistered: e.overRegistered,
          },
        }),
      }),
    )
    .sort((a, b) => `${a.kind}/${a.subject}`.localeCompare(`${b.kind}/${b.subject}`));
  return { units, alerts };
}

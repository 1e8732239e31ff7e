import { z } from 'zod';
import { ID_PATTERN } from '../core/events.js';

const PerSecond = z.number().positive().max(100_000);
const Burst = z.number().int().min(1).max(1_000_000);

/**
 * The per-device limit of the gateway (src/core/device-rate.ts). A face gate at a big estate's entrance at the
 * morning peak is the busiest device there is, and it sends a few events a second (a lane passes a person every
 * second or two); a lock, a counter or a detector sends a few an hour. A device stuck in a loop sends thousands.
 */
export const DeviceRateSchema = z
  .strictObject({
    perSecond: PerSecond.nullable()
      .default(20)
      .describe(
        "events a second each device may send, in arrival time: several times the busiest face gate's morning peak, far below a device stuck in a loop; what it sends beyond is dead-lettered as device-flood. null turns the limit off (simulations that compress days into minutes)",
      ),
    burst: Burst.default(600).describe(
      'events a device may send at once before perSecond applies: a device reconnecting after a few minutes offline sends what it buffered',
    ),
    estates: z
      .record(
        z.string().regex(ID_PATTERN),
        z.strictObject({ perSecond: PerSecond.optional(), burst: Burst.optional() }),
      )
      .default({})
      .describe('per-estate limits: estate id → { perSecond?, burst? } that differ from the ones above'),
    clearAfterS: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .describe('a device-flood alert clears once its device has had nothing dropped for this many seconds'),
    updateEveryS: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(60)
      .describe('least seconds between two updates of an open device-flood alert (observed rate, events dropped)'),
  })
  .describe(
    'per-device rate limit, enforced by each gateway instance on the messages it receives (with a shared subscription each takes its share, so N instances let through up to N times the limit)',
  );

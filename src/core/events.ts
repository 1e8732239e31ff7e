import { z } from 'zod';

/** Contract v1 limits (../shared/contract/mqtt-v1.md). */
export const MAX_PAYLOAD_BYTES = 4096;
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const Id = z.string().min(1).max(64);
const Text64 = z.string().min(1).max(64);
/** RFC 3339 with an explicit offset (`Z` or `±hh:mm`); a local time without offset is ambiguous and refused. */
const Timestamp = z.iso.datetime({ offset: true });

const Common = {
  id: Id,
  seq: z.number().int().min(0),
  ts: Timestamp,
};

export const AccessMethodSchema = z.enum(['fingerprint', 'card', 'password', 'app', 'key', 'face']);
export type AccessMethod = z.infer<typeof AccessMethodSchema>;

export const FaceEventSchema = z.object({
  ...Common,
  type: z.literal('face'),
  person: Text64,
  known: z.boolean(),
  direction: z.enum(['in', 'out']),
  score: z.number().min(0).max(1),
});

export const AccessEventSchema = z.object({
  ...Common,
  type: z.literal('access'),
  method: AccessMethodSchema,
  credential: Text64.optional(),
  ok: z.boolean(),
});

export const CredentialEventSchema = z.object({
  ...Common,
  type: z.literal('credential'),
  action: z.enum(['enrolled', 'removed']),
  method: AccessMethodSchema,
  credential: Text64,
});

export const PassageEventSchema = z.object({
  ...Common,
  type: z.literal('passage'),
  in: z.number().int().min(0),
  out: z.number().int().min(0),
  periodS: z.number().int().min(1).max(3600),
});

export const ALARM_KINDS = ['tamper', 'forced-open', 'held-open', 'smoke', 'obstruction', 'low-battery'] as const;
export const AlarmEventSchema = z.object({
  ...Common,
  type: z.literal('alarm'),
  alarm: z.enum(ALARM_KINDS),
  active: z.boolean(),
});

/** Unknown fields are stripped by zod objects, so `__proto__`, `constructor` and vendor extras never survive parsing. */
export const DeviceEventSchema = z.discriminatedUnion('type', [
  FaceEventSchema,
  AccessEventSchema,
  CredentialEventSchema,
  PassageEventSchema,
  AlarmEventSchema,
]);

export type FaceEvent = z.infer<typeof FaceEventSchema>;
export type AccessEvent = z.infer<typeof AccessEventSchema>;
export type CredentialEvent = z.infer<typeof CredentialEventSchema>;
export type PassageEvent = z.infer<typeof PassageEventSchema>;
export type AlarmEvent = z.infer<typeof AlarmEventSchema>;
export type DeviceEvent = z.infer<typeof DeviceEventSchema>;
export type DeviceEventType = DeviceEvent['type'];
export type AlarmKind = (typeof ALARM_KINDS)[number];

export const DeviceStatusSchema = z.object({
  online: z.boolean(),
  ts: Timestamp.optional(),
  firmware: z.string().max(64).optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/** Methods whose openings carry no identity: the lock cannot tell who used a password or a key. */
export const ANONYMOUS_METHODS: ReadonlySet<AccessMethod> = new Set(['password', 'key']);

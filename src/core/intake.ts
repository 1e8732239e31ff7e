import { findBiometricData } from './biometric-guard.js';
import type { DeviceBinding, Estate } from './estate.js';
import {
  ANONYMOUS_METHODS,
  type DeviceEvent,
  DeviceEventSchema,
  type DeviceEventType,
  type DeviceStatus,
  DeviceStatusSchema,
  MAX_PAYLOAD_BYTES,
} from './events.js';
import type { EstateRegistry } from './registry.js';
import { type Rejection, type RejectReason, safePreview } from './rejections.js';
import { localDay, localHour } from './time.js';

/** Where a message came from, as the topic says (the MQTT adapter parses topics). */
export type MessageOrigin = { estateId: string; deviceId: string; kind: 'event' | 'status' };

/** Replaces a person or credential identifier by a keyed pseudonym before anything is stored or logged. */
export type Pseudonymiser = (estateId: string, scope: string, value: string) => string;

export type AcceptedEvent = {
  topic: string;
  estate: Estate;
  binding: DeviceBinding;
  /** The validated event, its identifiers already pseudonymised. */
  event: DeviceEvent;
  tsMs: number;
  /** Local day number in the estate's time zone. */
  day: number;
  /** Local hour (0–23) in the estate's time zone: night-time patterns are judged on it. */
  hour: number;
};

export type AcceptedStatus = { binding: DeviceBinding; status: DeviceStatus };

export type IntakeResult =
  | { kind: 'event'; accepted: AcceptedEvent }
  | { kind: 'status'; accepted: AcceptedStatus }
  | { kind: 'rejected'; rejection: Rejection };

export type IntakeOptions = {
  registry: EstateRegistry;
  pseudonymise: Pseudonymiser;
  /** Wall-clock now, epoch ms. */
  nowMs: number;
  /** Events further ahead of the gateway clock are quarantined; `null` turns the bound off (replays, simulations). */
  maxFutureMs: number | null;
};

const EVENT_TYPES_BY_KIND: Record<string, ReadonlySet<DeviceEventType>> = {
  'face-gate': new Set(['face', 'alarm']),
  'door-lock': new Set(['access', 'credential', 'alarm']),
  'stairwell-sensor': new Set(['passage', 'alarm']),
};
const ALARM_ONLY: ReadonlySet<DeviceEventType> = new Set(['alarm']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns one raw message into an accepted event or status, or a rejection with its reason. Pure and total:
 * nothing a device sends makes it throw.
 */
export function classifyMessage(
  topic: string,
  origin: MessageOrigin | undefined,
  payload: Buffer,
  opts: IntakeOptions,
): IntakeResult {
  const reject = (reason: RejectReason, detail: string): IntakeResult => ({
    kind: 'rejected',
    rejection: {
      reason,
      detail,
      topic,
      estateId: origin?.estateId,
      deviceId: origin?.deviceId,
      preview: safePreview(payload, reason),
    },
  });

  if (!origin) return reject('invalid-topic', 'topic is not linli/v1/{estateId}/{deviceId}/event or …/status');
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return reject('payload-too-large', `payload is ${payload.length} bytes; the contract allows ${MAX_PAYLOAD_BYTES}`);
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return reject('invalid-utf8', 'payload is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // V8 quotes the payload around the error (`Unexpected token 'x', ..."…"... is not valid JSON`), identifiers
    // included, so only the cause before the quote is kept
    const cause = (err as Error).message.replace(/,\s*(?:\.\.\.)?".*$/s, '');
    return reject('invalid-json', `payload is not JSON: ${cause}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject('not-an-object', 'payload must be a JSON object');
  }
  const biometric = findBiometricData(raw);
  if (biometric) {
    return biometric.why === 'too-deep'
      ? reject('invalid-event', `payload is nested too deeply at ${biometric.path}`)
      : reject(
          'biometric-data',
          `payload carries what looks like raw biometric data (${biometric.why} at ${biometric.path})`,
        );
  }

  const estate = opts.registry.estate(origin.estateId);
  if (!estate) return reject('unknown-estate', `estate "${origin.estateId}" is not served by this gateway`);
  const binding = estate.devices.get(origin.deviceId);
  if (!binding) return reject('unknown-device', `device "${origin.deviceId}" is not in estate "${estate.id}"`);

  if (origin.kind === 'status') {
    const parsed = DeviceStatusSchema.safeParse(raw);
    if (!parsed.success) return reject('invalid-status', describeIssues(parsed.error.issues));
    return { kind: 'status', accepted: { binding, status: parsed.data } };
  }

  const parsed = DeviceEventSchema.safeParse(raw);
  if (!parsed.success) return reject('invalid-event', describeIssues(parsed.error.issues));
  const event = parsed.data;
  const allowed = EVENT_TYPES_BY_KIND[binding.kind] ?? ALARM_ONLY;
  if (!allowed.has(event.type)) {
    return reject('type-not-allowed-for-device', `a ${binding.kind} does not send "${event.type}" events`);
  }
  const tsMs = Date.parse(event.ts);
  if (opts.maxFutureMs !== null && tsMs - opts.nowMs > opts.maxFutureMs) {
    const aheadS = Math.round((tsMs - opts.nowMs) / 1000);
    return reject(
      'future-timestamp',
      `ts ${event.ts} is ${aheadS} s ahead of the gateway clock (limit ${opts.maxFutureMs / 1000} s)`,
    );
  }
  return {
    kind: 'event',
    accepted: {
      topic,
      estate,
      binding,
      event: pseudonymiseEvent(event, binding, opts.pseudonymise),
      tsMs,
      day: localDay(tsMs, estate.timezone),
      hour: localHour(tsMs, estate.timezone),
    },
  };
}

/**
 * Registered faces share one id across the estate; an unregistered face's track id and a lock's credential slot
 * only mean something on the device that assigned them, so they are scoped by device before hashing.
 */
function pseudonymiseEvent(event: DeviceEvent, binding: DeviceBinding, pseudonymise: Pseudonymiser): DeviceEvent {
  switch (event.type) {
    case 'face':
      return {
        ...event,
        person: event.known
          ? pseudonymise(binding.estateId, 'person', event.person)
          : pseudonymise(binding.estateId, `track:${binding.deviceId}`, event.person),
      };
    case 'access': {
      if (event.credential === undefined) return event;
      // password and key openings carry no identity (contract v1): a credential sent with one is ignored
      const { credential, ...opening } = event;
      return ANONYMOUS_METHODS.has(event.method)
        ? opening
        : { ...opening, credential: pseudonymise(binding.estateId, `cred:${binding.deviceId}`, credential) };
    }
    case 'credential':
      return { ...event, credential: pseudonymise(binding.estateId, `cred:${binding.deviceId}`, event.credential) };
    default:
      return event;
  }
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

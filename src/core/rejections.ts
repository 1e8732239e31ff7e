/** Why an incoming message was not counted. Stable strings: dashboards and the per-reason counters key on them. */
export const REJECT_REASONS = [
  'invalid-topic',
  'payload-too-large',
  'invalid-utf8',
  'invalid-json',
  'not-an-object',
  'biometric-data',
  'invalid-event',
  'invalid-status',
  'unknown-estate',
  'unknown-device',
  'type-not-allowed-for-device',
  'future-timestamp',
  'outside-window',
  'store-error',
  'device-flood',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type Rejection = {
  reason: RejectReason;
  /** Human words: which field, what was wrong. Never contains identifiers or biometric values. */
  detail: string;
  topic: string;
  estateId?: string;
  deviceId?: string;
  /** A truncated, redacted copy of the payload for the operator to recognise the message. */
  preview: string;
  /** Messages the dead letter stands for: a `device-flood` letter folds a device's second of them; else absent (1). */
  count?: number;
  /** The delivery's key when it has one (see IncomingMessage.deliveryKey): recorded once however often retried. */
  deliveryKey?: string;
};

const PREVIEW_BYTES = 512;
// A value cut off by truncation has no closing quote, hence the `$`; a value sent unquoted (a card number as a
// JSON number, broken JSON) is masked as well.
const IDENTIFIER_FIELD = /("(?:person|credential)"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|$)|[^\s,{}[\]"]+)/g;
const LONG_DATA = /[A-Za-z0-9+/=_-]{64,}/g;

/**
 * A preview that is safe to keep: biometric payloads are not kept at all, identifiers are masked because they
 * are personal data that arrived unvalidated, and the rest is cut to 512 bytes.
 */
export function safePreview(raw: Buffer, reason: RejectReason): string {
  if (reason === 'biometric-data') return `[${raw.length} bytes withheld: biometric data]`;
  const head = raw
    .subarray(0, PREVIEW_BYTES)
    .toString('utf8')
    .replace(/\uFFFD/g, '?');
  const masked = head.replace(IDENTIFIER_FIELD, '$1"[redacted]"').replace(LONG_DATA, '[long data]');
  return raw.length > PREVIEW_BYTES ? `${masked}… [${raw.length} bytes]` : masked;
}

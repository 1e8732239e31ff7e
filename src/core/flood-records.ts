import { findBiometricData } from './biometric-guard.js';
import { UNREGISTERED } from './device-rate.js';
import { MAX_PAYLOAD_BYTES } from './events.js';
import type { IncomingMessage } from './ingest.js';
import type { EstateRegistry } from './registry.js';
import { safePreview } from './rejections.js';

/** Where a dropped message sits in its device's sequence, when its payload says so. */
export type FloodMark = { seq?: number; id?: string };

/**
 * The messages of one batch that one device (or an estate's unregistered devices, which share a limit) sent over
 * its limit: the dead-letter store folds these into one record per device per second.
 */
export type FloodRecord = {
  /** Absent for topics of an estate this gateway does not serve. */
  estateId?: string;
  /** Absent for unregistered devices. */
  deviceId?: string;
  /** Topic of the first message. */
  topic: string;
  count: number;
  first: FloodMark;
  last: FloodMark;
  /** A redacted preview of the first message, as for any dead letter. */
  preview: string;
  /** The first message's delivery key: the batch's record of this device is counted once however often retried. */
  deliveryKey?: string;
};

/**
 * Groups a batch's dropped messages by device. Only the first and the last of each device's messages are parsed
 * (for their seq and id): a flood is thousands of messages, and dropping them unread is the point.
 */
export function summariseFloods(flooded: readonly IncomingMessage[], registry: EstateRegistry): FloodRecord[] {
  const groups = new Map<string, { record: FloodRecord; lastPayload: Buffer }>();
  for (const m of flooded) {
    const estate = m.origin && registry.estate(m.origin.estateId);
    const deviceId = m.origin && estate?.devices.has(m.origin.deviceId) ? m.origin.deviceId : undefined;
    const key = `${estate?.id ?? UNREGISTERED}/${deviceId ?? UNREGISTERED}`;
    const group = groups.get(key);
    if (group) {
      group.record.count++;
      group.lastPayload = m.payload;
      continue;
    }
    const { mark, biometric } = probe(m.payload);
    const record: FloodRecord = {
      ...(estate ? { estateId: estate.id } : {}),
      ...(deviceId ? { deviceId } : {}),
      topic: m.topic,
      count: 1,
      first: mark,
      last: mark,
      preview: safePreview(m.payload, biometric ? 'biometric-data' : 'device-flood'),
      ...(m.deliveryKey ? { deliveryKey: m.deliveryKey } : {}),
    };
    groups.set(key, { record, lastPayload: m.payload });
  }
  const out: FloodRecord[] = [];
  for (const { record, lastPayload } of groups.values()) {
    if (record.count > 1) record.last = probe(lastPayload).mark;
    out.push(record);
  }
  return out;
}

const MAX_ID = 64;

function probe(payload: Buffer): { mark: FloodMark; biometric: boolean } {
  if (payload.length > MAX_PAYLOAD_BYTES) return { mark: {}, biometric: false };
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    return { mark: {}, biometric: false };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { mark: {}, biometric: false };
  // the preview of an unvalidated message must not keep a face template the intake would have refused whole
  const biometric = findBiometricData(raw) !== undefined;
  const { seq, id } = raw as { seq?: unknown; id?: unknown };
  return {
    mark: {
      ...(Number.isSafeInteger(seq) && (seq as number) >= 0 ? { seq: seq as number } : {}),
      ...(typeof id === 'string' && id.length > 0 && id.length <= MAX_ID ? { id } : {}),
    },
    biometric,
  };
}

import { createHash } from 'node:crypto';

/** Idempotency buckets of a face gate: its ids spread over this many keys, so none grows long (see seenBucket). */
const FACE_GATE_BUCKETS = 32;

export type EventHash = { hex: string; bucket: number };

/**
 * The idempotency hash of a device event: the first 64 bits of SHA-256 over (device, id), as 16 hex digits, and its
 * bucket from the next bits (independent of the stored 64). Bucket counts are fixed per device kind: a count that
 * followed the registry would move a redelivered id to another bucket and count it twice.
 *
 * Collision bound: an event is lost to a false duplicate only if its 64 bits equal those of an earlier event of the
 * same device, bucket and day (scripts/includes/idempotency.lua compares within a day section). With m events in a
 * device-day that is at most m²/2^65: 1.2·10⁻¹² for the busiest gate of the default scenario (6,700 faces a day);
 * summed over its 2,010 devices, 4·10⁻¹² a day, 1.5·10⁻⁸ in ten years. The device id is inside the hash, so ids a
 * device chooses cannot collide on purpose with another device's without a SHA-256 second preimage.
 */
export function eventHash(deviceId: string, id: string, kind: string): EventHash {
  // length-prefixed: no (device, id) pair can be read as another
  const digest = createHash('sha256').update(`${deviceId.length}:${deviceId}\u0000${id}`).digest();
  const buckets = kind === 'face-gate' ? FACE_GATE_BUCKETS : 1;
  return { hex: digest.subarray(0, 8).toString('hex'), bucket: digest.readUInt16BE(8) % buckets };
}

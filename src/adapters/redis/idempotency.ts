import { hash } from 'node:crypto';

/** Consecutive `seq` numbers of a device that share one idempotency bucket. */
export const SEQ_BLOCK = 128;

export type EventHash = { hex: string; bucket: number };

/**
 * The idempotency hash of a device event, the first 64 bits of SHA-256 over (device, id) as 16 hex digits, and its
 * bucket: the block of `SEQ_BLOCK` consecutive `seq` numbers it belongs to.
 *
 * Why blocks of seq: a bucket is read and rewritten whole on every event (scripts/includes/idempotency.lua), so
 * its size is the per-event cost. Buckets chosen by hash bits grow with the device's traffic (an entrance gate of a
 * large estate sees tens of thousands of faces a day, and its buckets grew to tens of KB each, rewritten on every
 * face); a block of seq holds at most SEQ_BLOCK events of one device whatever its traffic. A redelivery carries its
 * event's seq, so it meets its first delivery in the same block. After a factory reset seq starts again at 0: old
 * and new events then share blocks (day sections and the ids keep them apart) until the old ones leave the window.
 * A device that breaks the contract and repeats one seq only makes its one block long: still counted exactly once.
 *
 * Collision bound: an event is lost to a false duplicate only if its 64 bits equal those of an earlier event of the
 * same device, block and day. With m ≤ SEQ_BLOCK events there, that is at most m²/2^65 ≈ 4.4·10⁻¹⁶ a block; a
 * district's ten million events a day fill some 80,000 blocks, 3.5·10⁻¹¹ a day, 1.3·10⁻⁷ in ten years. The device
 * id is inside the hash, so a device cannot choose ids that collide with another device's.
 */
export function eventHash(deviceId: string, id: string, seq: number): EventHash {
  // length-prefixed: no (device, id) pair can be read as another; the one-shot hash() costs a fifth of createHash()
  const hex = hash('sha256', `${deviceId.length}:${deviceId}\u0000${id}`, 'hex').slice(0, 16);
  return { hex, bucket: Math.floor(seq / SEQ_BLOCK) };
}

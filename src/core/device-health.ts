import { z } from 'zod';
import type { DeviceKind } from './estate.js';
import { HOUR_MS } from './time.js';

const silence = (defaultH: number, why: string) =>
  z.number().int().min(1).max(2160).nullable().default(defaultH).describe(why);

/**
 * How long each kind of device may send nothing, in hours of its estate's event time, before it raises
 * `device-offline`; null turns the silence check off for that kind (its last will still counts). Part of the
 * detection settings, so `estateDetection` calibrates them per estate with the same bounds.
 */
export const DEVICE_SILENCE_SETTINGS = {
  faceGateSilenceH: silence(
    12,
    "a face gate that sends nothing for this many hours of its estate's event time raises device-offline: a small building's door can see nobody from midnight to early morning (up to 9 h in the default simulated estate); null: never",
  ),
  stairwellSilenceH: silence(
    48,
    'a stairwell counter silent this long raises device-offline: counters skip periods nobody passed, and a floor whose flats are out at work and then asleep is quiet for most of a day (up to 25 h in the default simulated estate); null: never',
  ),
  doorLockSilenceH: silence(
    336,
    "a door lock silent this long (default 14 days, the detection window) raises device-offline: a lock reports only when used, so an empty flat's or a travelling family's lock is silent for days; its last will catches a lost connection at once; null: never",
  ),
};

/** The silence a device of `kind` is allowed, ms; null when it is not checked (alarm-only devices, or turned off). */
export function silenceLimitMs(
  settings: { faceGateSilenceH: number | null; stairwellSilenceH: number | null; doorLockSilenceH: number | null },
  kind: DeviceKind,
): number | null {
  const hours =
    kind === 'face-gate'
      ? settings.faceGateSilenceH
      : kind === 'stairwell-sensor'
        ? settings.stairwellSilenceH
        : kind === 'door-lock'
          ? settings.doorLockSilenceH
          : null;
  return hours === null ? null : hours * HOUR_MS;
}

/** What is known of one device. Times are event time of its estate, epoch ms. */
export type DeviceObservation = {
  /** From its retained status; undefined when it never published one. */
  online: boolean | undefined;
  /** When the offline status (its last will) arrived, for a device whose status says offline. */
  offlineSinceMs: number | undefined;
  /** Event time of its newest event. */
  lastEventMs: number | undefined;
  /** The estate's clock: the newest event time seen from any of its devices. */
  estateNowMs: number | undefined;
};

export type DeviceState = 'reporting' | 'silent' | 'offline' | 'never-reported';

export type DeviceHealth =
  | { state: 'offline'; sinceMs: number; lastEventMs: number | undefined }
  | { state: 'silent'; lastEventMs: number; silentForMs: number; limitMs: number }
  | { state: 'reporting' | 'never-reported' };

/**
 * The device's state. Offline while its last will is the newest thing heard from it: an event later than the will
 * means it is back even if it never published `online: true`. Silent once its estate's clock has run past its
 * newest event by more than `limitMs`: in event time, so a replay or an accelerated simulation behaves as live
 * traffic does, and a whole estate that goes quiet (its uplink down) stops its own clock instead of raising every
 * device at once. A device never heard is not judged on silence: an uninstalled device, or the lock of a flat empty
 * since before the gateway started, would look the same as a broken one.
 */
export function deviceHealth(o: DeviceObservation, limitMs: number | null): DeviceHealth {
  if (o.online === false && o.offlineSinceMs !== undefined) {
    if (o.lastEventMs === undefined || o.lastEventMs <= o.offlineSinceMs) {
      return { state: 'offline', sinceMs: o.offlineSinceMs, lastEventMs: o.lastEventMs };
    }
  }
  if (o.lastEventMs === undefined) return { state: 'never-reported' };
  if (limitMs !== null && o.estateNowMs !== undefined && o.estateNowMs - o.lastEventMs > limitMs) {
    return { state: 'silent', lastEventMs: o.lastEventMs, silentForMs: o.estateNowMs - o.lastEventMs, limitMs };
  }
  return { state: 'reporting' };
}

/** "2 d 3 h", "7 h 12 min", "45 min", "30 s": a duration as a control-room operator reads it. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return m > 0 ? `${m} min` : `${s} s`;
}

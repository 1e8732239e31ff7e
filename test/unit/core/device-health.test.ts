import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { DEFAULT_DETECTION, detectionPerEstate } from '../../../src/core/detection.js';
import {
  type DeviceObservation,
  deviceHealth,
  formatDuration,
  silenceLimitMs,
} from '../../../src/core/device-health.js';
import type { DeviceBinding } from '../../../src/core/estate.js';
import { deviceOfflineDecision } from '../../../src/core/rules/device-offline.js';

const H = 3_600_000;
const T = Date.parse('2026-11-26T08:00:00+08:00');
const observed = (o: Partial<DeviceObservation>): DeviceObservation => ({
  online: undefined,
  offlineSinceMs: undefined,
  lastEventMs: undefined,
  estateNowMs: undefined,
  ...o,
});
const gate: DeviceBinding = { estateId: 'tiny', deviceId: 'gate-b1', kind: 'face-gate', buildingId: 'b1' };
const lock: DeviceBinding = {
  estateId: 'tiny',
  deviceId: 'lock-b1-101',
  kind: 'door-lock',
  buildingId: 'b1',
  unitId: 'b1-101',
};

describe('deviceHealth', () => {
  it('is offline while the last will is the newest thing heard from the device', () => {
    const o = observed({ online: false, offlineSinceMs: T, lastEventMs: T - H, estateNowMs: T + H });
    expect(deviceHealth(o, 12 * H)).toEqual({ state: 'offline', sinceMs: T, lastEventMs: T - H });
  });

  it('is back once an event later than the will is heard, even without online: true', () => {
    const o = observed({ online: false, offlineSinceMs: T, lastEventMs: T + 1, estateNowMs: T + 1 });
    expect(deviceHealth(o, 12 * H).state).toBe('reporting');
  });

  it('is silent only once the estate clock ran past the newest event by more than the limit', () => {
    const at = (now: number) => deviceHealth(observed({ lastEventMs: T, estateNowMs: now }), 12 * H);
    expect(at(T + 12 * H).state).toBe('reporting');
    expect(at(T + 12 * H + 1)).toEqual({ state: 'silent', lastEventMs: T, silentForMs: 12 * H + 1, limitMs: 12 * H });
  });

  it('never judges silence without a limit, nor a device never heard', () => {
    expect(deviceHealth(observed({ lastEventMs: T, estateNowMs: T + 1000 * H }), null).state).toBe('reporting');
    expect(deviceHealth(observed({ estateNowMs: T + 1000 * H }), H).state).toBe('never-reported');
  });

  it('prefers the last will to silence as the reason', () => {
    const o = observed({ online: false, offlineSinceMs: T, lastEventMs: T - 20 * H, estateNowMs: T });
    expect(deviceHealth(o, 12 * H).state).toBe('offline');
  });
});

describe('silence limits per device kind', () => {
  it('has a limit for each kind that reports on its own, and none for alarm-only devices', () => {
    expect(silenceLimitMs(DEFAULT_DETECTION, 'face-gate')).toBe(12 * H);
    expect(silenceLimitMs(DEFAULT_DETECTION, 'stairwell-sensor')).toBe(48 * H);
    expect(silenceLimitMs(DEFAULT_DETECTION, 'door-lock')).toBe(14 * 24 * H);
    expect(silenceLimitMs(DEFAULT_DETECTION, 'smoke-detector')).toBeNull();
    expect(silenceLimitMs({ ...DEFAULT_DETECTION, doorLockSilenceH: null }, 'door-lock')).toBeNull();
  });

  it('is calibrated per estate through estateDetection', () => {
    const d = detectionPerEstate(DEFAULT_DETECTION, { hyxc: { faceGateSilenceH: 3 } });
    expect(silenceLimitMs(d('hyxc'), 'face-gate')).toBe(3 * H);
    expect(silenceLimitMs(d('other'), 'face-gate')).toBe(12 * H);
  });

  it('refuses a bad per-estate limit with an error naming its path', () => {
    const r = ConfigSchema.safeParse({ estateDetection: { hyxc: { doorLockSilenceH: 0 } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toMatchInlineSnapshot(`
      [
        [
          "estateDetection.hyxc.doorLockSilenceH",
          "Too small: expected number to be >=1",
        ],
      ]
    `);
  });
});

describe('device-offline decisions', () => {
  it('raises a last will with its time in the evidence, and repeats it with the same fingerprint', () => {
    const health = deviceHealth(observed({ online: false, offlineSinceMs: T, lastEventMs: T - H }), 12 * H);
    const first = deviceOfflineDecision(gate, health, T);
    const again = deviceOfflineDecision(gate, health, T + 5 * H);
    if (first.action !== 'raise' || again.action !== 'raise') throw new Error('expected raises');
    expect(first.fingerprint).toBe(again.fingerprint);
    expect(first.draft).toMatchObject({ kind: 'device-offline', subject: 'gate-b1', severity: 'medium' });
    expect(first.draft.evidence[0]?.text).toContain(`Last will: offline since ${new Date(T).toISOString()}`);
  });

  it('says how long a device was silent against what was expected, and keeps one fingerprint while it stays so', () => {
    const silentAt = (now: number) =>
      deviceOfflineDecision(lock, deviceHealth(observed({ lastEventMs: T, estateNowMs: now }), 14 * 24 * H), now);
    const first = silentAt(T + 15 * 24 * H + 3 * H);
    const later = silentAt(T + 16 * 24 * H);
    if (first.action !== 'raise' || later.action !== 'raise') throw new Error('expected raises');
    expect(first.draft.summary).toBe(
      'Door lock lock-b1-101 at unit b1-101 has sent nothing for 15 d 3 h, expected at most 14 d.',
    );
    expect(first.draft.evidence[0]).toMatchObject({ signal: 'silence', value: 363, threshold: 336 });
    expect(first.draft.evidence[0]?.text).toMatch(/^Silent for 15 d 3 h, expected at most 14 d: /);
    expect(later.fingerprint).toBe(first.fingerprint);
    expect(later.eventMs).toBeGreaterThan(first.eventMs);
  });

  it('clears the alert of a device that reports', () => {
    const d = deviceOfflineDecision(gate, { state: 'reporting' }, T);
    expect(d).toEqual({ action: 'clear', kind: 'device-offline', estateId: 'tiny', subject: 'gate-b1', eventMs: T });
  });
});

describe('formatDuration', () => {
  it.each([
    [30_000, '30 s'],
    [45 * 60_000, '45 min'],
    [7 * H + 12 * 60_000, '7 h 12 min'],
    [6 * H, '6 h'],
    [51 * H, '2 d 3 h'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
// one hash format for every secret the gateway checks: scrypt with bounded parameters, compared timing-safe
import { hashToken, verifyToken } from '../http/auth.js';

/**
 * Per-device broker secrets: devices log in with user name = their device id and a random secret; the gateway keeps
 * only scrypt hashes, in a file of its own (`mqtt.deviceSecretsFile`), never in the repository.
 * File format: `{ "<estateId>/<deviceId>": "scrypt$N$r$p$salt$hash", … }`, written by `npm run mqtt:credentials`.
 */

export class DeviceSecretsError extends Error {
  override readonly name = 'DeviceSecretsError';
}

export type DeviceSecret = { estateId: string; deviceId: string; hash: string };
/** By device id, the user name a device logs in with. */
export type DeviceSecrets = ReadonlyMap<string, DeviceSecret>;

const ENTRY_KEY = /^([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/;
const SCRYPT_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;
const SECRET_BYTES = 32;

export const DeviceSecretsFileSchema = z
  .record(
    z.string().regex(ENTRY_KEY, 'must be "<estateId>/<deviceId>", each 1-64 letters, digits, _ or -'),
    z
      .string()
      .regex(SCRYPT_HASH, 'must be scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>, as `npm run mqtt:credentials` writes it'),
  )
  .superRefine((entries, ctx) => {
    // a device logs in with its id alone, so an id may stand in one estate only
    const seen = new Map<string, string>();
    for (const key of Object.keys(entries)) {
      const deviceId = ENTRY_KEY.exec(key)?.[2];
      if (deviceId === undefined) continue;
      const prior = seen.get(deviceId);
      if (prior !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `device id "${deviceId}" is also "${prior}"; devices log in with their id, so it must be unique across estates`,
        });
      seen.set(deviceId, key);
    }
  });

/** The validated entries by device id; every problem names its entry and the file. */
export function parseDeviceSecrets(input: unknown, source = 'device secrets file'): DeviceSecrets {
  const parsed = DeviceSecretsFileSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const where = i.path.length ? `"${i.path.map(String).join('.')}"` : '(root)';
      // a bad key is reported as invalid_key with the key's own issues inside
      const message =
        i.code === 'invalid_type'
          ? 'must be a JSON object of "<estateId>/<deviceId>": hash'
          : i.code === 'invalid_key'
            ? (i.issues[0]?.message ?? i.message)
            : i.message;
      return `${where}: ${message}`;
    });
    throw new DeviceSecretsError(`${source}: ${problems.join('; ')}`);
  }
  const byDevice = new Map<string, DeviceSecret>();
  for (const [key, hash] of Object.entries(parsed.data)) {
    const [, estateId = '', deviceId = ''] = ENTRY_KEY.exec(key) ?? [];
    byDevice.set(deviceId, { estateId, deviceId, hash });
  }
  return byDevice;
}

export function loadDeviceSecrets(path: string): DeviceSecrets {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // a JSON error quotes the text around the fault, which may be a hash: say where, not what
    const reason =
      e.code === 'ENOENT' ? 'not found' : e instanceof SyntaxError ? 'not valid JSON' : (e.code ?? 'unreadable');
    throw new DeviceSecretsError(`device secrets file ${path}: ${reason}`);
  }
  return parseDeviceSecrets(json, `device secrets file ${path}`);
}

/** A fresh secret: 32 random bytes in base64url (43 characters, safe in a URL, a CSV and a password file). */
export function generateDeviceSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export const hashDeviceSecret = (secret: string): Promise<string> => hashToken(secret);
export const verifyDeviceSecret = (secret: string, hash: string): Promise<boolean> => verifyToken(secret, hash);

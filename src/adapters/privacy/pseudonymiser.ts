import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Pseudonymiser } from '../../core/intake.js';

/**
 * Keyed HMAC-SHA256 pseudonyms with a key per estate: each estate's key is derived from the master key with HKDF
 * (the estate id as its info), so the same person in two estates gets two unrelated pseudonyms, and one estate's key
 * given to an auditor reveals nothing about another's. The scope (registered person, a gate's track, a lock's
 * credential) is inside the MAC too. The key version prefix lets a rotated key coexist with pseudonyms that are
 * still ageing out of their windows.
 */
export function createPseudonymiser(key: string, version: number): Pseudonymiser {
  const cache = new Map<string, string>();
  const estateKeys = new Map<string, Buffer>();
  const estateKey = (estateId: string): Buffer => {
    let k = estateKeys.get(estateId);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', key, `linli/pseudonym/v${version}`, `estate:${estateId}`, 32));
      estateKeys.set(estateId, k);
    }
    return k;
  };
  return (estateId, scope, value) => {
    const input = `${estateId}\u0000${scope.length}:${scope}\u0000${value}`;
    let out = cache.get(input);
    if (out === undefined) {
      // 96 bits: collisions stay negligible for the millions of identifiers an estate sees in a window
      // the scope's length first: no identifier can move the boundary between scope and value
      const text = `${scope.length}:${scope}\u0000${value}`;
      const mac = createHmac('sha256', estateKey(estateId)).update(text).digest('base64url');
      out = `${version}.${mac.slice(0, 16)}`;
      if (cache.size >= 100_000) cache.clear();
      cache.set(input, out);
    }
    return out;
  };
}

/**
 * Development convenience only: without a configured key, one is generated once and kept outside the
 * repository, so pseudonyms stay stable across restarts. Production sets PSEUDONYM_KEY.
 */
export function developmentKey(path = '.data/pseudonym.key'): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, key, { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}

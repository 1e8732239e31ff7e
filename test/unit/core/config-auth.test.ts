import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateToken, hashToken } from '../../../src/adapters/http/auth.js';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'linli-config-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

function configError(content: unknown): string {
  try {
    loadConfig({ LINLI_CONFIG: configFile(content) });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';
const principal = (over: Record<string, unknown> = {}) => ({
  id: 'ops-1',
  role: 'operator',
  estates: ['shjy'],
  tokenHash: HASH,
  ...over,
});

describe('auth configuration', () => {
  it('has no principals by default', () => {
    expect(loadConfig({}, join(dir, 'missing.json')).auth).toEqual({ principals: [] });
  });

  it('accepts the hash that hashToken makes, estates "all" and an expiry', async () => {
    const tokenHash = await hashToken(generateToken('sup-1'));
    const config = loadConfig({
      LINLI_CONFIG: configFile({
        auth: {
          principals: [
            principal(),
            { id: 'sup-1', role: 'supervisor', estates: 'all', tokenHash, expiresAt: '2027-06-30T00:00:00+08:00' },
          ],
        },
      }),
    });
    expect(config.auth.principals.map((p) => [p.id, p.estates])).toEqual([
      ['ops-1', ['shjy']],
      ['sup-1', 'all'],
    ]);
  });

  it('names the entry and says what format a bad hash should have', () => {
    const message = configError({ auth: { principals: [principal({ tokenHash: 'sha256:abcdef' })] } });
    expect(message).toContain('auth.principals.0.tokenHash');
    expect(message).toContain('must be scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>');
  });

  it('refuses a duplicate id, naming the second entry', () => {
    const message = configError({
      auth: { principals: [principal(), principal({ role: 'supervisor' }), principal({ id: 'ops-2' })] },
    });
    expect(message).toContain('auth.principals.1.id');
    expect(message).toContain('id ops-1 is used twice');
    expect(message).not.toContain('principals.0');
  });

  it('refuses an unknown role', () => {
    const message = configError({ auth: { principals: [principal({ role: 'janitor' })] } });
    expect(message).toContain('auth.principals.0.role');
    expect(message).toMatch(/operator.*supervisor.*police.*auditor.*admin/);
  });

  it('refuses an empty estate list, a wildcard and a date that is not ISO 8601', () => {
    expect(configError({ auth: { principals: [principal({ estates: [] })] } })).toContain('auth.principals.0.estates');
    expect(configError({ auth: { principals: [principal({ estates: ['*'] })] } })).toContain(
      'auth.principals.0.estates',
    );
    expect(configError({ auth: { principals: [principal({ expiresAt: 'next year' })] } })).toContain(
      'auth.principals.0.expiresAt',
    );
  });

  it('refuses a principal that carries its token instead of a hash', () => {
    expect(configError({ auth: { principals: [principal({ token: 'ops-1.secret' })] } })).toContain('token');
  });
});

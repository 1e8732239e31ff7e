import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type AuthFailure,
  createAuthenticator,
  generateToken,
  hashToken,
  parseToken,
  verifyToken,
} from '../../../src/adapters/http/auth.js';

// Spies around the real functions: the tests see whether the comparison was constant-time and how often scrypt ran.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual), scrypt: vi.fn(real.scrypt) };
});

beforeEach(() => vi.clearAllMocks());

describe('token hashing', () => {
  it('verifies a token against its own hash', async () => {
    const token = generateToken('ops-1');
    const hash = await hashToken(token);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyToken(token, hash)).toBe(true);
  });

  it('salts every hash', async () => {
    const token = generateToken('ops-1');
    expect(await hashToken(token)).not.toBe(await hashToken(token));
  });

  it('refuses a wrong secret and the right secret under another id', async () => {
    const token = generateToken('ops-1');
    const hash = await hashToken(token);
    expect(await verifyToken(generateToken('ops-1'), hash)).toBe(false);
    expect(await verifyToken(`ops-2.${token.split('.')[1]}`, hash)).toBe(false);
  });

  it('refuses a tampered hash', async () => {
    const token = generateToken('ops-1');
    const hash = await hashToken(token);
    const key = hash.split('$')[5]!;
    const flipped = `${key[0] === 'A' ? 'B' : 'A'}${key.slice(1)}`;
    expect(await verifyToken(token, hash.replace(key, flipped))).toBe(false);
    const salt = hash.split('$')[4]!;
    expect(await verifyToken(token, hash.replace(salt, `${salt[0] === 'A' ? 'B' : 'A'}${salt.slice(1)}`))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['another algorithm', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['too few fields', 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0'],
    ['N not a power of two', 'scrypt$10000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
    ['N far too large', 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
    ['key too short', 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5'],
    ['not base64', 'scrypt$16384$8$1$!!!!$????'],
  ])('refuses a malformed hash (%s) without throwing', async (_what, hash) => {
    await expect(verifyToken(generateToken('ops-1'), hash)).resolves.toBe(false);
  });

  it('compares keys in constant time', async () => {
    const token = generateToken('ops-1');
    await verifyToken(token, await hashToken(token));
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it('makes tokens of the shape <id>.<43 base64url characters>', () => {
    const token = generateToken('ops-1');
    expect(token).toMatch(/^ops-1\.[A-Za-z0-9_-]{43}$/);
    expect(parseToken(token)).toEqual({ principalId: 'ops-1', secret: token.slice(6) });
    expect(parseToken('ops-1.short')).toBeUndefined();
    expect(parseToken(`no dot ${'x'.repeat(43)}`)).toBeUndefined();
    expect(() => generateToken('has.dot')).toThrow();
  });
});

describe('authenticator cache', () => {
  it('runs scrypt once per token within the cache time, yet refuses the token once it expires', async () => {
    const token = generateToken('ops-1');
    let now = Date.parse('2026-11-20T10:00:00Z');
    const failures: AuthFailure[] = [];
    const auth = createAuthenticator({
      principals: [
        {
          id: 'ops-1',
          role: 'operator',
          estates: ['shjy'],
          tokenHash: await hashToken(token),
          expiresAt: '2026-11-20T10:00:30Z',
        },
      ],
      clock: { now: () => now },
      onFailure: (f) => failures.push(f),
    });
    vi.mocked(crypto.scrypt).mockClear();
    const headers = { authorization: `Bearer ${token}` };

    expect((await auth.authenticate(headers)).ok).toBe(true);
    now += 10_000;
    expect((await auth.authenticate(headers)).ok).toBe(true);
    expect(crypto.scrypt).toHaveBeenCalledTimes(1);

    now += 20_000; // the expiry, still inside the cache time
    expect(await auth.authenticate(headers)).toEqual({ ok: false, status: 401, reason: 'invalid or expired token' });
    expect(failures).toEqual([{ principalId: 'ops-1', reason: 'expired' }]);
  });

  it('verifies again once the cache time is over', async () => {
    const token = generateToken('ops-1');
    let now = 0;
    const auth = createAuthenticator({
      principals: [{ id: 'ops-1', role: 'operator', estates: 'all', tokenHash: await hashToken(token) }],
      clock: { now: () => now },
      cacheTtlMs: 60_000,
      onFailure: () => {},
    });
    vi.mocked(crypto.scrypt).mockClear();
    await auth.authenticate({ authorization: `Bearer ${token}` });
    now = 60_001;
    await auth.authenticate({ authorization: `Bearer ${token}` });
    expect(crypto.scrypt).toHaveBeenCalledTimes(2);
  });

  it('never caches a wrong secret', async () => {
    const auth = createAuthenticator({
      principals: [
        { id: 'ops-1', role: 'operator', estates: 'all', tokenHash: await hashToken(generateToken('ops-1')) },
      ],
      onFailure: () => {},
    });
    const wrong = { authorization: `Bearer ${generateToken('ops-1')}` };
    vi.mocked(crypto.scrypt).mockClear();
    expect((await auth.authenticate(wrong)).ok).toBe(false);
    expect((await auth.authenticate(wrong)).ok).toBe(false);
    expect(crypto.scrypt).toHaveBeenCalledTimes(2);
  });

  it('refuses two principals with one id', async () => {
    const tokenHash = await hashToken(generateToken('ops-1'));
    const p = { id: 'ops-1', role: 'operator', estates: 'all', tokenHash } as const;
    expect(() => createAuthenticator({ principals: [p, p], onFailure: () => {} })).toThrow(/ops-1/);
  });

  it('refuses an expiry that is not a date rather than never expiring', async () => {
    const tokenHash = await hashToken(generateToken('ops-1'));
    const p = { id: 'ops-1', role: 'operator', estates: 'all', tokenHash, expiresAt: 'soon' } as const;
    expect(() => createAuthenticator({ principals: [p], onFailure: () => {} })).toThrow(/expiresAt soon/);
  });
});

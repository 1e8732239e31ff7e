import { describe, expect, it } from 'vitest';
import { createPseudonymiser } from '../../../src/adapters/privacy/pseudonymiser.js';

const KEY = 'k'.repeat(32);

describe('pseudonymiser', () => {
  const p = createPseudonymiser(KEY, 1);

  it('is stable, carries the key version, and never contains the identifier', () => {
    const a = p('shjy', 'person', 'L-10293');
    expect(p('shjy', 'person', 'L-10293')).toBe(a);
    expect(a).toMatch(/^1\.[A-Za-z0-9_-]{16}$/);
    expect(a).not.toContain('10293');
    expect(createPseudonymiser(KEY, 2)('shjy', 'person', 'L-10293')).toMatch(/^2\./);
  });

  it('gives the same person unrelated pseudonyms in two estates, and in two scopes', () => {
    const inShjy = p('shjy', 'person', 'L-10293');
    expect(p('hyxc', 'person', 'L-10293')).not.toBe(inShjy);
    expect(p('shjy', 'cred:lock-b1-101', 'L-10293')).not.toBe(inShjy);
    expect(p('shjy', 'cred:lock-b1-101', '3')).not.toBe(p('shjy', 'cred:lock-b1-102', '3'));
  });

  it('depends on the key and its version: a rotated key makes new pseudonyms', () => {
    const a = p('shjy', 'person', 'L-10293');
    expect(createPseudonymiser('x'.repeat(32), 1)('shjy', 'person', 'L-10293')).not.toBe(a);
    expect(createPseudonymiser(KEY, 2)('shjy', 'person', 'L-10293').slice(2)).not.toBe(a.slice(2));
  });

  it('cannot be confused by separators inside identifiers', () => {
    expect(p('shjy', 'person', 'a\u0000b')).not.toBe(p('shjy', 'person\u0000a', 'b'));
  });
});

import { createKeys } from '../../src/adapters/redis/keys.js';

/** A kind of key: its name in keys.ts, its pattern with `*` for every identifier, and a matcher. */
export type KeyKind = { kind: string; pattern: string; test: (key: string) => boolean };

const HOLE = '\u0000';
const PREFIX = `${HOLE}prefix`;

/**
 * The key kinds of keys.ts, derived from its builders themselves (each called with placeholders), so a layout
 * change there is measured under its own name without a second list to keep in step.
 */
export function keyKinds(): KeyKind[] {
  const templates: { kind: string; template: string }[] = [];
  for (const [name, value] of Object.entries(createKeys(PREFIX))) {
    if (name === 'prefix') continue;
    if (typeof value === 'string') templates.push({ kind: name, template: value });
    if (typeof value !== 'function') continue;
    const build = value as (...holes: string[]) => unknown;
    const built = build(...Array.from({ length: build.length }, () => HOLE));
    if (typeof built === 'string') templates.push({ kind: name, template: built });
    else if (built && typeof built === 'object') {
      for (const [part, t] of Object.entries(built)) templates.push({ kind: `${name}.${part}`, template: String(t) });
    }
  }
  return (
    templates
      // the most literal template first: `alerts:case-seq` must not be taken for `alerts:case:*`
      .sort((a, b) => literalLength(b.template) - literalLength(a.template))
      .map(({ kind, template }) => {
        const body = template.slice(PREFIX.length);
        const re = new RegExp(`^${body.split(HOLE).map(escapeRegExp).join('[^]*?')}$`);
        return { kind, pattern: `<prefix>${body.replaceAll(HOLE, '*')}`, test: (rest: string) => re.test(rest) };
      })
  );
}

/** The kind of `key` (without its `prefix`), or a catch-all named after its first segment past the hash tag. */
export function kindOf(kinds: readonly KeyKind[], prefix: string, key: string): { kind: string; pattern: string } {
  const rest = key.slice(prefix.length);
  const known = kinds.find((k) => k.test(rest));
  if (known) return known;
  const head = rest
    .replace(/\{[^}]*\}/, '{*}')
    .split(':')
    .slice(0, 3)
    .join(':');
  return { kind: `other ${head}`, pattern: `<prefix>${head}…` };
}

const literalLength = (t: string) => t.split(HOLE).join('').length;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

import { ConfigError } from '../src/config/load.js';

type Json = Record<string, unknown>;

/**
 * Applies `--set path=value` overrides (`detection.overCapacityMargin=3`) to a configuration object. Values are
 * read as JSON when they parse (numbers, booleans, null), else as strings; the schema validates the result.
 */
export function applyOverrides<T extends object>(config: T, sets: readonly string[]): T {
  const out = structuredClone(config) as Json;
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${set}: expected path=value, e.g. detection.overCapacityMargin=3`);
    const path = set.slice(0, eq).split('.');
    const raw = set.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    let node = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        throw new ConfigError(`--set ${set}: "${key}" is not a configuration section`);
      }
      node = next as Json;
    }
    node[path.at(-1) as string] = value;
  }
  return out as T;
}

import { readFileSync } from 'node:fs';
import { ENV_OVERRIDES } from './env-overrides.js';
import { type Config, ConfigSchema } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Json = Record<string, unknown>;

/**
 * Reads the config file (LINLI_CONFIG, default config/default.json), lays the environment over it and
 * validates the result. Any problem becomes one ConfigError naming the key (and the variable that set it).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  file = env.LINLI_CONFIG ?? 'config/default.json',
): Config {
  let base: Json = {};
  try {
    base = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!(e.code === 'ENOENT' && env.LINLI_CONFIG === undefined)) {
      // a JSON error message quotes the text around the fault, which may be a secret: say where, not what
      const reason =
        e.code === 'ENOENT' ? 'not found' : e instanceof SyntaxError ? jsonFault(e) : (e.code ?? 'unreadable');
      throw new ConfigError(`config file ${file}: ${reason}`);
    }
  }
  const fromEnv = new Map<string, string>();
  const merged = structuredClone(base);
  for (const [name, { path, parse }] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(merged, path, parse ? parse(raw) : raw);
    fromEnv.set(path.join('.'), name);
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const source = [...fromEnv].find(([p]) => key === p || key.startsWith(`${p}.`))?.[1];
      return `${key}${source ? ` (env ${source})` : ` (in ${file})`}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return Object.freeze(result.data);
}

function jsonFault(e: SyntaxError): string {
  const at = /position (\d+)/.exec(e.message)?.[1];
  return `not valid JSON${at === undefined ? '' : ` (at character ${at})`}`;
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
    node = node[key] as Json;
  }
  node[path.at(-1) as string] = value;
}

import { parseArgs } from 'node:util';
import type { z } from 'zod';

/** Command-line flags (`--group-rental-share 0.05`) validated by a zod object whose keys are the camelCase flags. */

export class CliError extends Error {
  override readonly name = 'CliError';
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses `argv` against `schema`; every error names its flag, e.g. `--days: Too small: expected number to be >=1`.
 * Flags listed in `booleans` take no value.
 */
export function parseCli<S extends z.ZodObject>(schema: S, argv: readonly string[], booleans: readonly string[] = []) {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const key of Object.keys(schema.shape)) {
    options[kebab(key)] = { type: booleans.includes(key) ? 'boolean' : 'string' };
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const input = Object.fromEntries(Object.entries(values).map(([flag, value]) => [camel(flag), value]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `--${kebab(String(issue.path[0] ?? '?'))}: ${issue.message}`);
    throw new CliError(lines.join('\n'));
  }
  return parsed.data as z.infer<S>;
}

/** Numbers as plain integers stay numbers (`--seed 42`); anything else is a string seed. */
export function seedValue(text: string): number | string {
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

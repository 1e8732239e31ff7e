/**
 * The configuration reference as a Markdown table, generated from the zod schema. `npm run docs:config` rewrites
 * it in the README between its markers; test/unit/docs/config-table.test.ts fails when the README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ENV_OVERRIDES } from '../src/config/env-overrides.js';
import { ConfigSchema } from '../src/config/schema.js';

type Node = { default?: unknown; description?: string; properties?: Record<string, Node> };

export const README_MARKERS = ['<!-- config-table:start -->', '<!-- config-table:end -->'] as const;

export function configTable(): string {
  const envFor = new Map(Object.entries(ENV_OVERRIDES).map(([name, { path }]) => [path.join('.'), name]));
  const rows: string[] = ['| key | env | default | meaning |', '| --- | --- | --- | --- |'];
  const walk = (node: Node, path: string[]): void => {
    if (node.properties) {
      for (const [k, child] of Object.entries(node.properties)) walk(child, [...path, k]);
      return;
    }
    const key = path.join('.');
    const env = envFor.get(key);
    const def = node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``;
    rows.push(`| \`${key}\` | ${env ? `\`${env}\`` : ''} | ${def} | ${node.description ?? ''} |`);
  };
  walk(z.toJSONSchema(ConfigSchema, { io: 'input' }) as Node, []);
  return rows.join('\n');
}

/** The README with its table section replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const [open, close] = README_MARKERS;
  const from = readme.indexOf(open);
  const to = readme.indexOf(close);
  if (from < 0 || to < from) throw new Error(`README lacks the ${open} … ${close} markers`);
  return `${readme.slice(0, from + open.length)}\n${table}\n${readme.slice(to)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withTable(readFileSync(path, 'utf8'), configTable()));
}

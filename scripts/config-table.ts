/** Prints the configuration reference as a Markdown table, generated from the zod schema (README, "Configuration"). */
import { z } from 'zod';
import { ConfigSchema, ENV_OVERRIDES } from '../src/config/schema.js';

type Node = {
  type?: string | string[];
  default?: unknown;
  description?: string;
  properties?: Record<string, Node>;
  anyOf?: Node[];
  enum?: unknown[];
};

const envFor = new Map(Object.entries(ENV_OVERRIDES).map(([name, { path }]) => [path.join('.'), name]));
const rows: string[] = ['| key | env | default | meaning |', '| --- | --- | --- | --- |'];

function walk(node: Node, path: string[]): void {
  if (node.properties) {
    for (const [k, child] of Object.entries(node.properties)) walk(child, [...path, k]);
    return;
  }
  const key = path.join('.');
  const def = node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``;
  rows.push(`| \`${key}\` | ${envFor.has(key) ? `\`${envFor.get(key)}\`` : ''} | ${def} | ${node.description ?? ''} |`);
}

walk(z.toJSONSchema(ConfigSchema, { io: 'input' }) as Node, []);
process.stdout.write(`${rows.join('\n')}\n`);

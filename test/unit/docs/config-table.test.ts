import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable, withTable } from '../../../scripts/config-table.js';

describe('README configuration table', () => {
  it('matches the configuration schema (run `npm run docs:config` after changing the schema)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withTable(readme, configTable())).toBe(readme);
  });

  it('lists every setting with its environment variable where there is one', () => {
    const table = configTable();
    expect(table).toContain('| `http.port` | `PORT` | `8080` |');
    expect(table).toContain('`detection.confirmDays`');
  });
});

import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScriptSources } from '../../../src/adapters/redis/scripts.js';
import { connectTestRedis } from '../../helpers/redis.js';

const SCRIPTS_DIR = new URL('../../../src/adapters/redis/scripts/', import.meta.url);
const sources = loadScriptSources();
// Every command the scripts call takes a key as its first argument.
const CALL = /redis\.call\('([A-Z]+)',\s*([^,)]+)/g;
// Parameters of the shared helpers (scripts/includes) that carry a key handed down from KEYS: named `<what>_key`.
const KEY_PARAMS = new Set(
  sources.flatMap((s) =>
    [...s.lua.matchAll(/local function \w+\(([^)]*)\)/g)].flatMap((m) =>
      (m[1] as string)
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.endsWith('_key')),
    ),
  ),
);

let redis: Redis;
beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

describe('Lua scripts', () => {
  it('finds one source for every <name>-<keys>.lua file', () => {
    const files = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.lua'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(KEY_PARAMS.size).toBeGreaterThan(0);
    expect(sources.map((s) => `${s.name}-${s.numberOfKeys}.lua`).sort()).toEqual(files.sort());
  });

  it.each(sources.map((s) => [s.name, s] as const))('loads %s with SCRIPT LOAD', async (_, source) => {
    const sha = await redis.script('LOAD', source.lua);
    expect(sha).toBe(createHash('sha1').update(source.lua).digest('hex'));
  });

  it.each(sources.map((s) => [s.name, s] as const))('inlines every include of %s', (_, source) => {
    expect(source.lua).not.toMatch(/^--- @include/m);
  });

  it.each(sources.map((s) => [s.name, s] as const))(
    'uses in %s exactly the KEYS its file name declares',
    (_, source) => {
      const used = [...source.lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
      const guard = /if #KEYS ~= (\d+) then return redis\.error_reply/.exec(source.lua);
      if (guard) {
        // a script that walks its keys by index refuses, as it starts, any other number of them
        expect(Number(guard[1])).toBe(source.numberOfKeys);
        expect(Math.max(...used)).toBeLessThanOrEqual(source.numberOfKeys);
        return;
      }
      expect(Math.max(...used)).toBe(source.numberOfKeys);
      for (let i = 1; i <= source.numberOfKeys; i++) expect(used).toContain(i);
    },
  );

  it.each(sources.map((s) => [s.name, s] as const))(
    'names every key in %s through KEYS, never by building a name',
    (_, source) => {
      const calls = [...source.lua.matchAll(CALL)];
      expect(calls.length).toBeGreaterThan(0);
      for (const [, command, keyArg] of calls) {
        const arg = (keyArg as string).trim();
        const ok = /^KEYS\[(\d+|[a-z_]+)\]$/.test(arg) || KEY_PARAMS.has(arg);
        expect(ok, `${command} ${arg}`).toBe(true);
      }
    },
  );

  it.each(sources.map((s) => [s.name, s] as const))('does not read the server clock in %s', (_, source) => {
    expect(source.lua).not.toMatch(/redis\.call\('TIME'\)/i);
  });
});

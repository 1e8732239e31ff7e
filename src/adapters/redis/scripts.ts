import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);
const INCLUDE = /^--- @include "([\w-]+)"\s*$/m;
const FILE_NAME = /^(\w+)-(\d+)\.lua$/;

export type ScriptSource = { name: string; numberOfKeys: number; lua: string };

/** Inlines `--- @include "name"` directives from scripts/includes (one level; includes do not include). */
function inline(lua: string): string {
  return lua.replace(new RegExp(INCLUDE.source, 'gm'), (_, name: string) =>
    readFileSync(new URL(`includes/${name}.lua`, SCRIPTS_DIR), 'utf8'),
  );
}

/** Reads every `<name>-<numberOfKeys>.lua`; the key count comes from the file name (BullMQ convention). */
export function loadScriptSources(): ScriptSource[] {
  return readdirSync(SCRIPTS_DIR)
    .map((file) => FILE_NAME.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([file, name, keys]) => ({
      name: name as string,
      numberOfKeys: Number(keys),
      lua: inline(readFileSync(new URL(file, SCRIPTS_DIR), 'utf8')),
    }));
}

/**
 * Registers the scripts as commands: ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT, so a Redis
 * restart (which forgets loaded scripts) needs nothing from us.
 */
export function defineScripts(redis: Pick<Redis, 'defineCommand'>, sources = loadScriptSources()): void {
  for (const s of sources) redis.defineCommand(s.name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
}

type Arg = string | number;
type ScriptReply = Promise<unknown[]>;

/** The script commands, typed once; only the stores call them. */
export interface ScriptCommands {
  recordAccess(...args: Arg[]): ScriptReply;
  recordFace(...args: Arg[]): ScriptReply;
  linkFace(...args: Arg[]): ScriptReply;
  readUnit(...args: Arg[]): ScriptReply;
  recordCredential(...args: Arg[]): ScriptReply;
  recordPassage(...args: Arg[]): ScriptReply;
  recordAlarm(...args: Arg[]): ScriptReply;
  retireBlocks(...args: Arg[]): Promise<[number, number]>;
  recordStatus(...args: Arg[]): Promise<[number, string]>;
  touchDevices(...args: Arg[]): Promise<string[]>;
  recordDeadLetter(...args: Arg[]): Promise<string>;
  recordFlood(...args: Arg[]): Promise<number>;
  upsertAlert(...args: Arg[]): Promise<string[]>;
  saveCase(...args: Arg[]): Promise<string[]>;
  eraseFromUnit(...args: Arg[]): Promise<number>;
  eraseFromDoorHour(...args: Arg[]): Promise<number>;
  appendAudit(...args: Arg[]): Promise<[number, (string | number)?, string?]>;
  rateLimit(...args: Arg[]): Promise<[number, number, number]>;
}

export const scriptsOf = (redis: unknown): ScriptCommands => redis as ScriptCommands;

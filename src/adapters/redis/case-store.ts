import type { Cluster, Redis } from 'ioredis';
import { type Case, CaseSchema, TERMINAL_STATES } from '../../core/cases/case.js';
import type { CaseChange, CaseFilter, CaseStore, SavedCase } from '../../core/cases/case-store.js';
import type { PoliceEntry } from '../../core/cases/police-view.js';
import { DAY_MS } from '../../core/time.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';

const PAGE = 200;

/** Cases in Redis beside the alerts (one slot), each save a compare-and-set script that also feeds the streams. */
export class RedisCaseStore implements CaseStore {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #retentionMs: number;
  readonly #maxLen: number;

  constructor(opts: { redis: Redis | Cluster; keys: Keys; retentionDays: number; streamMaxLen: number }) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
    this.#retentionMs = opts.retentionDays * DAY_MS;
    this.#maxLen = opts.streamMaxLen;
  }

  async nextId(): Promise<string> {
    const n = await this.#redis.incr(this.#keys.caseSeq);
    await this.#redis.pexpire(this.#keys.caseSeq, this.#retentionMs * 10);
    return `case-${n}`;
  }

  async get(caseId: string): Promise<Case | undefined> {
    const json = await this.#redis.hget(this.#keys.case(caseId), 'json');
    return json === null ? undefined : parseCase(json);
  }

  async latestForUnit(estateId: string, unitId: string): Promise<Case | undefined> {
    const id = await this.#redis.get(this.#keys.unitCase(estateId, unitId));
    return id === null ? undefined : this.get(id);
  }

  async save(
    next: Case,
    expectedVersion: number,
    change: CaseChange,
    police: PoliceEntry | undefined,
    unitCaseBefore?: string,
  ): Promise<SavedCase | undefined> {
    const [status, streamId, policeId] = await this.#scripts.saveCase(
      this.#keys.case(next.id),
      this.#keys.unitCase(next.estateId, next.unitId),
      this.#keys.caseIndex,
      this.#keys.alertStream,
      this.#keys.policeStream,
      next.id,
      expectedVersion,
      JSON.stringify(next),
      next.version,
      Date.parse(next.updatedAt),
      change,
      this.#retentionMs,
      this.#maxLen,
      police ? JSON.stringify(police) : '',
      expectedVersion === 0 ? (unitCaseBefore ?? '') : '*',
    );
    if (status !== 'ok') return undefined;
    return { streamId: streamId as string, policeStreamId: policeId || undefined };
  }

  async list(filter: CaseFilter): Promise<Case[]> {
    const out: Case[] = [];
    for (let offset = 0; out.length < filter.limit; offset += PAGE) {
      const ids = await this.#redis.zrevrange(this.#keys.caseIndex, offset, offset + PAGE - 1);
      if (ids.length === 0) break;
      const cases = await Promise.all(ids.map((id) => this.get(id)));
      for (const c of cases) if (c && matches(c, filter) && out.length < filter.limit) out.push(c);
    }
    return out;
  }

  async openCases(): Promise<Case[]> {
    const out: Case[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const ids = await this.#redis.zrange(this.#keys.caseIndex, String(offset), String(offset + PAGE - 1));
      if (ids.length === 0) return out;
      const cases = await Promise.all(ids.map((id) => this.get(id)));
      for (const c of cases) if (c && !TERMINAL_STATES.has(c.state)) out.push(c);
    }
  }
}

function matches(c: Case, f: CaseFilter): boolean {
  if (f.estateIds && f.estateIds !== 'all' && !f.estateIds.includes(c.estateId)) return false;
  if (f.state && c.state !== f.state) return false;
  if (f.unitId && c.unitId !== f.unitId) return false;
  if (f.open && TERMINAL_STATES.has(c.state)) return false;
  return true;
}

function parseCase(json: string): Case | undefined {
  const parsed = CaseSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : undefined;
}

import type { Cluster, Redis } from 'ioredis';
import type { DeviceStore, LostEvents, StatusRecord, StoredStatus } from '../../core/device-monitor.js';
import type { DeviceBinding } from '../../core/estate.js';
import { DAY_MS } from '../../core/time.js';
import type { Keys } from './keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';
import { parseSeqRun } from './seq-run.js';

/**
 * Device last-seen times, statuses and suspects live this long after their last write: longer than the longest
 * silence a setting allows (90 days), so a device is never forgotten while it may still be judged silent.
 */
const DEVICE_TTL_MS = 120 * DAY_MS;
/** Devices per touchDevices call: Lua's unpack() stops at some 8,000 arguments. */
const TOUCH_CHUNK = 2000;

/** Device health in Redis: the estate's last-seen ZSET, the retained statuses, the seq runs and the suspects. */
export class RedisDeviceStore implements DeviceStore {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;

  constructor(opts: { redis: Redis | Cluster; keys: Keys }) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
  }

  async touch(estateId: string, newest: ReadonlyMap<string, number>): Promise<string[]> {
    const pairs: (string | number)[] = [];
    for (const [deviceId, ms] of newest) pairs.push(ms, deviceId);
    const calls: Promise<string[]>[] = [];
    for (let i = 0; i < pairs.length; i += 2 * TOUCH_CHUNK) {
      const chunk = pairs.slice(i, i + 2 * TOUCH_CHUNK);
      calls.push(
        this.#scripts.touchDevices(
          this.#keys.deviceSeen(estateId),
          this.#keys.deviceSuspects(estateId),
          DEVICE_TTL_MS,
          ...chunk,
        ),
      );
    }
    return (await Promise.all(calls)).flat();
  }

  async clock(estateId: string): Promise<number | undefined> {
    const top = await this.#redis.zrevrange(this.#keys.deviceSeen(estateId), 0, 0, 'WITHSCORES');
    return top[1] === undefined ? undefined : Number(top[1]);
  }

  async silentBefore(estateId: string, beforeMs: number): Promise<Map<string, number>> {
    const flat = await this.#redis.zrangebyscore(this.#keys.deviceSeen(estateId), '-inf', `(${beforeMs}`, 'WITHSCORES');
    const out = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i] as string, Number(flat[i + 1]));
    return out;
  }

  async lastEvents(estateId: string, deviceIds: readonly string[]): Promise<(number | undefined)[]> {
    if (deviceIds.length === 0) return [];
    const scores = await this.#redis.zmscore(this.#keys.deviceSeen(estateId), ...deviceIds);
    return scores.map((s) => (s === null ? undefined : Number(s)));
  }

  recordStatuses(records: readonly StatusRecord[]): Promise<StoredStatus[]> {
    return Promise.all(
      records.map(async ({ binding, status, receivedAtMs, effectiveMs }) => {
        const [online, since] = await this.#scripts.recordStatus(
          this.#statusKey(binding),
          status.online ? 1 : 0,
          status.ts ? Date.parse(status.ts) : '',
          status.firmware ?? '',
          receivedAtMs,
          DEVICE_TTL_MS,
          effectiveMs,
        );
        return { online: Number(online) === 1, offlineSinceMs: since ? Number(since) : undefined };
      }),
    );
  }

  async statuses(bindings: readonly DeviceBinding[]): Promise<(StoredStatus | undefined)[]> {
    const replies = await Promise.all(
      bindings.map((b) => this.#redis.hmget(this.#statusKey(b), 'online', 'offlineSince')),
    );
    return replies.map(([online, since]) =>
      online === null || online === undefined
        ? undefined
        : { online: online === '1', offlineSinceMs: since ? Number(since) : undefined },
    );
  }

  suspects(estateId: string): Promise<string[]> {
    return this.#redis.zrange(this.#keys.deviceSuspects(estateId), '0', '-1');
  }

  async addSuspects(estateId: string, deviceIds: readonly string[], atMs: number): Promise<void> {
    if (deviceIds.length === 0) return;
    const key = this.#keys.deviceSuspects(estateId);
    await this.#redis.zadd(key, ...deviceIds.flatMap((id) => [String(atMs), id]));
    await this.#redis.pexpire(key, DEVICE_TTL_MS);
  }

  async removeSuspects(estateId: string, deviceIds: readonly string[]): Promise<void> {
    if (deviceIds.length) await this.#redis.zrem(this.#keys.deviceSuspects(estateId), ...deviceIds);
  }

  async lostEvents(bindings: readonly DeviceBinding[]): Promise<(LostEvents | undefined)[]> {
    const runs = await Promise.all(bindings.map((b) => this.#redis.hget(this.#statusKey(b), 'seq')));
    return runs.map((run) => (run === null ? undefined : parseSeqRun(run)));
  }

  #statusKey(b: DeviceBinding): string {
    return this.#keys.deviceStatus(b.estateId, b.buildingId, b.deviceId);
  }
}

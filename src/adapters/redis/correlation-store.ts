import type { Cluster, Redis } from 'ioredis';
import type { Detection, DetectionFor } from '../../core/detection.js';
import type { ErasureTarget } from '../../core/erasure.js';
import type { Estate, Unit } from '../../core/estate.js';
import type { AcceptedEvent } from '../../core/intake.js';
import type { LockObservation } from '../../core/lock-health.js';
import type { CorrelationStore, StoreOutcome } from '../../core/ports.js';
import type { UnitSignals } from '../../core/signals.js';
import { DAY_MS } from '../../core/time.js';
import { BlockRetirement } from './block-retirement.js';
import { hourSlotOf } from './door-hours.js';
import { type EventHash, eventHash } from './idempotency.js';
import type { Keys } from './keys.js';
import { isPermanentReplyError, parseUnitReply, UNIT_STATUS } from './replies.js';
import { scanKeys } from './scan-keys.js';
import { type ScriptCommands, scriptsOf } from './scripts.js';

/** Night, for the night-activity signal: 23:00 to 05:00 local time. */
const NIGHT_FROM_HOUR = 23;
const NIGHT_TO_HOUR = 5;

export type RedisCorrelationStoreOptions = {
  redis: Redis | Cluster;
  keys: Keys;
  /** Each estate's settings: window, link and counting thresholds travel with every script call. */
  detection: DetectionFor;
  /** No person-scoped key outlives this after its last write, whatever the window (privacy.retentionDays). */
  retentionMs?: number;
};

/**
 * The correlation state in Redis. Each event is one atomic script in its building's slot; the events of a batch
 * run concurrently and ioredis auto-pipelining sends them together (grouped by slot on a cluster).
 */
export class RedisCorrelationStore implements CorrelationStore {
  readonly #redis: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: Keys;
  readonly #detection: DetectionFor;
  readonly #retentionMs: number;
  readonly #retirement: BlockRetirement;

  constructor(opts: RedisCorrelationStoreOptions) {
    this.#redis = opts.redis;
    this.#scripts = scriptsOf(opts.redis);
    this.#keys = opts.keys;
    this.#detection = opts.detection;
    this.#retentionMs = opts.retentionMs ?? Number.POSITIVE_INFINITY;
    this.#retirement = new BlockRetirement(opts.redis, opts.keys, (estateId) => this.#detection(estateId).windowDays);
  }

  async applyEvents(events: readonly AcceptedEvent[]): Promise<StoreOutcome[]> {
    const settled = await Promise.allSettled(events.map((e) => this.#applyAndRetire(e)));
    return settled.map((s) => {
      if (s.status === 'fulfilled') return s.value;
      if (isPermanentReplyError(s.reason)) return { status: 'failed', detail: `redis refused: ${s.reason.message}` };
      throw s.reason;
    });
  }

  async readUnit(estate: Estate, unit: Unit): Promise<UnitSignals | undefined> {
    const k = this.#keys.unit(estate.id, unit.buildingId, unit.id);
    const d = this.#detection(estate.id);
    const reply = await this.#scripts.readUnit(
      k.cred,
      k.credlog,
      k.link,
      k.state,
      this.#keys.entries(estate.id, unit.buildingId),
      this.#keys.floorCounters(estate.id, unit.buildingId, unit.floor),
      d.windowDays,
      d.minCredentialDays,
      d.minLinkDays,
      d.minLinkShare,
      unit.id,
      d.recentDays,
    );
    return reply.length ? parseUnitReply(unit.id, d, reply) : undefined;
  }

  async readLock(estate: Estate, unit: Unit): Promise<LockObservation> {
    const lock = [...estate.devices.values()].find((d) => d.kind === 'door-lock' && d.unitId === unit.id);
    const k = this.#keys.unit(estate.id, unit.buildingId, unit.id);
    const [last, online, newest] = await Promise.all([
      this.#redis.hget(k.state, 'lt'),
      lock ? this.#redis.hget(this.#keys.deviceStatus(estate.id, unit.buildingId, lock.deviceId), 'online') : null,
      this.#redis.get(this.#keys.doorNewest(estate.id, unit.buildingId)),
    ]);
    return {
      online: online === null ? undefined : online === '1',
      lastEventMs: last === null ? undefined : Number(last),
      buildingNewestMs: newest === null ? undefined : Number(newest),
    };
  }

  /** Keys live the window, the link retention and a day of slack after their last write, within the retention. */
  #ttlMs(d: Detection): number {
    return Math.min((d.windowDays + 1) * DAY_MS + d.linkRetentionH * 3_600_000, this.#retentionMs);
  }

  async erase(estate: Estate, target: ErasureTarget): Promise<{ removed: number; units: Unit[] }> {
    const tag = target.personTag ?? '';
    const cred = target.credential;
    // a face may have come into any building; a credential lives on one lock
    const units = tag ? [...estate.units.values()] : cred ? [cred.unit] : [];
    const buildings = tag ? [...estate.buildings.keys()] : [];
    const [fromUnits, fromBuildings] = await Promise.all([
      Promise.all(
        units.map((u) => {
          const k = this.#keys.unit(estate.id, u.buildingId, u.id);
          const credential = cred && cred.unit.id === u.id ? cred.pseudonym : '';
          return this.#scripts.eraseFromUnit(k.link, k.cred, k.credlog, tag, credential);
        }),
      ),
      Promise.all(buildings.map((b) => this.#eraseFromBuilding(estate.id, b, tag))),
    ]);
    const touched = units.filter((_, i) => Number(fromUnits[i]) > 0);
    const removed = [...fromUnits, ...fromBuildings].reduce<number>((n, r) => n + Number(r), 0);
    return { removed, units: touched };
  }

  /**
   * A face's entries in a building and its faces in every door hour still kept. The hours are found by SCAN: a late
   * face may sit in an hour older than the building's newest.
   */
  async #eraseFromBuilding(estateId: string, buildingId: string, tag: string): Promise<number> {
    let removed = await this.#redis.hdel(this.#keys.entries(estateId, buildingId), tag);
    // glob characters of the key prefix are escaped: the prefix is configuration, the hour the only wildcard
    const pattern = `${this.#keys
      .doorHour(estateId, buildingId, 0)
      .slice(0, -1)
      .replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const hours of scanKeys(this.#redis, pattern)) {
      const counts = await Promise.all(hours.map((key) => this.#scripts.eraseFromDoorHour(key, tag)));
      removed += counts.reduce((n, c) => n + Number(c), 0);
    }
    return removed;
  }

  async #applyAndRetire(a: AcceptedEvent): Promise<StoreOutcome> {
    const outcome = await this.#apply(a);
    if (outcome.status === 'counted') await this.#retirement.onCounted(a);
    return outcome;
  }

  #apply(a: AcceptedEvent): Promise<StoreOutcome> {
    switch (a.event.type) {
      case 'access':
        return this.#access(a, a.event.ok, a.event.credential);
      case 'credential':
        return this.#credential(a, a.event.action, a.event.credential);
      case 'face':
        return this.#face(a, a.event.direction, `${a.event.known ? 'k' : 'u'}|${a.event.person}`);
      case 'passage':
        return this.#passage(a, a.event.in, a.event.out);
      case 'alarm':
        return this.#alarm(a, a.event.alarm, a.event.active);
    }
  }

  /** The event's idempotency hash and the key of its bucket. */
  #seen(a: AcceptedEvent): { key: string; hash: EventHash } {
    const { estateId, buildingId, deviceId } = a.binding;
    const hash = eventHash(deviceId, a.event.id, a.event.seq);
    return { key: this.#keys.seen(estateId, buildingId, deviceId, hash.bucket), hash };
  }

  /** The device's status HASH, whose field `seq` the event scripts keep (seqGaps.lua), beside its idempotency blocks. */
  #seqKey(a: AcceptedEvent): string {
    return this.#keys.deviceStatus(a.binding.estateId, a.binding.buildingId, a.binding.deviceId);
  }

  #unitKeys(a: AcceptedEvent) {
    const { estateId, buildingId, unitId } = a.binding;
    // intake guarantees that lock events come from a device bound to a unit
    return this.#keys.unit(estateId, buildingId as string, unitId as string);
  }

  /** The floor of the unit a lock event belongs to. */
  #floorKey(a: AcceptedEvent): string {
    const unit = a.estate.units.get(a.binding.unitId as string) as Unit;
    return this.#keys.floorCounters(a.binding.estateId, unit.buildingId, unit.floor);
  }

  #unitOutcome(d: Detection, unitId: string, reply: unknown[]): StoreOutcome {
    const status = UNIT_STATUS[Number(reply[0]) as 0 | 1 | 2];
    const signals = parseUnitReply(unitId, d, reply);
    if (status === 'outside-window') return { status, windowFromDay: signals.window.fromDay };
    return { status, units: [signals] };
  }

  async #access(a: AcceptedEvent, ok: boolean, credential: string | undefined): Promise<StoreOutcome> {
    const k = this.#unitKeys(a);
    const { estateId, buildingId, unitId } = a.binding as { estateId: string; buildingId: string; unitId: string };
    const d = this.#detection(a.binding.estateId);
    const seen = this.#seen(a);
    const reply = await this.#scripts.recordAccess(
      seen.key,
      k.cred,
      k.credlog,
      k.link,
      k.state,
      this.#keys.doorHour(estateId, buildingId, hourSlotOf(a.tsMs, d.linkRetentionH)),
      this.#keys.doorHour(estateId, buildingId, hourSlotOf(a.tsMs - d.linkGapS * 1000, d.linkRetentionH)),
      this.#keys.entries(estateId, buildingId),
      this.#floorKey(a),
      this.#seqKey(a),
      seen.hash.hex,
      a.tsMs,
      a.day,
      ok ? 1 : 0,
      credential ?? '',
      unitId,
      d.linkGapS * 1000,
      d.linkRetentionH * 3_600_000,
      d.windowDays,
      d.minCredentialDays,
      d.minLinkDays,
      this.#ttlMs(d),
      d.minLinkShare,
      d.recentDays,
      a.hour >= NIGHT_FROM_HOUR || a.hour < NIGHT_TO_HOUR ? 1 : 0,
      a.event.seq,
    );
    return this.#unitOutcome(d, unitId, reply);
  }

  async #credential(a: AcceptedEvent, action: 'enrolled' | 'removed', credential: string): Promise<StoreOutcome> {
    const k = this.#unitKeys(a);
    const d = this.#detection(a.binding.estateId);
    const seen = this.#seen(a);
    const reply = await this.#scripts.recordCredential(
      seen.key,
      k.cred,
      k.credlog,
      k.link,
      k.state,
      this.#keys.entries(a.binding.estateId, a.binding.buildingId as string),
      this.#floorKey(a),
      this.#seqKey(a),
      seen.hash.hex,
      a.day,
      action === 'enrolled' ? 'e' : 'r',
      credential,
      d.windowDays,
      d.minCredentialDays,
      d.minLinkDays,
      this.#ttlMs(d),
      d.minLinkShare,
      a.binding.unitId as string,
      d.recentDays,
      a.event.seq,
      a.tsMs,
    );
    return this.#unitOutcome(d, a.binding.unitId as string, reply);
  }

  async #face(a: AcceptedEvent, direction: 'in' | 'out', person: string): Promise<StoreOutcome> {
    const { estateId, buildingId } = a.binding;
    const door = buildingId ?? '_';
    const d = this.#detection(a.binding.estateId);
    const seen = this.#seen(a);
    const reply = await this.#scripts.recordFace(
      seen.key,
      this.#keys.gateCounters(estateId, buildingId, a.binding.deviceId),
      // an estate entrance gate has no building: its door keys are never read (ARGV[6] = 0) but stay in its slot
      this.#keys.doorHour(estateId, door, hourSlotOf(a.tsMs, d.linkRetentionH)),
      this.#keys.doorHour(estateId, door, hourSlotOf(a.tsMs + d.linkGapS * 1000, d.linkRetentionH)),
      this.#keys.entries(estateId, door),
      this.#seqKey(a),
      this.#keys.doorNewest(estateId, door),
      seen.hash.hex,
      a.tsMs,
      a.day,
      direction,
      person,
      buildingId ? 1 : 0,
      d.linkGapS * 1000,
      d.linkRetentionH * 3_600_000,
      d.windowDays,
      this.#ttlMs(d),
      a.event.seq,
    );
    if (Number(reply[0]) === 2) return { status: 'outside-window', windowFromDay: Number(reply[1]) };
    const status = Number(reply[0]) === 1 ? 'duplicate' : 'counted';
    const links: Promise<UnitSignals>[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const unit = a.estate.units.get(String(reply[i]));
      if (unit) links.push(this.#link(a.estate, unit, Number(reply[i + 1]), person));
    }
    return { status, units: await Promise.all(links) };
  }

  async #link(estate: Estate, unit: Unit, day: number, person: string): Promise<UnitSignals> {
    const k = this.#keys.unit(estate.id, unit.buildingId, unit.id);
    const d = this.#detection(estate.id);
    const reply = await this.#scripts.linkFace(
      k.cred,
      k.credlog,
      k.link,
      k.state,
      this.#keys.entries(estate.id, unit.buildingId),
      this.#keys.floorCounters(estate.id, unit.buildingId, unit.floor),
      day,
      person,
      d.windowDays,
      d.minCredentialDays,
      d.minLinkDays,
      this.#ttlMs(d),
      d.minLinkShare,
      unit.id,
      d.recentDays,
    );
    return parseUnitReply(unit.id, d, reply);
  }

  async #passage(a: AcceptedEvent, inCount: number, outCount: number): Promise<StoreOutcome> {
    const { estateId, buildingId, floor } = a.binding;
    const d = this.#detection(estateId);
    const seen = this.#seen(a);
    const reply = await this.#scripts.recordPassage(
      seen.key,
      this.#keys.floorCounters(estateId, buildingId as string, floor as number),
      this.#seqKey(a),
      seen.hash.hex,
      a.day,
      inCount,
      outCount,
      d.windowDays,
      this.#ttlMs(d),
      a.event.seq,
      a.tsMs,
    );
    if (Number(reply[0]) === 2) return { status: 'outside-window', windowFromDay: Number(reply[1]) };
    return { status: Number(reply[0]) === 1 ? 'duplicate' : 'counted', units: [] };
  }

  async #alarm(a: AcceptedEvent, alarm: string, active: boolean): Promise<StoreOutcome> {
    const { estateId, buildingId, deviceId } = a.binding;
    const d = this.#detection(estateId);
    const seen = this.#seen(a);
    const reply = await this.#scripts.recordAlarm(
      seen.key,
      this.#keys.alarms(estateId, buildingId, deviceId),
      this.#seqKey(a),
      seen.hash.hex,
      a.tsMs,
      alarm,
      active ? 1 : 0,
      this.#ttlMs(d),
      a.day,
      d.windowDays,
      a.event.seq,
    );
    if (Number(reply[0]) === 2) return { status: 'outside-window', windowFromDay: Number(reply[1]) };
    return {
      status: Number(reply[0]) === 1 ? 'duplicate' : 'counted',
      units: [],
      alarm: { active: Number(reply[1]) === 1, sinceMs: Number(reply[2]) },
    };
  }
}

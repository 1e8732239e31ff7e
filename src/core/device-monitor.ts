import type { AlertDecision } from './alerts.js';
import type { DetectionFor } from './detection.js';
import { type DeviceHealth, deviceHealth, silenceLimitMs } from './device-health.js';
import type { DeviceBinding, Estate } from './estate.js';
import type { AcceptedEvent, AcceptedStatus } from './intake.js';
import type { AlertStore, AlertUpdate } from './ports.js';
import type { EstateRegistry } from './registry.js';
import { deviceOfflineDecision } from './rules/device-offline.js';

export type StoredStatus = { online: boolean; offlineSinceMs: number | undefined };
export type StatusRecord = AcceptedStatus & { receivedAtMs: number; effectiveMs: number };
/** Events a device lost by its seq gaps since its state was kept (see seqGaps.lua), and the factory resets seen. */
export type LostEvents = { lost: number; resets: number; highestSeq: number };

/** Where device health lives; shared by every gateway instance. */
export interface DeviceStore {
  /** Raises each device's newest event time to the one given (never lowers it): one call per estate and batch. */
  touch(estateId: string, newest: ReadonlyMap<string, number>): Promise<void>;
  /** The estate's clock: the newest event time heard from any of its devices; undefined before the first. */
  clock(estateId: string): Promise<number | undefined>;
  /** Devices whose newest event is older than `beforeMs`, with that event time. */
  silentBefore(estateId: string, beforeMs: number): Promise<Map<string, number>>;
  lastEvents(estateId: string, deviceIds: readonly string[]): Promise<(number | undefined)[]>;
  /**
   * Records statuses, last write wins; an offline one keeps the `effectiveMs` of the first of a run of offline
   * statuses, so a retained will delivered again on a reconnect does not move it. Resolves each stored status.
   */
  recordStatuses(records: readonly StatusRecord[]): Promise<StoredStatus[]>;
  statuses(bindings: readonly DeviceBinding[]): Promise<(StoredStatus | undefined)[]>;
  /** Devices whose device-offline alert may be open: checked on every sweep, and on their next event. */
  suspects(estateId: string): Promise<string[]>;
  addSuspects(estateId: string, deviceIds: readonly string[], atMs: number): Promise<void>;
  removeSuspects(estateId: string, deviceIds: readonly string[]): Promise<void>;
  lostEvents(bindings: readonly DeviceBinding[]): Promise<(LostEvents | undefined)[]>;
}

export type DeviceView = {
  binding: DeviceBinding;
  health: DeviceHealth;
  online: boolean | undefined;
  lastEventMs: number | undefined;
  limitMs: number | null;
  lost: LostEvents | undefined;
};

export type DeviceMonitorDeps = {
  registry: EstateRegistry;
  store: DeviceStore;
  alerts: AlertStore;
  detection: DetectionFor;
  /**
   * True when events are checked against the gateway clock (live traffic): a will then takes effect at the later of
   * its arrival and the estate's clock, since a quiet estate's clock lags the wall clock. Replays and simulations
   * run on their own clock, so a will takes effect at the estate's clock alone.
   */
  liveClock: boolean;
  /** Every this many sweeps the open device-offline alerts are listed, to catch a suspect lost to a race. */
  reconcileEvery?: number;
};

/**
 * Device health: the newest event time of every device (kept per batch), its retained status, and the verdict
 * `device-offline` raised or cleared from them. Statuses and events of a suspect device are decided at once; a
 * periodic sweep finds the devices that went silent and re-checks the suspects. Any instance may decide any device:
 * each verdict's fingerprint makes a repeat harmless.
 */
export function createDeviceMonitor(deps: DeviceMonitorDeps) {
  const { store, registry } = deps;
  /** Suspects as this instance last read them, so an event from a recovered device clears its alert at once. */
  const suspects = new Map<string, Set<string>>();
  const reconcileEvery = deps.reconcileEvery ?? 60;
  let sweeps = 0;

  async function decideAndApply(estate: Estate, bindings: readonly DeviceBinding[]): Promise<AlertUpdate[]> {
    if (bindings.length === 0) return [];
    const ids = bindings.map((b) => b.deviceId);
    const [now, statuses, lastEvents] = await Promise.all([
      store.clock(estate.id),
      store.statuses(bindings),
      store.lastEvents(estate.id, ids),
    ]);
    const d = deps.detection(estate.id);
    const decisions = bindings.map((b, i) => {
      const status = statuses[i];
      const health = deviceHealth(
        {
          online: status?.online,
          offlineSinceMs: status?.offlineSinceMs,
          lastEventMs: lastEvents[i],
          estateNowMs: now,
        },
        silenceLimitMs(d, b.kind),
      );
      return deviceOfflineDecision(b, health, now);
    });
    return apply(estate.id, decisions, now ?? 0);
  }

  async function apply(estateId: string, decisions: AlertDecision[], nowMs: number): Promise<AlertUpdate[]> {
    const updates = await deps.alerts.apply(decisions);
    const raised = decisions
      .filter((x) => x.action === 'raise')
      .map((x) => (x.action === 'raise' ? x.draft.subject : ''));
    const cleared = decisions.filter((x) => x.action === 'clear').map((x) => (x.action === 'clear' ? x.subject : ''));
    await Promise.all([store.addSuspects(estateId, raised, nowMs), store.removeSuspects(estateId, cleared)]);
    const known = suspects.get(estateId) ?? new Set<string>();
    for (const id of raised) known.add(id);
    for (const id of cleared) known.delete(id);
    suspects.set(estateId, known);
    return updates;
  }

  const bindingsOf = (estate: Estate, ids: Iterable<string>): DeviceBinding[] => {
    const out: DeviceBinding[] = [];
    for (const id of ids) {
      const b = estate.devices.get(id);
      if (b) out.push(b);
    }
    return out;
  };

  return {
    /**
     * After a batch: raises the newest event time of each device heard (one call per estate), records the statuses,
     * and decides the devices whose health may have changed: those that sent a status, and suspects heard again.
     */
    async afterBatch(
      events: readonly AcceptedEvent[],
      statuses: readonly AcceptedStatus[],
      receivedAtMs: number,
    ): Promise<AlertUpdate[]> {
      const newest = new Map<string, Map<string, number>>();
      for (const e of events) {
        let devices = newest.get(e.binding.estateId);
        if (!devices) {
          devices = new Map();
          newest.set(e.binding.estateId, devices);
        }
        const before = devices.get(e.binding.deviceId);
        if (before === undefined || e.tsMs > before) devices.set(e.binding.deviceId, e.tsMs);
      }
      await Promise.all([...newest].map(([estateId, devices]) => store.touch(estateId, devices)));

      const toDecide = new Map<string, Set<string>>();
      const add = (estateId: string, deviceId: string) => {
        let ids = toDecide.get(estateId);
        if (!ids) {
          ids = new Set();
          toDecide.set(estateId, ids);
        }
        ids.add(deviceId);
      };
      for (const [estateId, devices] of newest) {
        const known = suspects.get(estateId);
        if (known?.size) for (const id of devices.keys()) if (known.has(id)) add(estateId, id);
      }
      if (statuses.length) {
        const estates = [...new Set(statuses.map((s) => s.binding.estateId))];
        const clocks = new Map(await Promise.all(estates.map(async (id) => [id, await store.clock(id)] as const)));
        await store.recordStatuses(
          statuses.map((s) => {
            const clock = clocks.get(s.binding.estateId);
            const effectiveMs =
              clock === undefined ? receivedAtMs : deps.liveClock ? Math.max(clock, receivedAtMs) : clock;
            return { ...s, receivedAtMs, effectiveMs };
          }),
        );
        for (const s of statuses) add(s.binding.estateId, s.binding.deviceId);
      }
      const updates = await Promise.all(
        [...toDecide].map(([estateId, ids]) => {
          const estate = registry.estate(estateId);
          return estate ? decideAndApply(estate, bindingsOf(estate, ids)) : [];
        }),
      );
      return updates.flat();
    },

    /**
     * Decides every device that went silent (its newest event older than its estate's clock minus the shortest
     * limit) and every suspect. Returns the alert changes it made.
     */
    async sweep(): Promise<AlertUpdate[]> {
      sweeps++;
      const reconcile = sweeps % reconcileEvery === 1 || reconcileEvery === 1;
      const open = reconcile ? await deps.alerts.list({ kind: 'device-offline', status: 'open', limit: 100_000 }) : [];
      const updates: AlertUpdate[] = [];
      for (const estate of registry.estates()) {
        const d = deps.detection(estate.id);
        const limits = [...estate.devices.values()]
          .map((b) => silenceLimitMs(d, b.kind))
          .filter((x): x is number => x !== null);
        const [now, known] = await Promise.all([store.clock(estate.id), store.suspects(estate.id)]);
        const ids = new Set(known);
        for (const a of open) if (a.estateId === estate.id && a.deviceId) ids.add(a.deviceId);
        if (now !== undefined && limits.length) {
          const silent = await store.silentBefore(estate.id, now - Math.min(...limits));
          for (const [id, lastMs] of silent) {
            const limit = silenceLimitMs(d, estate.devices.get(id)?.kind ?? '');
            if (limit !== null && now - lastMs > limit) ids.add(id);
          }
        }
        suspects.set(estate.id, new Set(known));
        updates.push(...(await decideAndApply(estate, bindingsOf(estate, ids))));
      }
      return updates;
    },

    /** Every device of an estate (or the ones named) as the control room sees it. */
    async view(estate: Estate, deviceIds?: readonly string[]): Promise<DeviceView[]> {
      const bindings = bindingsOf(estate, deviceIds ?? estate.devices.keys());
      const [now, statuses, lastEvents, lost] = await Promise.all([
        store.clock(estate.id),
        store.statuses(bindings),
        store.lastEvents(
          estate.id,
          bindings.map((b) => b.deviceId),
        ),
        store.lostEvents(bindings),
      ]);
      const d = deps.detection(estate.id);
      return bindings.map((binding, i) => {
        const limitMs = silenceLimitMs(d, binding.kind);
        const status = statuses[i];
        const lastEventMs = lastEvents[i];
        const obs = { online: status?.online, offlineSinceMs: status?.offlineSinceMs, lastEventMs, estateNowMs: now };
        return {
          binding,
          health: deviceHealth(obs, limitMs),
          online: status?.online,
          lastEventMs,
          limitMs,
          lost: lost[i],
        };
      });
    },
  };
}

export type DeviceMonitor = ReturnType<typeof createDeviceMonitor>;

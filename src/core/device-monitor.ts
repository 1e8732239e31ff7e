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
  /**
   * Raises each device's newest event time to the one given (never lowers it): one call per estate and batch.
   * Resolves the devices among them that are suspects, read in the same step.
   */
  touch(estateId: string, newest: ReadonlyMap<string, number>): Promise<string[]>;
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
 * `device-offline` raised or cleared from them. Statuses and events of a suspect device are decided at once, by
 * whichever instance receives them (the suspects live in the store); a periodic sweep finds the devices that went
 * silent and re-checks the suspects. Any instance may decide any device: each verdict's fingerprint makes a repeat
 * harmless.
 */
export function createDeviceMonitor(deps: DeviceMonitorDeps) {
  const { store, registry } = deps;
  const reconcileEvery = deps.reconcileEvery ?? 60;
  let sweeps = 0;

  async function decideAndApply(
    estate: Estate,
    bindings: readonly DeviceBinding[],
    recheck = true,
  ): Promise<AlertUpdate[]> {
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
    const updates = await apply(estate.id, decisions, now ?? 0);
    // Another instance may have recorded an event of a device raised here after this read and before the device
    // was marked a suspect: it then saw no suspect and decided nothing. The mark is set now, so look once more.
    const raised = bindings.flatMap((_, i) => (decisions[i]?.action === 'raise' ? [i] : []));
    if (!recheck || raised.length === 0) return updates;
    const again = await store.lastEvents(
      estate.id,
      raised.map((i) => ids[i] as string),
    );
    const heard = raised.filter((i, j) => (again[j] ?? 0) > (lastEvents[i] ?? 0));
    if (heard.length === 0) return updates;
    return [
      ...updates,
      ...(await decideAndApply(
        estate,
        heard.map((i) => bindings[i] as DeviceBinding),
        false,
      )),
    ];
  }

  async function apply(estateId: string, decisions: AlertDecision[], nowMs: number): Promise<AlertUpdate[]> {
    const updates = await deps.alerts.apply(decisions);
    const raised = decisions
      .filter((x) => x.action === 'raise')
      .map((x) => (x.action === 'raise' ? x.draft.subject : ''));
    const cleared = decisions.filter((x) => x.action === 'clear').map((x) => (x.action === 'clear' ? x.subject : ''));
    await Promise.all([store.addSuspects(estateId, raised, nowMs), store.removeSuspects(estateId, cleared)]);
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

  // Verdicts are read from the state and then applied: two decisions of one device in flight at once (overlapping
  // ingest batches, or a batch and the sweep) could apply a stale raise after a newer clear. One at a time here;
  // between instances, the suspects read from the store and the second look after a raise (decideAndApply) close
  // the same gap, and the sweep's periodic reconciliation of open alerts catches what is left.
  let turn: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  };

  async function afterBatchNow(
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
    const heardSuspects = await Promise.all(
      [...newest].map(async ([estateId, devices]) => [estateId, await store.touch(estateId, devices)] as const),
    );

    const toDecide = new Map<string, Set<string>>();
    const add = (estateId: string, deviceId: string) => {
      let ids = toDecide.get(estateId);
      if (!ids) {
        ids = new Set();
        toDecide.set(estateId, ids);
      }
      ids.add(deviceId);
    };
    for (const [estateId, ids] of heardSuspects) for (const id of ids) add(estateId, id);
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
  }

  async function sweepNow(): Promise<AlertUpdate[]> {
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
      updates.push(...(await decideAndApply(estate, bindingsOf(estate, ids))));
    }
    return updates;
  }

  return {
    /**
     * After a batch: raises the newest event time of each device heard (one call per estate), records the statuses,
     * and decides the devices whose health may have changed: those that sent a status, and suspects heard again.
     */
    afterBatch(
      events: readonly AcceptedEvent[],
      statuses: readonly AcceptedStatus[],
      receivedAtMs: number,
    ): Promise<AlertUpdate[]> {
      return oneAtATime(() => afterBatchNow(events, statuses, receivedAtMs));
    },

    /**
     * Decides every device that went silent (its newest event older than its estate's clock minus the shortest
     * limit) and every suspect. Returns the alert changes it made.
     */
    sweep(): Promise<AlertUpdate[]> {
      return oneAtATime(sweepNow);
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

import type { Alert, AlertChange, AlertDecision, AlertKind, AlertStatus } from './alerts.js';
import type { ErasureTarget } from './erasure.js';
import type { Estate, Unit } from './estate.js';
import type { FloodRecord } from './flood-records.js';
import type { AcceptedEvent } from './intake.js';
import type { LockObservation } from './lock-health.js';
import type { Rejection } from './rejections.js';
import type { UnitSignals } from './signals.js';

/** What the store did with one event. */
export type StoreOutcome =
  | {
      status: 'counted' | 'duplicate';
      /** Signals of every unit the event changed (or would have changed, for a duplicate). */
      units: UnitSignals[];
      /** For alarm events: the device's current state of that alarm (newest event time wins). */
      alarm?: { active: boolean; sinceMs: number };
    }
  | { status: 'outside-window'; windowFromDay: number }
  /** Redis refused this event's script (not a connection problem): it is dead-lettered, never retried forever. */
  | { status: 'failed'; detail: string };

export interface CorrelationStore {
  /**
   * Applies each event's effect atomically and at most once per (deviceId, id). A duplicate changes nothing but
   * still returns the current signals, so a gateway that crashed after the commit and before deciding on alerts
   * decides again on redelivery. Resolves only when every effect is committed; rejects if any is not.
   */
  applyEvents(events: readonly AcceptedEvent[]): Promise<StoreOutcome[]>;
  /** Current signals of a unit, or undefined when nothing is known about it within its window. */
  readUnit(estate: Estate, unit: Unit): Promise<UnitSignals | undefined>;
  /** What is known of the unit's lock: its retained status, its newest event, and its building's newest entry. */
  readLock(estate: Estate, unit: Unit): Promise<LockObservation>;
  /**
   * Erases a person's pseudonyms from the estate's state (right to erasure); idempotent. Resolves how many entries
   * went and the units whose signals they were part of, to be decided again.
   */
  erase(estate: Estate, target: ErasureTarget): Promise<{ removed: number; units: Unit[] }>;
}

export type AlertUpdate = { change: AlertChange; streamId: string; alert: Alert };

export type AlertFilter = {
  status?: AlertStatus;
  kind?: AlertKind;
  estateId?: string;
  buildingId?: string;
  unitId?: string;
  /** Only alerts whose newest evidence is at or after this event time, epoch ms. */
  sinceMs?: number;
  limit: number;
};

export interface AlertStore {
  /**
   * Applies decisions idempotently: a decision that changes nothing appends nothing. Every change is appended to
   * the alert stream in the same atomic step as the alert itself. The decisions of one call are applied after
   * those of every earlier call (Redis: sent on call over one connection), which ingest relies on when batches
   * overlap.
   */
  apply(decisions: readonly AlertDecision[]): Promise<AlertUpdate[]>;
  list(filter: AlertFilter): Promise<Alert[]>;
  get(alertId: string): Promise<Alert | undefined>;
}

export interface DeadLetterSink {
  /** Appends each rejection to the dead-letter stream and counts it by reason. Resolves once committed. */
  record(rejections: readonly Rejection[]): Promise<void>;
  /**
   * Counts every message of each record under `device-flood` and folds the records into one open dead letter per
   * device, appended to the stream once it is a second old (`nowMs`, wall clock), so a flood of thousands a
   * second writes one entry a second instead of evicting every other dead letter. Resolves once committed.
   */
  recordFloods(floods: readonly FloodRecord[], nowMs: number): Promise<void>;
  /** Appends every open flood dead letter that is a second old: a flood's last second, once the device went quiet. */
  flushFloods(nowMs: number): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

import type { GatewayBus } from './bus.js';
import { decide } from './correlator.js';
import type { DetectionFor } from './detection.js';
import type { DeviceMonitor } from './device-monitor.js';
import type { EstateProfile } from './estate-profile.js';
import { summariseFloods } from './flood-records.js';
import {
  type AcceptedEvent,
  type AcceptedStatus,
  classifyMessage,
  type MessageOrigin,
  type Pseudonymiser,
} from './intake.js';
import type { AlertStore, AlertUpdate, Clock, CorrelationStore, DeadLetterSink } from './ports.js';
import type { EstateRegistry } from './registry.js';
import type { Rejection } from './rejections.js';
import { safePreview } from './rejections.js';
import { withoutRepeatedClears } from './repeated-clears.js';
import { dayToDate } from './time.js';

/** A raw message; `origin` is undefined when its topic is not a device topic of the contract. */
export type IncomingMessage = {
  topic: string;
  origin: MessageOrigin | undefined;
  payload: Buffer;
  /**
   * Names this delivery for as long as its batch may be retried. An event is recognised on a retry by its id, but
   * a rejected message may have none: with the key its dead letter is recorded once, however often the batch
   * that failed half-way is retried. Absent: recorded on every attempt.
   */
  deliveryKey?: string;
};

export type BatchReport = {
  counted: number;
  duplicates: number;
  /** Messages dead-lettered, those dropped over their device's rate limit included. */
  rejected: number;
  statuses: number;
  alertUpdates: AlertUpdate[];
};

export type IngestDeps = {
  registry: EstateRegistry;
  store: CorrelationStore;
  alerts: AlertStore;
  deadLetters: DeadLetterSink;
  bus: GatewayBus;
  clock: Clock;
  detection: DetectionFor;
  pseudonymise: Pseudonymiser;
  /** See IntakeOptions.maxFutureMs. */
  maxFutureMs: number | null;
  /** The estate's traffic distribution, fed by every unit's signals; evidence compares units against it. */
  profile?: EstateProfile;
  /** Device health: keeps each device's newest event time and its status, and decides device-offline. */
  devices: DeviceMonitor;
};

/**
 * The ingest use case for a batch of messages: classify, commit effects, decide and commit alerts, dead-letter
 * what cannot be counted. It resolves only when everything is committed, so the caller acknowledges after it;
 * it rejects when the store is unreachable, and the caller retries the whole batch (every step is idempotent).
 * `flooded` are messages the caller's rate limiter refused (see device-rate.ts): they are not read, only counted
 * and dead-lettered as `device-flood`, aggregated per device.
 */
export function createIngest(deps: IngestDeps) {
  // Batches may overlap (the caller pipelines them). Each takes its turn to decide and send its alert changes
  // after the batch before it has sent its own, so an alert's changes reach the store in the order of the events
  // that caused them, and the estate profile learns in the same order.
  let turn: Promise<void> = Promise.resolve();

  return async function ingestBatch(
    messages: readonly IncomingMessage[],
    flooded: readonly IncomingMessage[] = [],
  ): Promise<BatchReport> {
    const previousTurn = turn;
    let endTurn = () => {};
    turn = new Promise<void>((resolve) => {
      endTurn = resolve;
    });
    try {
      return await ingestInTurn(messages, flooded, previousTurn, endTurn);
    } finally {
      endTurn();
    }
  };

  async function ingestInTurn(
    messages: readonly IncomingMessage[],
    flooded: readonly IncomingMessage[],
    previousTurn: Promise<void>,
    endTurn: () => void,
  ): Promise<BatchReport> {
    const nowMs = deps.clock.now();
    const events: AcceptedEvent[] = [];
    const statuses: AcceptedStatus[] = [];
    const rejections: Rejection[] = [];
    // the delivery key of each accepted event, for the store's own rejections (outside the window)
    const eventKeys: (string | undefined)[] = [];
    for (const m of messages) {
      const r = classifyMessage(m.topic, m.origin, m.payload, {
        registry: deps.registry,
        pseudonymise: deps.pseudonymise,
        nowMs,
        maxFutureMs: deps.maxFutureMs,
      });
      if (r.kind === 'event') {
        events.push(r.accepted);
        eventKeys.push(m.deliveryKey);
      } else if (r.kind === 'status') statuses.push(r.accepted);
      else rejections.push(withDeliveryKey(r.rejection, m.deliveryKey));
    }

    const [outcomes, deviceUpdates] = await Promise.all([
      deps.store.applyEvents(events),
      deps.devices.afterBatch(events, statuses, nowMs),
    ]);
    await previousTurn;

    let counted = 0;
    let duplicates = 0;
    const decisions = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as AcceptedEvent;
      const outcome = outcomes[i];
      if (!outcome) continue;
      if (outcome.status === 'outside-window' || outcome.status === 'failed') {
        rejections.push(withDeliveryKey(storeRejection(event, outcome), eventKeys[i]));
        continue;
      }
      if (outcome.status === 'counted') {
        counted++;
        deps.bus.emit('eventCounted', event);
      } else {
        duplicates++;
        deps.bus.emit('eventDuplicate', event);
      }
      // the estate's distribution learns every unit's newest signals before any unit is compared with it
      for (const s of outcome.units) deps.profile?.observe(event.estate.id, s);
      decisions.push(...decide(event, outcome, deps.detection(event.estate.id), deps.profile?.view(event.estate.id)));
    }

    const floods = flooded.length ? summariseFloods(flooded, deps.registry) : [];
    const committing = Promise.all([
      decisions.length ? deps.alerts.apply(withoutRepeatedClears(decisions)) : ([] as AlertUpdate[]),
      rejections.length ? deps.deadLetters.record(rejections) : undefined,
      floods.length ? deps.deadLetters.recordFloods(floods, nowMs) : undefined,
    ]);
    // the alert changes are sent (a store sends on call, in call order): the next batch may decide
    endTurn();
    const [alertUpdates] = await committing;
    for (const r of rejections) deps.bus.emit('eventRejected', r);
    for (const f of floods) deps.bus.emit('eventsFlooded', f);
    alertUpdates.push(...deviceUpdates);
    for (const u of alertUpdates) deps.bus.emit('alertChanged', u);
    return {
      counted,
      duplicates,
      rejected: rejections.length + flooded.length,
      statuses: statuses.length,
      alertUpdates,
    };
  }
}

function withDeliveryKey(r: Rejection, deliveryKey: string | undefined): Rejection {
  return deliveryKey === undefined ? r : { ...r, deliveryKey };
}

function storeRejection(
  event: AcceptedEvent,
  outcome: { status: 'outside-window'; windowFromDay: number } | { status: 'failed'; detail: string },
): Rejection {
  const base = {
    topic: event.topic,
    estateId: event.binding.estateId,
    deviceId: event.binding.deviceId,
    // the accepted event is already pseudonymised, so its JSON is safe to keep
    preview: safePreview(Buffer.from(JSON.stringify(event.event)), 'store-error'),
  };
  return outcome.status === 'outside-window'
    ? {
        ...base,
        reason: 'outside-window',
        detail: `ts ${event.event.ts} is older than the unit's window, which starts on ${dayToDate(outcome.windowFromDay)}`,
      }
    : { ...base, reason: 'store-error', detail: outcome.detail };
}

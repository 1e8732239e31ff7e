import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import { statusTopic } from '../../src/adapters/mqtt/topics.js';
import type { DeviceStatus } from '../../src/core/events.js';
import type { SimStatus } from './model.js';
import type { Scenario } from './scenario.js';

/**
 * Publishes a scenario to a broker in event-time order, QoS 1. `speed: 'max'` publishes as fast as the broker
 * acknowledges with at most `maxInFlight` unacknowledged messages, so memory stays flat; `speed: N` paces
 * the events at N times real time.
 */

export type PublishProgress = {
  published: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Local date and index of the day being published, out of `dayCount` calendar days. */
  date: string;
  dayIndex: number;
  dayCount: number;
};

export type PublishOptions = {
  speed?: 'max' | number;
  maxInFlight?: number;
  /** Publish each device's retained `{"online":true}` status before the events (default true). */
  status?: boolean;
  /**
   * Publish the retained status changes of the run among the events, at their event time: a lock's last will
   * `{"online":false}` when it drops off the network, its `{"online":true}` when it is back (default: as `status`).
   */
  statusChanges?: boolean;
  firmware?: string;
  onProgress?: (progress: PublishProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
};

export type PublishSummary = {
  published: number;
  /** Retained statuses published before the events, one per device. */
  statuses: number;
  /** Retained status changes published among the events. */
  statusChanges: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Time spent generating events, included in `elapsedMs`. */
  generationMs: number;
  days: number;
};

/** Counts unacknowledged publishes and parks the producer while the window is full. */
class Window {
  private count = 0;
  private readonly waiters: (() => void)[] = [];
  failure: unknown;

  constructor(private readonly size: number) {}

  get full(): boolean {
    return this.count >= this.size;
  }

  add(promise: Promise<unknown>): void {
    this.count++;
    promise.then(
      () => this.release(),
      (err: unknown) => {
        this.failure ??= err;
        this.release();
      },
    );
  }

  async wait(): Promise<void> {
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async drain(): Promise<void> {
    while (this.count > 0) await this.wait();
  }

  private release(): void {
    this.count--;
    this.waiters.shift()?.();
  }
}

/** Waits until `ms` has passed or the run is aborted; false when aborted. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}

export async function publishScenario(
  target: MqttClient | string,
  scenario: Scenario,
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const client =
    typeof target === 'string'
      ? await connectAsync(target, { clientId: `linli-sim-${randomUUID().slice(0, 8)}`, clean: true }, false)
      : target;
  try {
    return await publishWith(client, scenario, options);
  } finally {
    if (typeof target === 'string') await client.endAsync();
  }
}

async function publishWith(client: MqttClient, scenario: Scenario, options: PublishOptions): Promise<PublishSummary> {
  const speed = options.speed ?? 'max';
  const window = new Window(options.maxInFlight ?? 500);
  const interval = options.progressIntervalMs ?? 1000;
  const started = performance.now();
  let statuses = 0;
  if (options.status ?? true) {
    const status: DeviceStatus = {
      online: true,
      ts: scenario.calendar.format(scenario.calendar.startMs),
      firmware: options.firmware ?? 'sim-1.0.0',
    };
    const body = JSON.stringify(status);
    for (const deviceId of scenario.deviceIds) {
      if (window.full) await window.wait();
      window.add(client.publishAsync(statusTopic(scenario.estate.id, deviceId), body, { qos: 1, retain: true }));
      statuses++;
    }
  }

  const withChanges = options.statusChanges ?? options.status ?? true;
  let statusChanges = 0;
  const publishChange = async (change: SimStatus) => {
    if (window.full) await window.wait();
    window.add(client.publishAsync(change.topic, JSON.stringify(change.payload), { qos: 1, retain: true }));
    statusChanges++;
  };
  let published = 0;
  let generationMs = 0;
  let lastReport = performance.now();
  let pace: { wallMs: number; eventMs: number } | undefined;
  const days = scenario.days();
  const dayCount = scenario.calendar.calendarDays;
  for (let dayIndex = 0; ; dayIndex++) {
    const t0 = performance.now();
    const next = days.next();
    generationMs += performance.now() - t0;
    if (next.done) break;
    const { date, events } = next.value;
    const changes = withChanges ? [...next.value.statuses] : [];
    for (const event of events) {
      if (options.signal?.aborted) break;
      if (speed !== 'max') {
        pace ??= { wallMs: performance.now(), eventMs: event.tsMs };
        const due = pace.wallMs + (event.tsMs - pace.eventMs) / speed;
        const ahead = due - performance.now();
        if (ahead > 1 && !(await pause(ahead, options.signal))) break;
      }
      // A status change goes out before the first event at or after its time.
      while (changes[0] && changes[0].tsMs <= event.tsMs) await publishChange(changes.shift() as SimStatus);
      if (window.full) await window.wait();
      if (window.failure) throw window.failure;
      window.add(client.publishAsync(event.topic, JSON.stringify(event.payload), { qos: 1 }));
      published++;
      if (options.onProgress && performance.now() - lastReport >= interval) {
        lastReport = performance.now();
        options.onProgress(progress(published, started, { date, dayIndex, dayCount }));
      }
    }
    if (options.signal?.aborted) break;
    for (const change of changes) await publishChange(change);
  }
  await window.drain();
  if (window.failure) throw window.failure;
  const elapsedMs = performance.now() - started;
  return {
    published,
    statuses,
    statusChanges,
    elapsedMs,
    eventsPerSecond: published / Math.max(elapsedMs / 1000, 1e-3),
    generationMs,
    days: scenario.calendar.days,
  };
}

function progress(
  published: number,
  started: number,
  day: Pick<PublishProgress, 'date' | 'dayIndex' | 'dayCount'>,
): PublishProgress {
  const elapsedMs = performance.now() - started;
  return { published, elapsedMs, eventsPerSecond: published / Math.max(elapsedMs / 1000, 1e-3), ...day };
}

/** Removes the retained statuses a run left on the broker (an empty retained payload clears a topic). */
export async function clearStatuses(client: MqttClient, scenario: Scenario): Promise<void> {
  await Promise.all(
    scenario.deviceIds.map((id) =>
      client.publishAsync(statusTopic(scenario.estate.id, id), '', { qos: 1, retain: true }),
    ),
  );
}

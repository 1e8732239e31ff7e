import type {
  ConsumerToParent,
  GcPauses,
  ParentToConsumer,
  ParentToPublisher,
  ProbeSent,
  ProcessFigures,
  PublisherToParent,
} from './protocol.js';
import type { Child } from './services.js';
import { type Percentiles, percentiles } from './stats.js';

export type Publisher = Child<ParentToPublisher, PublisherToParent>;
export type Consumer = Child<ParentToConsumer, ConsumerToParent>;
type Collected = Extract<ConsumerToParent, { type: 'collected' }>;

export type SliceResult = {
  events: number;
  /** Events committed a second, from the first publish to the last commit. */
  eventsPerSecond: number;
  publishedPerSecond: number;
  commitLatencyMs: Percentiles;
  cpuUsPerEvent: number;
  rssBytes: number;
  probes: ProbeSent[];
  /** Events published and never committed within the wait. */
  missing: number;
  /** The longest the consumer's event loop was held up during the slice. */
  loopDelayMaxMs: number;
  /** The consumer's garbage-collection pauses during the slice. */
  gc: GcPauses;
};

const POLL_MS = 250;
/** How long commits may stall before the slice is reported with missing events. */
const STALL_MS = 30_000;

export function collect(consumer: Consumer): Promise<Collected> {
  consumer.send({ type: 'collect' });
  return consumer.next<Collected>('collected');
}

const cpuUs = (f: ProcessFigures) => f.cpuUserUs + f.cpuSystemUs;

/**
 * Publishes `count` events from `from` (as fast as possible, or at `rate` a second) and waits until the consumer
 * has committed every one of them; pairs each event's publish time with its commit time.
 */
export async function driveSlice(
  publisher: Publisher,
  consumer: Consumer,
  keys: readonly string[],
  slice: {
    from: number;
    count: number;
    rate: number | null;
    probe?: Extract<ParentToPublisher, { type: 'run' }>['probe'];
  },
): Promise<SliceResult> {
  const before = await collect(consumer);
  const wanted = new Set(keys.slice(slice.from, slice.from + slice.count));
  const committedAt = new Map<string, number>();
  const take = (c: Collected) => {
    for (let i = 0; i < c.keys.length; i++) {
      const k = c.keys[i] as string;
      if (wanted.has(k) && !committedAt.has(k)) committedAt.set(k, c.times[i] as number);
    }
  };
  publisher.send({ type: 'run', ...slice });
  const published = publisher.next<Extract<PublisherToParent, { type: 'done' }>>('done');
  // awaited after the commits are in; a publisher that fails meanwhile must not be an unhandled rejection
  published.catch(() => undefined);
  let last = before;
  let loopDelayMaxMs = 0;
  const gc: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  let progressAt = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const seen = committedAt.size;
    last = await collect(consumer);
    loopDelayMaxMs = Math.max(loopDelayMaxMs, last.figures.loopDelayMaxMs);
    gc.count += last.figures.gc.count;
    gc.totalMs += last.figures.gc.totalMs;
    gc.maxMs = Math.max(gc.maxMs, last.figures.gc.maxMs);
    take(last);
    if (committedAt.size > seen) progressAt = Date.now();
    if (committedAt.size >= wanted.size || Date.now() - progressAt > STALL_MS) break;
  }
  const done = await published;
  const latencies: number[] = [];
  let lastCommit = 0;
  for (let i = 0; i < slice.count; i++) {
    const t = committedAt.get(keys[slice.from + i] as string);
    if (t === undefined) continue;
    latencies.push(t - (done.times[i] as number));
    if (t > lastCommit) lastCommit = t;
  }
  const firstPublish = done.times[0] as number;
  return {
    events: slice.count,
    eventsPerSecond: committedAt.size / ((lastCommit - firstPublish) / 1000),
    publishedPerSecond: slice.count / (done.elapsedMs / 1000),
    commitLatencyMs: percentiles(latencies),
    cpuUsPerEvent: (cpuUs(last.figures) - cpuUs(before.figures)) / slice.count,
    rssBytes: last.figures.rssBytes,
    probes: done.probes,
    missing: wanted.size - committedAt.size,
    loopDelayMaxMs,
    gc,
  };
}

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { IngestBatcher } from '../../../src/adapters/ingest-batcher.js';
import type { BatchReport, IncomingMessage } from '../../../src/core/ingest.js';

/** The batcher's pipeline with an ingest it controls: which batches are in flight, and when each is acknowledged. */
const log = pino({ level: 'silent' });
const report: BatchReport = { counted: 0, duplicates: 0, rejected: 0, statuses: 0, alertUpdates: [] };
const message = (n: number): IncomingMessage => ({ topic: 't', origin: undefined, payload: Buffer.from(String(n)) });
const names = (batch: readonly IncomingMessage[]) => batch.map((m) => Number(m.payload.toString()));
const tick = () => new Promise((r) => setImmediate(r));

type Pending = { batch: number[]; settle: (ok: boolean) => void };

function controlled(depth?: number) {
  const pending: Pending[] = [];
  const calls: number[][] = [];
  const batcher = new IngestBatcher({
    maxBatch: 3,
    log,
    retryMinMs: 1,
    retryMaxMs: 1,
    ...(depth === undefined ? {} : { depth }),
    ingest: (batch) =>
      new Promise<BatchReport>((resolve, reject) => {
        calls.push(names(batch));
        pending.push({ batch: names(batch), settle: (ok) => (ok ? resolve(report) : reject(new Error('down'))) });
      }),
  });
  const acked: number[] = [];
  const submit = (...ns: number[]) => {
    for (const n of ns) void batcher.submit(message(n)).then(() => acked.push(n));
  };
  return { batcher, pending, calls, acked, submit };
}

/** Messages 1 and 2 sent as two batches, each waiting for its commit. */
async function twoInFlight(b: ReturnType<typeof controlled>): Promise<void> {
  b.submit(1);
  await tick();
  b.submit(2);
  await tick();
  expect(b.calls).toEqual([[1], [2]]);
}

describe('ingest batcher pipeline', () => {
  it('sends a second batch while the first waits for its commit, and no third', async () => {
    const b = controlled();
    b.submit(1, 2);
    await tick();
    expect(b.calls).toEqual([[1, 2]]);
    b.submit(3, 4, 5, 6, 7);
    await tick();
    expect(b.calls).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    b.pending[1]?.settle(true);
    await tick();
    await tick();
    // the second batch is acknowledged on its own commit; the first is still unacknowledged
    expect(b.acked).toEqual([3, 4, 5]);
    expect(b.calls).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('keeps to one batch at a time with depth 1', async () => {
    const b = controlled(1);
    b.submit(1);
    await tick();
    b.submit(2);
    await tick();
    expect(b.calls).toEqual([[1]]);
    b.pending[0]?.settle(true);
    await tick();
    await tick();
    expect(b.calls).toEqual([[1], [2]]);
  });

  it('starts no new batch while one is failing, and commits every message once the store is back', async () => {
    const b = controlled();
    await twoInFlight(b);
    b.pending[0]?.settle(false);
    b.pending[1]?.settle(false);
    b.submit(3);
    await new Promise((r) => setTimeout(r, 10));
    // both failed batches are retried; message 3 waits
    expect(b.calls.flat().filter((n) => n === 3)).toEqual([]);
    expect(b.batcher.failingSince).toBeDefined();
    for (let round = 0; round < 5 && b.acked.length < 3; round++) {
      for (const p of b.pending.splice(0)) p.settle(true);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(b.acked.sort()).toEqual([1, 2, 3]);
    expect(b.batcher.failingSince).toBeUndefined();
  });

  it('stops after the batches in flight and leaves the rest unacknowledged', async () => {
    const b = controlled();
    await twoInFlight(b);
    b.submit(3);
    const stopped = b.batcher.stop();
    for (const p of b.pending.splice(0)) p.settle(true);
    await stopped;
    await tick();
    expect(b.acked.sort()).toEqual([1, 2]);
    expect(b.calls.flat()).not.toContain(3);
  });
});

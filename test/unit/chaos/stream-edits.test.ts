import { describe, expect, it } from 'vitest';
import { eventMs, retimed, shuffledWithin, tripled } from '../../../chaos/stream-edits.js';
import type { Message } from '../../../chaos/workload.js';
import { Random } from '../../../simulators/lib/random.js';

const HOUR = 3_600_000;
const start = Date.parse('2026-09-01T00:00:00Z');
/** One event a minute for `n` minutes, each with its own id. */
const stream = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({
    topic: 'linli/v1/e/d/event',
    payload: JSON.stringify({ id: `e${i}`, seq: i, ts: new Date(start + i * 60_000).toISOString(), type: 'passage' }),
  }));
const idOf = (m: Message) => (JSON.parse(m.payload) as { id: string }).id;

describe('stream edits of the fault harness', () => {
  it('delivers every message exactly three times, never a copy before its original', () => {
    const s = stream(600);
    const out = tripled(s, new Random(1), 0.1);
    expect(out).toHaveLength(1800);
    const counts = new Map<string, number>();
    const firstAt = new Map<string, number>();
    out.forEach((m, i) => {
      counts.set(idOf(m), (counts.get(idOf(m)) ?? 0) + 1);
      if (!firstAt.has(idOf(m))) firstAt.set(idOf(m), i);
    });
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    // the originals keep their order
    const firsts = [...firstAt.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    expect(firsts).toEqual(s.map(idOf));
  });

  it('sends some third copies after up to an hour of event time, none later', () => {
    const s = stream(600);
    const out = tripled(s, new Random(2), 0.5);
    let late = 0;
    const seenNewest: number[] = [];
    let newest = 0;
    for (const m of out) {
      newest = Math.max(newest, eventMs(m));
      seenNewest.push(newest - eventMs(m));
    }
    for (const lag of seenNewest) {
      expect(lag).toBeLessThanOrEqual(HOUR);
      if (lag > 30 * 60_000) late++;
    }
    expect(late).toBeGreaterThan(10);
  });

  it('shuffles only within blocks of event time, keeping every message once', () => {
    const s = stream(600);
    const out = shuffledWithin(s, 2 * HOUR, new Random(3));
    expect(out.map(idOf).sort()).toEqual(s.map(idOf).sort());
    expect(out.map(idOf)).not.toEqual(s.map(idOf));
    // a message never arrives after one from a later block
    const block = (m: Message) => Math.floor((eventMs(m) - start) / (2 * HOUR));
    for (let i = 1; i < out.length; i++)
      expect(block(out[i] as Message)).toBeGreaterThanOrEqual(block(out[i - 1] as Message));
  });

  it('retimes a copy under a new id and seq, leaving the rest of the event', () => {
    const [m] = stream(1) as [Message];
    const copy = JSON.parse(retimed(m, 'other', start + HOUR).payload) as Record<string, unknown>;
    expect(copy).toMatchObject({ id: 'other', seq: 9_000_000, type: 'passage', ts: '2026-09-01T01:00:00Z' });
  });
});

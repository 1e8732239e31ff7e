import type { Random } from '../simulators/lib/random.js';
import type { Message } from './workload.js';

/** Event time of a message, epoch ms. */
export const eventMs = (m: Message) => Date.parse((JSON.parse(m.payload) as { ts: string }).ts);

/**
 * Every message three times: once where it was, once a little later, and once either a little later again or,
 * for `lateShare` of them, after the messages of up to an hour of event time later (a device that retried after
 * a long outage of its own link).
 */
export function tripled(messages: readonly Message[], rnd: Random, lateShare: number): Message[] {
  const times = messages.map(eventMs);
  const placed: { at: number; order: number; m: Message }[] = [];
  let order = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    placed.push({ at: i, order: order++, m });
    placed.push({ at: i + rnd.int(0, 50), order: order++, m });
    let late = i + rnd.int(0, 200);
    if (rnd.next() < lateShare) {
      const until = (times[i] as number) + rnd.int(1, 3600) * 1000;
      late = i;
      while (late + 1 < messages.length && (times[late + 1] as number) <= until) late++;
    }
    placed.push({ at: late, order: order++, m });
  }
  return placed.sort((a, b) => a.at - b.at || a.order - b.order).map((p) => p.m);
}

/** Shuffled within consecutive blocks of `blockMs` of event time: arrival order says nothing within a block. */
export function shuffledWithin(messages: readonly Message[], blockMs: number, rnd: Random): Message[] {
  const out: Message[] = [];
  let block: Message[] = [];
  let blockStart = Number.NaN;
  const flush = () => {
    for (let i = block.length - 1; i > 0; i--) {
      const j = rnd.int(0, i);
      [block[i], block[j]] = [block[j] as Message, block[i] as Message];
    }
    out.push(...block);
    block = [];
  };
  for (const m of messages) {
    const t = eventMs(m);
    if (!(t - blockStart < blockMs)) {
      flush();
      blockStart = t;
    }
    block.push(m);
  }
  flush();
  return out;
}

/** A copy of a message with another id, seq and time: an event the devices never sent in the reference stream. */
export function retimed(m: Message, id: string, tsMs: number): Message {
  const e = JSON.parse(m.payload) as Record<string, unknown>;
  const ts = new Date(tsMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { topic: m.topic, payload: JSON.stringify({ ...e, id, seq: 9_000_000 + Number(e.seq ?? 0), ts }) };
}

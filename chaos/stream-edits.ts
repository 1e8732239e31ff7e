import type { Random } from '../simulators/lib/random.js';
import type { Message } from './workload.js';

/** Event time of a message, epoch ms. */
export const eventMs = (m: Message) => Date.parse((JSON.parse(m.payload) as { ts: string }).ts);

/**
 * Every message three times: once where it was, once a few messages later, and once either a few more later or,
 * for `lateShare` of them, after the messages of up to an hour of event time later (a device that retried after
 * a long outage of its own link). No copy comes more than an hour of event time after its original.
 */
export function tripled(messages: readonly Message[], rnd: Random, lateShare: number): Message[] {
  const times = messages.map(eventMs);
  // the last position whose event is at most `ms` after message i's
  const within = (i: number, ms: number) => {
    const until = (times[i] as number) + ms;
    let j = i;
    while (j + 1 < messages.length && (times[j + 1] as number) <= until) j++;
    return j;
  };
  const placed: { at: number; order: number; m: Message }[] = [];
  let order = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    const hour = within(i, 3_600_000);
    placed.push({ at: i, order: order++, m });
    placed.push({ at: Math.min(i + rnd.int(0, 50), hour), order: order++, m });
    const late = rnd.next() < lateShare ? within(i, rnd.int(1, 3600) * 1000) : Math.min(i + rnd.int(0, 200), hour);
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

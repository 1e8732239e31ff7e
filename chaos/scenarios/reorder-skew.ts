import { Random } from '../../simulators/lib/random.js';
import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { eventMs, retimed, shuffledWithin } from '../stream-edits.js';
import { verdict } from '../verdict.js';
import type { Message } from '../workload.js';

const DAY_MS = 86_400_000;
const SKEWED = 20;

/**
 * Arrival shuffled within every two hours of event time, then events from clocks that are wrong: a day ahead of
 * the gateway's clock (quarantined as future) and a month behind the units' windows (dead-lettered as outside
 * the window). The shuffled stream must leave the state of the ordered one.
 */
export const reorderSkew: Scenario = {
  name: 'reorder-skew',
  about: 'shuffled arrival gives the ordered state; events too far ahead or older than the window quarantined',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('reorder-skew');
    const rnd = new Random(`${ctx.seed}/reorder`);
    const messages = ctx.workload.messages;
    const shuffled = shuffledWithin(messages, 2 * 3_600_000, rnd);
    const locks = messages.filter((m) => m.payload.includes('"type":"access"'));
    const first = eventMs(messages[0] as Message);
    const skewed: Message[] = [];
    for (let i = 0; i < SKEWED; i++) {
      const m = locks[rnd.int(0, locks.length - 1)] as Message;
      skewed.push(retimed(m, `chaos-future-${i}`, Date.now() + DAY_MS));
      skewed.push(retimed(m, `chaos-old-${i}`, first - 30 * DAY_MS));
    }
    await gateway.start();
    // the old ones last: an event is outside a unit's window only once the unit has newer ones
    await publishAll(broker.url, [...shuffled, ...skewed]);
    await ctx.drain(gateway);
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: shuffled.length + skewed.length,
      reported: gateway.handled,
      expectedDeadLetters: { 'future-timestamp': SKEWED, 'outside-window': SKEWED },
      figures: { shuffledWithinHours: 2, skewedEvents: skewed.length },
    });
  },
};

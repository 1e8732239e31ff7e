import { Random } from '../../simulators/lib/random.js';
import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { tripled } from '../stream-edits.js';
import { verdict } from '../verdict.js';

/** Every event delivered three times, a tenth of the third copies up to an hour of event time late. */
export const duplicateStorm: Scenario = {
  name: 'duplicate-storm',
  about: 'every event delivered 3 times, some up to an hour late: state identical to single delivery',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('duplicate-storm');
    const stream = tripled(ctx.workload.messages, new Random(`${ctx.seed}/duplicates`), 0.1);
    await gateway.start();
    await publishAll(broker.url, stream);
    await ctx.drain(gateway);
    const reported = gateway.handled;
    const redundant = stream.length - ctx.workload.messages.length;
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: stream.length,
      reported,
      figures: { redundantCopies: redundant },
      checks: [
        {
          check: 'every redundant copy recognised',
          ok: reported.duplicates === redundant && reported.counted === ctx.workload.messages.length,
          detail: `${reported.counted} counted, ${reported.duplicates} duplicates of ${redundant} copies`,
        },
      ],
    });
  },
};

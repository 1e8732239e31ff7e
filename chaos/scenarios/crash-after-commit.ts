import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { verdict } from '../verdict.js';

/**
 * The gateway kills itself as an event's effect is committed, before the batch's messages are acknowledged: the
 * broker redelivers the batch to the restarted gateway, which must recognise every event in it as already counted.
 */
export const crashAfterCommit: Scenario = {
  name: 'crash-after-commit',
  about: 'crash after the Redis commit, before the MQTT acknowledgement: redeliveries recognised, 0 double-counted',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('crash-after-commit');
    const messages = ctx.workload.messages;
    const killAfter = Math.floor(messages.length / 3);
    await gateway.start({ CHAOS_KILL_AFTER_COUNTED: String(killAfter) });
    const published = publishAll(broker.url, messages);
    await gateway.exited();
    const crashedAt = Date.now();
    await gateway.start();
    await published;
    const settled = await ctx.drain(gateway);
    const afterRestart = gateway.current;
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: messages.length,
      reported: gateway.handled,
      recoveryMs: settled - crashedAt,
      figures: {
        killedAfterCounted: killAfter,
        duplicatesAfterRestart: afterRestart.duplicates,
        lives: JSON.stringify(gateway.lives),
      },
      checks: [
        {
          check: 'redelivered events recognised as duplicates',
          ok: afterRestart.duplicates > 0,
          detail: `${afterRestart.duplicates} duplicates after the restart`,
        },
      ],
    });
  },
};

import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { noCrash, verdict } from '../verdict.js';

/**
 * The broker restarts mid-stream (stopped, down two seconds, started on its port with its persisted sessions): the
 * gateway reconnects on its own, its persistent session gets what was queued, the devices resend what the broker
 * had not acknowledged; nothing is lost.
 */
export const brokerRestart: Scenario = {
  name: 'broker-restart',
  about: 'broker restart mid-stream (persistent session): the gateway reconnects and resumes, 0 lost',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('broker-restart');
    const messages = ctx.workload.messages;
    const restartAt = Math.floor(messages.length / 2);
    await gateway.start();
    let restart: Promise<void> = Promise.resolve();
    let backAt = 0;
    await publishAll(broker.url, messages, {
      rate: ctx.quick ? 8000 : 4000,
      onProgress: (sent) => {
        if (sent !== restartAt) return;
        restart = broker.restart(2000).then(() => {
          backAt = Date.now();
        });
      },
    });
    await restart;
    const settled = await ctx.drain(gateway);
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: messages.length,
      reported: gateway.handled,
      recoveryMs: settled - backAt,
      checks: [noCrash(gateway)],
    });
  },
};

import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { verdict } from '../verdict.js';

/** SIGKILL at a quarter, half and three quarters of a paced stream, each time restarted at once. */
export const killRestart: Scenario = {
  name: 'kill-restart',
  about: 'gateway kill -9 at 25 %, 50 % and 75 % of the stream, restarted: 0 lost, 0 double-counted',
  async run(ctx) {
    const { gateway, config, broker } = await ctx.gateway('kill-restart');
    const messages = ctx.workload.messages;
    const killAt = new Set([0.25, 0.5, 0.75].map((f) => Math.floor(messages.length * f)));
    await gateway.start();
    const restarts: number[] = [];
    let lastRestartAt = 0;
    // the devices go on publishing while the gateway is down: the broker queues for its persistent session
    let faults = Promise.resolve();
    await publishAll(broker.url, messages, {
      rate: ctx.quick ? 8000 : 4000,
      onProgress: (sent) => {
        if (!killAt.has(sent)) return;
        faults = faults.then(async () => {
          await gateway.kill();
          const t = Date.now();
          await gateway.start();
          lastRestartAt = Date.now();
          restarts.push(lastRestartAt - t);
        });
      },
    });
    await faults;
    const settled = await ctx.drain(gateway);
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: messages.length,
      reported: gateway.handled,
      recoveryMs: settled - lastRestartAt,
      figures: { kills: restarts.length, restartMsMax: Math.max(...restarts) },
      checks: [{ check: 'killed three times', ok: restarts.length === 3, detail: `${restarts.length} kills` }],
    });
  },
};

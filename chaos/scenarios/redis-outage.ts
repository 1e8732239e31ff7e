import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { noCrash, verdict } from '../verdict.js';

const READY_WITHIN_MS = 5000;

/**
 * Redis goes away for a minute (SHUTDOWN SAVE, then started again on its port and data) while the devices go on
 * publishing. The gateway must stop acknowledging (the broker holds the backlog), report not ready within 5 s,
 * keep its memory bounded and stay up; once Redis is back the backlog drains with nothing lost or doubled.
 */
export const redisOutage: Scenario = {
  name: 'redis-outage',
  about:
    'Redis unavailable for 60 s: not ready within 5 s, bounded memory, no crash; backlog drains, 0 lost, 0 double-counted',
  async run(ctx) {
    const outageMs = ctx.quick ? 10_000 : 60_000;
    const { gateway, config, broker } = await ctx.gateway('redis-outage');
    const messages = ctx.workload.messages;
    const downAt = Math.floor(messages.length * 0.2);
    await gateway.start();
    const rss: number[] = [];
    let notReadyAfterMs = Number.POSITIVE_INFINITY;
    let readyDuringOutage = 0;
    let outage: Promise<void> = Promise.resolve();
    let restoredAt = 0;
    let published = 0;
    let caughtUp: Promise<number> = Promise.resolve(0);
    const rssBefore = gateway.rssMiB() ?? 0;
    // spread over the outage and beyond, so the devices publish all through it
    const rate = Math.ceil(messages.length / ((outageMs / 1000) * 1.6));
    await publishAll(broker.url, messages, {
      rate,
      onProgress: (sent) => {
        published = sent;
        if (sent !== downAt) return;
        outage = (async () => {
          await ctx.redis.shutdown();
          const downSince = Date.now();
          while (Date.now() - downSince < outageMs) {
            const ready = await gateway.ready();
            if (!ready && notReadyAfterMs === Number.POSITIVE_INFINITY) notReadyAfterMs = Date.now() - downSince;
            if (ready && Date.now() - downSince > READY_WITHIN_MS) readyDuringOutage++;
            const m = gateway.rssMiB();
            if (m !== undefined) rss.push(m);
            await new Promise((r) => setTimeout(r, 250));
          }
          await ctx.redis.start();
          restoredAt = Date.now();
          // recovered once the gateway has handled everything the devices sent until Redis came back
          const backlog = published;
          caughtUp = (async () => {
            const handled = () => gateway.current.counted + gateway.current.duplicates + gateway.current.rejected;
            while (handled() < backlog) await new Promise((r) => setTimeout(r, 50));
            return Date.now();
          })();
        })();
      },
    });
    await outage;
    await ctx.drain(gateway);
    const recoveredAt = await caughtUp;
    const rssMax = Math.max(...rss);
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: messages.length,
      reported: gateway.handled,
      recoveryMs: recoveredAt - restoredAt,
      figures: {
        outageMs,
        notReadyAfterMs,
        rssBeforeMiB: Math.round(rssBefore),
        rssMaxDuringOutageMiB: Math.round(rssMax),
      },
      checks: [
        noCrash(gateway),
        {
          check: 'not ready within 5 s of the outage, and not ready again until Redis returned',
          ok: notReadyAfterMs <= READY_WITHIN_MS && readyDuringOutage === 0,
          detail: `not ready after ${notReadyAfterMs} ms; ${readyDuringOutage} ready answers later in the outage`,
        },
        {
          // the backlog waits on the broker, not in the gateway: a bounded number of messages waits for commit
          check: 'memory bounded during the outage',
          ok: rssMax < rssBefore + 200,
          detail: `RSS ${Math.round(rssBefore)} MiB before, at most ${Math.round(rssMax)} MiB during`,
        },
      ],
    });
  },
};

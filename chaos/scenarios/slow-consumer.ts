import { createKeys } from '../../src/adapters/redis/keys.js';
import { FeedClient } from '../feed-client.js';
import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { type Check, checkedResult } from '../verdict.js';
import type { Message } from '../workload.js';

const MAX_BUFFERED = 64 * 1024;

/** Smoke alarms raised and cleared in turn on the probe detectors: one feed entry each. */
function alarmToggles(estateId: string, devices: readonly string[], each: number): Message[] {
  const start = Date.now() - each * 1000;
  const out: Message[] = [];
  for (let i = 0; i < each; i++) {
    for (const d of devices) {
      const ts = new Date(start + i * 1000).toISOString();
      const payload = { id: `toggle-${i}`, seq: i, ts, type: 'alarm', alarm: 'smoke', active: i % 2 === 0 };
      out.push({ topic: `linli/v1/${estateId}/${d}/event`, payload: JSON.stringify(payload) });
    }
  }
  return out;
}

/**
 * Two control-room clients on the alert feed; one stops reading. While thousands of alert changes go out, the slow
 * one must be disconnected once its unsent data passes the bound (not buffered without end), the other must get
 * every entry, and the slow one, reconnecting with the last id it saw, must get the rest with no gap and no
 * duplicate.
 */
export const slowConsumer: Scenario = {
  name: 'slow-consumer',
  about:
    'slow WebSocket consumer: disconnected past its bound, others unaffected, resumes from its last id with no gap',
  async run(ctx) {
    const { gateway, config, port, tokens, broker } = await ctx.gateway('slow-consumer', {
      ws: { maxBufferedBytes: MAX_BUFFERED },
    });
    const toggles = alarmToggles(ctx.workload.estateId, ctx.workload.probeDevices, ctx.quick ? 500 : 1000);
    await gateway.start();
    const operator = tokens.operator as string;
    const fast = new FeedClient(port, operator);
    const slow = new FeedClient(port, operator);
    let resumed: FeedClient | undefined;
    try {
      await Promise.all([fast.ready(), slow.ready()]);
      slow.pause();
      await publishAll(broker.url, toggles);
      await ctx.drain(gateway);
      const entries = await ctx.redis.client.xlen(createKeys(config.redis.keyPrefix).alertStream);
      slow.resume();
      await Promise.race([slow.closed(), new Promise((r) => setTimeout(r, 10_000))]);
      const firstSession = slow.ids.length;
      resumed = new FeedClient(port, operator, slow.lastId ?? '0');
      await resumed.ready();
      const all = [...slow.ids, ...resumed.ids];
      const gaps = fast.ids.filter((id) => !all.includes(id)).length;
      const repeats = all.length - new Set(all).size;
      const checks: Check[] = [
        {
          check: 'the slow client disconnected past its bound',
          ok: slow.closeCode === 1013,
          detail: `close code ${slow.closeCode ?? 'none'} after ${firstSession} of ${entries} entries`,
        },
        {
          check: 'the other client got every entry',
          ok: fast.ids.length === entries && entries > 0,
          detail: `${fast.ids.length} of ${entries}`,
        },
        {
          check: 'resumed from its last id with no gap and no duplicate',
          ok: gaps === 0 && repeats === 0 && all.length === fast.ids.length,
          detail: `${all.length} entries over two sessions, ${gaps} missing, ${repeats} twice`,
        },
      ];
      return checkedResult(this.name, checks, {
        sent: toggles.length,
        events: toggles.length,
        reported: gateway.handled,
        figures: { feedEntries: entries, slowFirstSession: firstSession, maxBufferedBytes: MAX_BUFFERED },
      });
    } finally {
      fast.close();
      slow.close();
      resumed?.close();
    }
  },
};

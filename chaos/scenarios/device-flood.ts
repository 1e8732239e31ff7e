import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import { verdict } from '../verdict.js';
import type { Message } from '../workload.js';

/** A limit no device of the stream reaches at the pace it is published here, and a burst to match. */
const LIMIT = { perSecond: 400, burst: 800 };
const FLOOD = 6000;

/**
 * One smoke detector goes mad and sends thousands of events a second while the rest of the estate publishes its
 * stream at an ordinary pace. Its excess must be dropped and dead-lettered as device-flood (counted + dropped =
 * sent) and reported as a device-flood alert; every other device's events must be counted as in the clean run.
 */
export const deviceFlood: Scenario = {
  name: 'device-flood',
  about: 'a flooding device: its excess rate-limited and reported as device-flood; other devices lose nothing',
  async run(ctx) {
    const flooder = ctx.workload.probeDevices[0] as string;
    const { gateway, config, broker } = await ctx.gateway('device-flood', {
      ingest: { deviceRate: LIMIT },
    });
    const floodTopic = `linli/v1/${ctx.workload.estateId}/${flooder}/event`;
    const ts = new Date().toISOString();
    const flood: Message[] = Array.from({ length: FLOOD }, (_, i) => ({
      topic: floodTopic,
      payload: JSON.stringify({ id: `flood-${i}`, seq: i, ts, type: 'alarm', alarm: 'low-battery', active: true }),
    }));
    await gateway.start();
    // about 40 events a second for the busiest device of the stream, a hundred times that for the flooder
    await Promise.all([
      publishAll(broker.url, ctx.workload.messages, { rate: ctx.quick ? 1500 : 2500 }),
      publishAll(broker.url, flood),
    ]);
    await ctx.drain(gateway);
    const r = await verdict(ctx, config, {
      scenario: this.name,
      sent: ctx.workload.messages.length + FLOOD,
      reported: gateway.handled,
      ownAlerts: (k) => k.startsWith('device-flood/') || k.includes(flooder),
      mustBeOpen: [`device-flood/${flooder}`],
      figures: { flooded: FLOOD, limitPerSecond: LIMIT.perSecond, burst: LIMIT.burst },
    });
    const dropped = r.deadLettered['device-flood'] ?? 0;
    const floodCounted = r.reported.counted - ctx.workload.messages.length;
    // the verdict expected no dead letters; the flooder's are the point here, checked exactly instead
    r.checks = r.checks.filter((c) => c.check !== 'dead letters as expected');
    r.checks.push(
      {
        check: 'flooder: counted + dead-lettered = sent',
        ok: floodCounted + dropped === FLOOD && dropped > 0,
        detail: `${floodCounted} counted, ${dropped} dead-lettered as device-flood, of ${FLOOD}`,
      },
      {
        check: 'no other dead letters',
        ok: Object.entries(r.deadLettered).every(([k, n]) => k === 'device-flood' || n === 0),
        detail: JSON.stringify(r.deadLettered),
      },
    );
    r.passed = r.checks.every((c) => c.ok);
    return r;
  },
};

import mqtt from 'mqtt';
import { Random } from '../../simulators/lib/random.js';
import { expectedCounters } from '../oracle.js';
import { publishAll } from '../publisher.js';
import type { Scenario } from '../scenario.js';
import type { Check } from '../verdict.js';
import { verdict } from '../verdict.js';
import type { Message } from '../workload.js';

const LOST_SHARE = 0.01;

/**
 * Devices that fail the way real ones do: some events never arrive (gaps in their seq), a face gate goes silent a
 * quarter of the way in while the rest of the estate goes on, and a smoke detector's connection dies, so the broker
 * publishes its last will. Each gap must be recorded as that device's lost events, and the silent gate and the
 * dead detector must each have a device-offline alert.
 */
export const deviceHealth: Scenario = {
  name: 'device-health',
  about: 'seq gaps recorded as lost events per device; silence past cadence and a last will raise device-offline',
  async run(ctx) {
    const rnd = new Random(`${ctx.seed}/device-health`);
    const messages = ctx.workload.messages;
    const deviceOf = (m: Message) => m.topic.split('/')[3] as string;
    const gate = [...(ctx.registry.estate(ctx.workload.estateId)?.devices.values() ?? [])].find(
      (d) => d.kind === 'face-gate' && d.buildingId,
    );
    if (!gate) throw new Error('the workload estate has no building-door face gate');
    const silentFrom = Math.floor(messages.length / 4);
    const firstOf = new Map<string, number>();
    const lastOf = new Map<string, number>();
    messages.forEach((m, i) => {
      const d = deviceOf(m);
      if (!firstOf.has(d)) firstOf.set(d, i);
      lastOf.set(d, i);
    });
    // a gap is a lost event between two that arrived: never a device's first or last
    const removed = new Map<string, number>();
    const sent = messages.filter((m, i) => {
      const d = deviceOf(m);
      if (d === gate.deviceId && i >= silentFrom) return false;
      if (i === firstOf.get(d) || i === lastOf.get(d) || d === gate.deviceId || !rnd.chance(LOST_SHARE)) return true;
      removed.set(d, (removed.get(d) ?? 0) + 1);
      return false;
    });
    const { gateway, config, tokens, broker } = await ctx.gateway('device-health', { devices: { sweepS: 0.5 } });
    const detector = ctx.workload.probeDevices[1] as string;
    const statusTopic = `linli/v1/${ctx.workload.estateId}/${detector}/status`;
    await gateway.start();
    const device = await mqtt.connectAsync(broker.url, {
      clientId: `chaos-${detector}`,
      reconnectPeriod: 0,
      protocolVersion: 4,
      will: { topic: statusTopic, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    await device.publishAsync(statusTopic, '{"online":true}', { qos: 1, retain: true });
    await publishAll(broker.url, sent);
    // the connection dies without a DISCONNECT: the broker sends the will
    device.stream.destroy();
    await new Promise((r) => setTimeout(r, 1500)); // a sweep or two after the last event
    await ctx.drain(gateway);
    const checks: Check[] = [];
    const wrong: string[] = [];
    for (const [deviceId, lost] of removed) {
      const res = await fetch(
        `http://127.0.0.1:${config.http.port}/estates/${ctx.workload.estateId}/devices/${deviceId}`,
        { headers: { authorization: `Bearer ${tokens.operator}` } },
      );
      const view = (await res.json()) as { lostEvents?: number };
      if (view.lostEvents !== lost) wrong.push(`${deviceId}: ${view.lostEvents} recorded, ${lost} lost`);
    }
    const total = [...removed.values()].reduce((a, b) => a + b, 0);
    checks.push({
      check: 'each device’s seq gaps recorded as its lost events',
      ok: wrong.length === 0 && total > 0,
      detail: wrong.length
        ? wrong.slice(0, 5).join('; ')
        : `${total} events lost over ${removed.size} devices, each recorded`,
    });
    return await verdict(ctx, config, {
      scenario: this.name,
      sent: sent.length,
      reported: gateway.handled,
      expected: expectedCounters(sent, ctx.registry),
      compareWithReference: false,
      mustBeOpen: [`device-offline/${gate.deviceId}`, `device-offline/${detector}`],
      figures: { eventsLeftOut: total, devicesWithGaps: removed.size },
      checks,
    });
  },
};

import type { SliceResult } from './drive.js';
import type { SharedCpu } from './machine-cpu.js';
import type { GatewayRun } from './phases.js';
import type { RedisPerEvent } from './redis-figures.js';
import type { Percentiles } from './stats.js';

type Report = {
  machine: Record<string, unknown>;
  baseline: { max: SliceResult; redis: RedisPerEvent; shared: SharedCpu | undefined };
  gateway: GatewayRun;
  ratioToBaseline: number;
  growth: GatewayRun[];
  seconds: number;
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (p: Percentiles) => `${p.p50.toFixed(1)} / ${p.p99.toFixed(1)} / ${p.p999.toFixed(1)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const besides = (s: SharedCpu | undefined) =>
  s ? `${((s.usPerEvent.publisher ?? 0) + (s.usPerEvent.broker ?? 0)).toFixed(0)}` : '–';
const busy = (s: SharedCpu | undefined) => (s ? `${(s.machineBusy * 100).toFixed(0)} %` : '–');

/**
 * What a target share of the baseline leaves the gateway and Redis: every core's time at that rate, less what the
 * publisher and the broker spend on an event (measured beside the gateway, whose broker holds unacknowledged
 * messages for longer than the baseline's does).
 */
function cpuBudget(r: Report, share: number): string | undefined {
  const shared = r.gateway.shared;
  const cores = Number(r.machine.cpus);
  if (!shared || !cores) return undefined;
  const rate = r.baseline.max.eventsPerSecond * share;
  const perEvent = (cores * 1e6) / rate;
  const besidesUs = (shared.usPerEvent.publisher ?? 0) + (shared.usPerEvent.broker ?? 0);
  const used = r.gateway.max.cpuUsPerEvent + r.gateway.redis.cpuUsPerEvent;
  return `at ${Math.round(share * 100)} % of the baseline (${int(rate)} events/s) the ${cores} cores have ${perEvent.toFixed(0)} µs an event; the publisher and broker take ${besidesUs.toFixed(0)}, leaving ${(perEvent - besidesUs).toFixed(0)} µs for the gateway and Redis, which use ${used.toFixed(0)}`;
}

export function printReport(r: Report): void {
  const m = r.machine;
  console.log(
    `\nmachine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, Redis ${m.redis}; ${m.mosquitto}`,
  );
  console.log(
    '\nfull speed (every event acknowledged after its Redis commit; baseline: auto-ack, one EVALSHA an event)',
  );
  console.log(
    '| run | events | events/s | CPU µs/event | Redis CPU µs/event | publisher + broker CPU µs/event | machine busy | RSS MiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const b = r.baseline.max;
  console.log(
    `| baseline | ${int(b.events)} | ${int(b.eventsPerSecond)} | ${b.cpuUsPerEvent.toFixed(0)} | ${r.baseline.redis.cpuUsPerEvent.toFixed(0)} | ${besides(r.baseline.shared)} | ${busy(r.baseline.shared)} | ${(b.rssBytes / 2 ** 20).toFixed(0)} |`,
  );
  const g = r.gateway;
  console.log(
    `| gateway | ${int(g.max.events)} | ${int(g.max.eventsPerSecond)} | ${g.max.cpuUsPerEvent.toFixed(0)} | ${g.redis.cpuUsPerEvent.toFixed(0)} | ${besides(g.shared)} | ${busy(g.shared)} | ${g.gatewayRssMiB.toFixed(0)} |`,
  );
  console.log(`gateway / baseline: ${(r.ratioToBaseline * 100).toFixed(0)} %`);
  const budget = cpuBudget(r, 0.7);
  if (budget) console.log(budget);
  const top = Object.entries(g.redis.commands).sort((a, b) => b[1].usPerEvent - a[1].usPerEvent);
  console.log(
    `Redis commands per event (gateway): ${top.map(([n, c]) => `${n} ${c.callsPerEvent.toFixed(2)}× ${c.usPerEvent.toFixed(1)} µs`).join(', ')}`,
  );
  console.log(
    `\nfixed rates, as shares of ${int(g.referencePerSecond)} events/s reached on a burst just before them (latency p50 / p99 / p999 in ms)`,
  );
  console.log(
    '| share of max | events/s | publish→commit | publish→alert on WebSocket | probes unanswered | gateway CPU µs/event | gateway loop delay max (ms) | gateway GC pauses: n, total / max ms | Redis calls > 5 ms (slowest ms) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const l of g.latency) {
    console.log(
      `| ${Math.round(l.share * 100)} % | ${int(l.rate)} | ${ms(l.commitLatencyMs)} | ${ms(l.alertLatencyMs)} (${l.alertLatencyMs.n} probes) | ${l.probesUnanswered} | ${l.gatewayCpuUsPerEvent.toFixed(0)} | ${l.gatewayLoopDelayMaxMs.toFixed(0)} | ${l.gatewayGc.count}, ${l.gatewayGc.totalMs.toFixed(0)} / ${l.gatewayGc.maxMs.toFixed(1)} | ${l.redisSlowCalls.count} (${l.redisSlowCalls.slowestMs.toFixed(1)}) |`,
    );
  }
  console.log(
    `Redis: ${kib(g.redisBytesPerUnit)} per unit after ${int(g.workload.events)} events (${int(g.workload.units)} units)`,
  );
  if (!r.growth.length) return;
  console.log('\ngrowth (same event mix, estates of more units)');
  console.log(
    '| units | events published | events/s | CPU µs/event | publish→alert p99 at 50 % (ms) | gateway RSS MiB | Redis MiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const run of r.growth) {
    const half = run.latency.find((l) => l.share === 0.5);
    console.log(
      `| ${int(run.workload.units)} | ${int(run.workload.events)} | ${int(run.max.eventsPerSecond)} | ${run.max.cpuUsPerEvent.toFixed(0)} | ${half ? half.alertLatencyMs.p99.toFixed(1) : '–'} | ${run.gatewayRssMiB.toFixed(0)} | ${run.redisMiB.toFixed(1)} |`,
    );
  }
  console.log(`\n${r.seconds} s in all`);
}

import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { wallMs } from './clock.js';
import type { ConsumerToParent, ParentToConsumer } from './protocol.js';

/**
 * The commit log of a consumer process (the gateway or the baseline): which event committed when, handed to the
 * bench on request with the process's CPU time and memory, then cleared.
 */
export function serveCommitLog(stop: () => Promise<void>): { committed(key: string): void } {
  let keys: string[] = [];
  // how long the process's event loop was held up: what a message waiting to be read waited for, at most
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let times: number[] = [];
  // every pause of the garbage collector: the scavenges of the young generation are what made the latency tail
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      if (e.duration > gc.maxMs) gc.maxMs = e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const send = (m: ConsumerToParent) => process.send?.(m);
  process.on('message', (m: ParentToConsumer) => {
    if (m.type === 'collect') {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      send({
        type: 'collected',
        keys,
        times,
        figures: {
          cpuUserUs: cpu.user,
          cpuSystemUs: cpu.system,
          rssBytes: mem.rss,
          heapUsedBytes: mem.heapUsed,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          loopDelayMaxMs: loopDelay.max / 1e6,
          gc,
        },
      });
      keys = [];
      times = [];
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      loopDelay.reset();
    }
    if (m.type === 'stop') void stop().finally(() => process.exit(0));
  });
  return {
    committed(key) {
      keys.push(key);
      times.push(wallMs());
    },
  };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
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
        },
      });
      keys = [];
      times = [];
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

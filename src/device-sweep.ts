import type { Logger } from 'pino';
import type { GatewayBus } from './core/bus.js';
import type { DeviceMonitor } from './core/device-monitor.js';

/**
 * Looks for silent devices every `intervalMs` (wall clock; silence itself is measured in event time) and pushes the
 * alert changes it makes. A sweep still running when the next is due is not overlapped.
 */
export function startDeviceSweep(opts: { monitor: DeviceMonitor; intervalMs: number; bus: GatewayBus; log: Logger }) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    opts.monitor
      .sweep()
      .then((updates) => {
        for (const u of updates) opts.bus.emit('alertChanged', u);
      })
      .catch((err: unknown) => opts.log.error({ err }, 'device sweep failed; retrying at the next'))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

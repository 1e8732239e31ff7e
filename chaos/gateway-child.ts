/**
 * The gateway under fault: the production composition root (`startGateway`) with its configuration from
 * LINLI_CONFIG, as `npm start` runs it. It reports what it handled to the harness every 100 ms (lost on a kill,
 * which is why the verdicts come from Redis, not from these figures). With CHAOS_KILL_AFTER_COUNTED=n it kills
 * itself with SIGKILL as the n-th event's effect is committed: after the Redis commit of that batch and before
 * any of its messages are acknowledged to the broker.
 */
import { loadConfig } from '../src/config/load.js';
import { GatewayBus } from '../src/core/bus.js';
import { startGateway } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';

const config = loadConfig();
// listening before the gateway starts: a restarted gateway ingests its backlog while it is still starting
const bus = new GatewayBus();
const handled = { counted: 0, duplicates: 0, rejected: 0 };
const killAfter = Number(process.env.CHAOS_KILL_AFTER_COUNTED ?? 0);
bus.on('eventCounted', () => {
  handled.counted++;
  if (killAfter && handled.counted === killAfter) process.kill(process.pid, 'SIGKILL');
});
bus.on('eventDuplicate', () => handled.duplicates++);
bus.on('eventRejected', () => handled.rejected++);
bus.on('eventsFlooded', (f) => {
  handled.rejected += f.count;
});
const gateway = await startGateway(config, { log: createLogger(config.log.level), bus });
setInterval(() => {
  if (process.connected) process.send?.({ type: 'handled', ...handled });
}, 100).unref();
// the harness went away: a gateway left running would hold the broker session of the next run
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
process.on('message', (m: { type: string }) => {
  if (m.type === 'stop') void gateway.stop().finally(() => process.exit(0));
});
process.send?.({ type: 'ready' });

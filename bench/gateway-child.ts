/**
 * The gateway under test: the production composition root (`startGateway`) with its configuration from
 * LINLI_CONFIG, as `npm start` runs it. The only addition is a listener on the gateway's own `eventCounted`
 * announcement, which fires once the event's effect is committed to Redis, to time publish-to-commit.
 */
import { loadConfig } from '../src/config/load.js';
import { GatewayBus } from '../src/core/bus.js';
import { startGateway } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';
import { serveCommitLog } from './consumer-report.js';

const config = loadConfig();
// listening before the gateway starts, as the fault harness does: messages waiting on the broker are ingested
// while startGateway is still running
const bus = new GatewayBus();
const started = startGateway(config, { log: createLogger(config.log.level), bus });
const log = serveCommitLog(async () => (await started).stop());
bus.on('eventCounted', (e) => log.committed(`${e.binding.deviceId}/${e.event.id}`));
await started;
process.send?.({ type: 'ready', port: config.http.port });

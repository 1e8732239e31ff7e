/**
 * The gateway under test: the production composition root (`startGateway`) with its configuration from
 * LINLI_CONFIG, as `npm start` runs it. The only addition is a listener on the gateway's own `eventCounted`
 * announcement, which fires once the event's effect is committed to Redis, to time publish-to-commit.
 */
import { loadConfig } from '../src/config/load.js';
import { startGateway } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';
import { serveCommitLog } from './consumer-report.js';

const config = loadConfig();
const gateway = await startGateway(config, { log: createLogger(config.log.level) });
const log = serveCommitLog(() => gateway.stop());
gateway.bus.on('eventCounted', (e) => log.committed(`${e.binding.deviceId}/${e.event.id}`));
process.send?.({ type: 'ready', port: config.http.port });

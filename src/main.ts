import { RedisUnavailableError } from './adapters/redis/connect.js';
import { ConfigError, loadConfig } from './config/load.js';
import { EstateError } from './core/estate.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

/** Process entry: configuration, then the gateway, then signals. Known start-up failures print one line. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.log.level);
  const gateway = await startGateway(config, { log });
  log.info(
    {
      http: `http://${config.http.host}:${config.http.port}`,
      mqtt: gateway.mqttUrl,
      estates: gateway.registry.estates().map((e) => e.id),
    },
    'linli gateway running',
  );
  gateway.bus.on('alertChanged', ({ change, alert }) =>
    log.info({ alert: alert.id, change, severity: alert.severity }, `alert ${change}: ${alert.summary}`),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => {
    void gateway.reloadEstates().then((r) => {
      if (r.ok) log.info('estate registry reloaded');
      else log.error({ error: r.error }, 'estate reload refused; keeping the running registry');
    });
  });
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof EstateError || err instanceof RedisUnavailableError;
  if (known || (err instanceof Error && err.message.startsWith('cannot '))) {
    process.stderr.write(`linli: ${err.message}\n`);
  } else {
    process.stderr.write(`linli: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { deleteKeysUnder } from '../../src/adapters/redis/delete-keys.js';
import { type ConfigInput, ConfigSchema } from '../../src/config/schema.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { createLogSink, type LogSink } from './log-sink.js';

export type TestGateway = Gateway & { prefix: string; logs: LogSink; cleanup(): Promise<void> };

/**
 * A gateway on real Redis with its own key prefix, and either the embedded broker on a free port or the broker
 * at `mqttUrl`. By default it does not listen on HTTP (tests use app.inject / app.injectWS); `listen: true` serves
 * on a free loopback port, for a browser.
 */
export async function startTestGateway(
  overrides: ConfigInput & { mqttUrl?: string; listen?: boolean } = {},
): Promise<TestGateway> {
  const prefix = `test-${randomUUID()}`;
  const { mqttUrl, listen = false, ...rest } = overrides;
  const config = ConfigSchema.parse({
    instanceId: `t-${randomUUID().slice(0, 8)}`,
    estates: ['test/fixtures/estate.tiny.json'],
    privacy: { pseudonymKey: 'test-key-0123456789-0123456789-0123456789' },
    ...rest,
    redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: prefix, ...rest.redis },
    mqtt: { embeddedPort: 0, ...(mqttUrl ? { url: mqttUrl } : {}), ...rest.mqtt },
    http: { host: '127.0.0.1', port: 0, ...rest.http },
  });
  const logs = createLogSink();
  const gateway = await startGateway(config, { log: pino({ level: 'debug' }, logs.stream), listen });
  return {
    ...gateway,
    prefix,
    logs,
    async cleanup() {
      const redis = gateway.redis.duplicate();
      await gateway.stop();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
    },
  };
}

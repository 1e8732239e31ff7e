import { randomUUID } from 'node:crypto';
import { ephemeralPrincipals } from '../../src/adapters/http/ephemeral-principals.js';
import { duplicateConnection } from '../../src/adapters/redis/connect.js';
import { deleteKeysUnder } from '../../src/adapters/redis/delete-keys.js';
import { type ConfigInput, ConfigSchema } from '../../src/config/schema.js';
import type { Role } from '../../src/core/access.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createLogSink, type LogSink } from './log-sink.js';

export type TestGateway = Gateway & {
  prefix: string;
  logs: LogSink;
  /** A bearer token per role, each principal serving every estate. */
  tokens: Record<Role, string>;
  /** Tokens per role of principals serving only the tiny estate (`own`) or only another one (`foreign`). */
  scoped: { own: Record<Role, string>; foreign: Record<Role, string> };
  /** `{ authorization: 'Bearer …' }` of that role, for inject and WebSocket clients. */
  as(role: Role): { authorization: string };
  cleanup(): Promise<void>;
};

/** Principals of every role for tests; scrypt hashes are slow, so they are made once per process. */
let testPrincipals: Promise<Awaited<ReturnType<typeof ephemeralPrincipals>>[]> | undefined;

/**
 * A gateway on real Redis with its own key prefix, and either the embedded broker on a free port or the broker
 * at `mqttUrl`. By default it does not listen on HTTP (tests use app.inject / app.injectWS); `listen: true` serves
 * on a free loopback port, for a browser.
 */
export async function startTestGateway(
  overrides: ConfigInput & { mqttUrl?: string; listen?: boolean; prefix?: string } = {},
): Promise<TestGateway> {
  const { mqttUrl, listen = false, prefix = `test-${randomUUID()}`, ...rest } = overrides;
  testPrincipals ??= Promise.all([
    ephemeralPrincipals('test'),
    ephemeralPrincipals('test-own', ['tiny']),
    ephemeralPrincipals('test-foreign', ['elsewhere']),
  ]);
  const [everywhere, own, foreign] = (await testPrincipals) as [
    Awaited<ReturnType<typeof ephemeralPrincipals>>,
    Awaited<ReturnType<typeof ephemeralPrincipals>>,
    Awaited<ReturnType<typeof ephemeralPrincipals>>,
  ];
  const tokens = everywhere.tokens;
  const principals = [...everywhere.principals, ...own.principals, ...foreign.principals];
  const config = ConfigSchema.parse({
    instanceId: `t-${randomUUID().slice(0, 8)}`,
    estates: ['test/fixtures/estate.tiny.json'],
    privacy: { pseudonymKey: 'test-key-0123456789-0123456789-0123456789' },
    ...rest,
    // principals a test passes come on top of the standard ones (an expired token, say)
    auth: { ...rest.auth, principals: [...principals, ...(rest.auth?.principals ?? [])] },
    redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: prefix, ...rest.redis },
    mqtt: { embeddedPort: 0, ...(mqttUrl ? { url: mqttUrl } : {}), ...rest.mqtt },
    http: { host: '127.0.0.1', port: 0, ...rest.http },
  });
  const logs = createLogSink();
  // the production logger (its redaction and serializers), writing into the sink
  const gateway = await startGateway(config, { log: createLogger('debug', logs.stream), listen });
  return {
    ...gateway,
    prefix,
    logs,
    tokens,
    scoped: { own: own.tokens, foreign: foreign.tokens },
    as: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    async cleanup() {
      const redis = duplicateConnection(gateway.redis);
      await gateway.stop();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
    },
  };
}

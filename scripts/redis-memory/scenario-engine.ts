import type { Redis } from 'ioredis';
import type { Scenario } from '../../simulators/lib/index.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { EstateRegistry } from '../../src/core/registry.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createLogger } from '../../src/logger.js';

/**
 * The engine as the measuring tools run it (`npm run memory`, `npm run redis-cost`): the scenario's estate alone, a
 * fixed pseudonym key, and no check of event times against the clock, since a scenario plays on a clock of its own.
 */
export function scenarioEngine(redis: Redis, redisUrl: string, scenario: Scenario, keyPrefix: string): Engine {
  const config = ConfigSchema.parse({
    estates: [],
    redis: { url: redisUrl, keyPrefix },
    privacy: { pseudonymKey: 'redis-measurement-pseudonym-key-not-a-secret-0123456789' },
  });
  return createEngine({
    config,
    redis,
    registry: new EstateRegistry([scenario.estate]),
    log: createLogger('warn'),
    maxFutureMs: null,
  });
}

import type { Scenario } from '../scenario.js';
import { brokerRestart } from './broker-restart.js';
import { crashAfterCommit } from './crash-after-commit.js';
import { deviceFlood } from './device-flood.js';
import { deviceHealth } from './device-health.js';
import { duplicateStorm } from './duplicate-storm.js';
import { killRestart } from './kill-restart.js';
import { malformed } from './malformed.js';
import { redisOutage } from './redis-outage.js';
import { reorderSkew } from './reorder-skew.js';
import { slowConsumer } from './slow-consumer.js';

/** In the order (see the README, "Delivery guarantees"). */
export const SCENARIOS: readonly Scenario[] = [
  killRestart,
  crashAfterCommit,
  brokerRestart,
  redisOutage,
  duplicateStorm,
  reorderSkew,
  deviceFlood,
  malformed,
  deviceHealth,
  slowConsumer,
];

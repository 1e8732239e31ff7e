import type { Cluster, Redis } from 'ioredis';
import type { AlertUpdate } from '../../core/ports.js';
import { updateFromEntry } from './alert-records.js';
import { type ControlRoomUpdate, controlRoomEntry, type PoliceUpdate, policeEntry } from './feed-entries.js';
import type { Keys } from './keys.js';
import { RedisStreamFeed } from './stream-feed.js';

export { isStreamId } from './stream-feed.js';

/** Alert changes alone, as stored: what the alert tests and tools read. */
export class RedisAlertFeed extends RedisStreamFeed<AlertUpdate> {
  constructor(opts: { redis: Redis | Cluster; keys: Keys }) {
    super({ redis: opts.redis, stream: opts.keys.alertStream, parse: updateFromEntry });
  }
}

/** The control room's feed: every alert change and every case change. */
export const controlRoomFeed = (redis: Redis | Cluster, keys: Keys) =>
  new RedisStreamFeed<ControlRoomUpdate>({ redis, stream: keys.alertStream, parse: controlRoomEntry });

/** The police liaison feed: allow-listed unit-level entries only. */
export const policeFeed = (redis: Redis | Cluster, keys: Keys) =>
  new RedisStreamFeed<PoliceUpdate>({ redis, stream: keys.policeStream, parse: policeEntry });

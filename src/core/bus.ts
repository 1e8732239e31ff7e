import { EventEmitter } from 'node:events';
import type { FloodRecord } from './flood-records.js';
import type { AcceptedEvent } from './intake.js';
import type { AlertUpdate } from './ports.js';
import type { Rejection } from './rejections.js';

/** Facts the gateway announces in-process (logging, metrics, the console printer). Past tense: they happened. */
export type GatewayEvents = {
  eventCounted: [event: AcceptedEvent];
  eventDuplicate: [event: AcceptedEvent];
  eventRejected: [rejection: Rejection];
  /** `record.count` messages of one device dropped over its rate limit, dead-lettered as `device-flood`. */
  eventsFlooded: [record: FloodRecord];
  alertChanged: [update: AlertUpdate];
};

export class GatewayBus extends EventEmitter<GatewayEvents> {}

import { EventEmitter } from 'node:events';
import type { AcceptedEvent } from './intake.js';
import type { AlertUpdate } from './ports.js';
import type { Rejection } from './rejections.js';

/** Facts the gateway announces in-process (logging, metrics, the console printer). Past tense: they happened. */
export type GatewayEvents = {
  eventCounted: [event: AcceptedEvent];
  eventDuplicate: [event: AcceptedEvent];
  eventRejected: [rejection: Rejection];
  alertChanged: [update: AlertUpdate];
};

export class GatewayBus extends EventEmitter<GatewayEvents> {}

import { eventTopic } from '../../src/adapters/mqtt/topics.js';
import type { DeviceEvent } from '../../src/core/events.js';
import type { DraftEvent, SimEvent } from './model.js';
import { hash32 } from './random.js';

/**
 * Numbers each device's events as the device would: `seq` +1 per event, and an `id` that no other run reuses.
 * The id's prefix plays the part of a boot counter and derives from the run (seed and start): replaying the same
 * scenario re-sends the same ids, which the gateway counts once, while a run over another span (almost surely) does not collide
 * with it (the contract forbids reusing an id). Devices have been running before the span, so `seq` does not
 * start at zero.
 */
export class DeviceNumbering {
  private readonly devices = new Map<string, { boot: string; seq: number; topic: string }>();

  constructor(
    private readonly estateId: string,
    private readonly format: (ms: number) => string,
    private readonly runTag: string,
  ) {}

  stamp(draft: DraftEvent): SimEvent {
    let device = this.devices.get(draft.deviceId);
    if (!device) {
      device = {
        boot: hash32(`boot|${this.runTag}|${draft.deviceId}`).toString(36),
        seq: hash32(`seq|${draft.deviceId}`) % 5000,
        topic: eventTopic(this.estateId, draft.deviceId),
      };
      this.devices.set(draft.deviceId, device);
    }
    const seq = device.seq++;
    const payload: DeviceEvent = { id: `${device.boot}-${seq}`, seq, ts: this.format(draft.tsMs), ...draft.body };
    return { deviceId: draft.deviceId, topic: device.topic, payload, tsMs: draft.tsMs };
  }
}

import type { IPublishPacket, MqttClient } from 'mqtt';
import type { MessageOrigin } from '../../core/intake.js';
import type { Delivery } from '../ingest-batcher.js';
import { parseTopic } from './topics.js';

type Packet = { cmd: string; messageId?: number };
type SendPacket = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
type Callback = (err?: Error) => void;

/**
 * One message received, from its arrival to its PUBACK: the batcher's record of it and its acknowledgement's, in
 * one object with no promise or closure of its own.
 */
class MqttDelivery implements Delivery {
  readonly topic: string;
  readonly origin: MessageOrigin | undefined;
  readonly payload: Buffer;
  readonly deliveryKey: string;
  admitted = true;
  /** The PUBACK mqtt.js asked to send, held until the commit. */
  puback: { packet: Packet; rest: unknown[] } | undefined;
  isCommitted = false;
  readonly #acks: DeferredAcks;

  constructor(
    packet: IPublishPacket,
    deliveryKey: string,
    readonly messageId: number | undefined,
    readonly connection: number,
    acks: DeferredAcks,
  ) {
    this.topic = packet.topic;
    this.origin = parseTopic(packet.topic);
    this.payload = packet.payload as Buffer;
    this.deliveryKey = deliveryKey;
    this.#acks = acks;
  }

  committed(): void {
    this.#acks.committed(this);
  }
}

/**
 * Acknowledge after commit, without handling one message at a time.
 *
 * mqtt.js sends a QoS 1 PUBACK when `handleMessage` calls back, and parses the next packet only after that PUBACK
 * is written, so awaiting the commit inside `handleMessage` serialises the connection (one Redis round trip per
 * message). Here `handleMessage` returns at once and the PUBACK itself waits for its message's commit: parsing
 * goes on, messages batch up, and a crash before the commit still leaves the message unacknowledged for the
 * broker to redeliver. This wraps mqtt.js's internal `_sendPacket` (mqtt 5.x; covered by the ack-after-commit
 * integration test). See https://github.com/mqttjs/MQTT.js/issues/691 for why there is no public hook.
 *
 * - At most `maxPending` messages wait for their commit; past that `handleMessage` holds the connection until
 *   commits catch up, so memory stays bounded even against a broker that ignores its in-flight limit.
 * - A PUBACK is only ever written on the connection its message arrived on. After a reconnect the broker
 *   redelivers what was not acknowledged (persistent session) and the store counts it once; a PUBACK carried over
 *   could acknowledge a different message if the broker lost the session and reused the packet id, and mqtt.js's
 *   offline queue would replay thousands of them recursively.
 * - Every packet received proves the broker alive: the keep-alive timer restarts on each, because while the
 *   connection is held behind commits the broker's PINGRESP can sit behind thousands of queued messages.
 * - mqtt.js asks for a message's PUBACK inside the `handleMessage` callback, synchronously; the message whose
 *   callback is running is therefore the one the PUBACK belongs to, with no map of packet ids to look it up in.
 */
class DeferredAcks {
  readonly #client: MqttClient;
  readonly #send: SendPacket;
  readonly #deliver: (delivery: Delivery) => void;
  readonly #maxPending: number;
  readonly #deliveryKey: () => string;
  #connection = 0;
  #inFlight = 0;
  /** Messages past `maxPending`, with the callback that lets mqtt.js parse on. */
  #held: { delivery: MqttDelivery; callback: Callback }[] = [];
  /** The message whose `handleMessage` callback is running. */
  #current: MqttDelivery | undefined;

  constructor(
    client: MqttClient,
    deliver: (delivery: Delivery) => void,
    maxPending: number,
    deliveryKey: () => string,
  ) {
    this.#client = client;
    this.#deliver = deliver;
    this.#maxPending = maxPending;
    this.#deliveryKey = deliveryKey;
    const holder = client as unknown as { _sendPacket: SendPacket };
    this.#send = holder._sendPacket.bind(client);
    holder._sendPacket = (packet, cb, ...rest) => this.#sendPacket(packet, cb, rest);
    client.handleMessage = (packet, callback) => this.#handleMessage(packet, callback);
    client.on('close', () => {
      this.#connection++;
      // the parser these callbacks belong to is gone; their acknowledgements are dropped in #sendPacket
      this.#release();
    });
    client.on('packetreceive', () => client.reschedulePing(true));
  }

  committed(delivery: MqttDelivery): void {
    this.#inFlight--;
    delivery.isCommitted = true;
    const puback = delivery.puback;
    if (puback) {
      delivery.puback = undefined;
      this.#sendIfCurrent(delivery, puback.packet, puback.rest);
    }
    if (this.#inFlight < this.#maxPending && this.#held.length) this.#release();
  }

  #handleMessage(packet: IPublishPacket, callback: Callback): void {
    const messageId = packet.qos === 1 ? packet.messageId : undefined;
    const delivery = new MqttDelivery(packet, this.#deliveryKey(), messageId, this.#connection, this);
    this.#inFlight++;
    this.#deliver(delivery);
    if (this.#inFlight <= this.#maxPending) this.#callBack(delivery, callback);
    else this.#held.push({ delivery, callback });
  }

  #callBack(delivery: MqttDelivery, callback: Callback): void {
    // mqtt.js may parse the next packet from inside this callback, and so call back for it before returning here
    const outer = this.#current;
    this.#current = delivery;
    try {
      callback();
    } finally {
      this.#current = outer;
    }
  }

  #release(): void {
    const ready = this.#held;
    this.#held = [];
    for (const { delivery, callback } of ready) this.#callBack(delivery, callback);
  }

  #sendPacket(packet: Packet, cb: Callback | undefined, rest: unknown[]): void {
    if (packet.cmd !== 'puback' || packet.messageId === undefined) {
      this.#send(packet, cb, ...rest);
      return;
    }
    // read before `cb`: mqtt.js goes on to the next packet inside it
    const delivery = this.#current;
    cb?.();
    // a PUBACK asked for outside a message's callback has no commit to wait for: never sent (see the class doc)
    if (!delivery || delivery.messageId !== packet.messageId) return;
    // a message that never commits is never acknowledged: the broker redelivers it after a reconnect
    if (delivery.isCommitted) this.#sendIfCurrent(delivery, packet, rest);
    else delivery.puback = { packet, rest };
  }

  #sendIfCurrent(delivery: MqttDelivery, packet: Packet, rest: unknown[]): void {
    if (delivery.connection === this.#connection && this.#client.connected) this.#send(packet, undefined, ...rest);
  }
}

/**
 * Hands every message mqtt.js receives to `deliver` as a Delivery, and sends its PUBACK only after the batcher
 * calls its `committed()` (see DeferredAcks). `deliveryKey` names each delivery (IncomingMessage.deliveryKey).
 */
export function deferAcksUntilCommit(
  client: MqttClient,
  deliver: (delivery: Delivery) => void,
  maxPending: number,
  deliveryKey: () => string,
): void {
  new DeferredAcks(client, deliver, maxPending, deliveryKey);
}

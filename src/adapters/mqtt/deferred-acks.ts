import type { IPublishPacket, MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

export type CommitFn = (packet: IPublishPacket) => Promise<void>;

type Pending = { committed: Promise<void>; connection: number };

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
 */
export function deferAcksUntilCommit(client: MqttClient, commit: CommitFn, maxPending: number): void {
  const pending = new Map<number, Pending>();
  const holder = client as unknown as { _sendPacket: SendPacket };
  const send = holder._sendPacket.bind(client);
  let waiters: (() => void)[] = [];
  let inFlight = 0;
  let connection = 0;

  const releaseWaiters = () => {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };

  client.on('close', () => {
    connection++;
    pending.clear();
    // the parser these callbacks belong to is gone; their acknowledgements are dropped below
    releaseWaiters();
  });
  client.on('packetreceive', () => client.reschedulePing(true));

  holder._sendPacket = (packet, cb, ...rest) => {
    const entry = packet.cmd === 'puback' && packet.messageId !== undefined ? pending.get(packet.messageId) : undefined;
    if (packet.cmd !== 'puback' || packet.messageId === undefined) return send(packet, cb, ...rest);
    pending.delete(packet.messageId);
    cb?.();
    if (!entry || entry.connection !== connection) return;
    // a message that never commits is never acknowledged: the broker redelivers it after a reconnect
    entry.committed.then(
      () => {
        if (entry.connection === connection && client.connected) send(packet, undefined, ...rest);
      },
      () => undefined,
    );
  };

  client.handleMessage = (packet, callback) => {
    inFlight++;
    const committed = commit(packet).finally(() => {
      inFlight--;
      if (inFlight < maxPending && waiters.length) releaseWaiters();
    });
    if (packet.qos === 1 && packet.messageId !== undefined) pending.set(packet.messageId, { committed, connection });
    else committed.catch(() => undefined);
    if (inFlight < maxPending) callback();
    else waiters.push(() => callback());
  };
}

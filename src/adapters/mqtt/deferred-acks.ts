import type { IPublishPacket, MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

export type CommitFn = (packet: IPublishPacket) => Promise<void>;

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
 * At most `maxPending` messages wait for their commit; past that `handleMessage` holds the connection until
 * commits catch up, so memory stays bounded even against a broker without an in-flight limit.
 */
export function deferAcksUntilCommit(client: MqttClient, commit: CommitFn, maxPending: number): void {
  const pending = new Map<number, Promise<void>>();
  const holder = client as unknown as { _sendPacket: SendPacket };
  const send = holder._sendPacket.bind(client);
  let waiters: (() => void)[] = [];
  let inFlight = 0;

  holder._sendPacket = (packet, cb, ...rest) => {
    const committed =
      packet.cmd === 'puback' && packet.messageId !== undefined ? pending.get(packet.messageId) : undefined;
    if (!committed) return send(packet, cb, ...rest);
    pending.delete(packet.messageId as number);
    // a message that never commits is never acknowledged: the broker redelivers it after a reconnect
    committed.then(
      () => send(packet, undefined, ...rest),
      () => undefined,
    );
    cb?.();
  };

  client.handleMessage = (packet, callback) => {
    inFlight++;
    const done = commit(packet).finally(() => {
      inFlight--;
      if (inFlight < maxPending && waiters.length) {
        const ready = waiters;
        waiters = [];
        for (const w of ready) w();
      }
    });
    if (packet.qos === 1 && packet.messageId !== undefined) pending.set(packet.messageId, done);
    else if (packet.qos === 0) done.catch(() => undefined);
    if (inFlight < maxPending) callback();
    else waiters.push(() => callback());
  };
}

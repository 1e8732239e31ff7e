import mqtt from 'mqtt';
import type { Message } from './workload.js';

export type PublishOptions = {
  /** Messages a second; as fast as the broker acknowledges when absent. */
  rate?: number;
  /** Called after each message is handed to the client, with its index: scenarios inject faults mid-stream. */
  onProgress?: (sent: number) => void | Promise<void>;
};

const WINDOW = 500;

/**
 * The devices' side: publishes at QoS 1 on a persistent session, so a message the broker had not acknowledged when
 * it went down is sent again after the reconnect, as a device's client library does. Resolves when the broker has
 * acknowledged every message.
 */
export async function publishAll(url: string, messages: readonly Message[], opts: PublishOptions = {}): Promise<void> {
  const client = mqtt.connect(url, {
    clientId: `chaos-devices-${process.pid}-${Date.now()}`,
    clean: false,
    reconnectPeriod: 250,
    protocolVersion: 4,
  });
  client.on('error', () => undefined); // reconnects on its own; a broker restart is part of the plan
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const started = Date.now();
  const pending = new Set<Promise<unknown>>();
  try {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as Message;
      const p = client.publishAsync(m.topic, m.payload, { qos: 1 });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      if (pending.size >= WINDOW) await Promise.race(pending);
      await opts.onProgress?.(i + 1);
      if (opts.rate) {
        const due = started + ((i + 1) / opts.rate) * 1000;
        const wait = due - Date.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
    }
    await Promise.all(pending);
  } finally {
    await client.endAsync();
  }
}

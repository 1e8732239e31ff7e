import WebSocket from 'ws';
import { wallMs } from './clock.js';
import type { ProbeSent } from './protocol.js';

type Received = { change: string; receivedMs: number };

/**
 * The control room's side of the bench: a WebSocket client on /ws/alerts that notes when each change of a probe
 * device's smoke alert arrives. The k-th probe published for a device is answered by the k-th change of its alert
 * (the probes alternate raise and clear), so pairing them in order gives publish-to-alert latency.
 */
export class ProbeClient {
  readonly #received = new Map<string, Received[]>();
  readonly #sent = new Map<string, ProbeSent[]>();
  readonly #paired = new Map<string, number>();
  #socket: WebSocket | undefined;
  alertsReceived = 0;

  async connect(url: string, token: string): Promise<void> {
    const socket = new WebSocket(url, ['linli.bearer', token]);
    this.#socket = socket;
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; change?: string; alert?: { subject: string } };
      if (frame.type !== 'alert' || !frame.alert || !frame.change) return;
      this.alertsReceived++;
      const device = frame.alert.subject.endsWith('.smoke') ? frame.alert.subject.slice(0, -'.smoke'.length) : '';
      if (!device.startsWith('bench-probe-')) return;
      const list = this.#received.get(device) ?? [];
      list.push({ change: frame.change, receivedMs: wallMs() });
      this.#received.set(device, list);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }

  /** Pairs the probes sent so far with the changes received; returns the latencies (ms) and what went unanswered. */
  pair(probes: readonly ProbeSent[]): { latenciesMs: number[]; unanswered: number; mismatched: number } {
    for (const p of probes) {
      const list = this.#sent.get(p.device) ?? [];
      list.push(p);
      this.#sent.set(p.device, list);
    }
    const latenciesMs: number[] = [];
    let unanswered = 0;
    let mismatched = 0;
    for (const [device, sent] of this.#sent) {
      const received = this.#received.get(device) ?? [];
      for (let k = this.#paired.get(device) ?? 0; k < sent.length; k++) {
        const s = sent[k] as ProbeSent;
        const r = received[k];
        if (!r) {
          unanswered += sent.length - k;
          break;
        }
        if ((r.change === 'cleared') === s.active) mismatched++;
        else latenciesMs.push(r.receivedMs - s.sentMs);
        this.#paired.set(device, k + 1);
      }
    }
    return { latenciesMs, unanswered, mismatched };
  }

  close(): void {
    this.#socket?.close();
  }
}

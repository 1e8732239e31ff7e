import WebSocket from 'ws';
import { wallMs } from './clock.js';
import type { ProbeSent } from './protocol.js';

type Received = { change: string; receivedMs: number };

/**
 * Pairs probe alarms with the alert changes that answer them. The k-th probe published for a device is answered by
 * the k-th change of its alert (the probes alternate raise and clear), so pairing them in order gives
 * publish-to-alert latency.
 */
export class ProbePairing {
  readonly #received = new Map<string, Received[]>();
  readonly #sent = new Map<string, ProbeSent[]>();
  readonly #paired = new Map<string, number>();

  received(device: string, change: string, receivedMs: number): void {
    const list = this.#received.get(device) ?? [];
    list.push({ change, receivedMs });
    this.#received.set(device, list);
  }

  /**
   * Pairs the probes sent so far with the changes received; returns the latencies (ms) of the probes answered, and
   * how many of the probes given here are still unanswered or were answered by the wrong change.
   */
  pair(probes: readonly ProbeSent[]): { latenciesMs: number[]; unanswered: number; mismatched: number } {
    const positions = probes.map((p) => {
      const list = this.#sent.get(p.device) ?? [];
      list.push(p);
      this.#sent.set(p.device, list);
      return { device: p.device, index: list.length - 1 };
    });
    const latenciesMs: number[] = [];
    let mismatched = 0;
    for (const [device, sent] of this.#sent) {
      const received = this.#received.get(device) ?? [];
      let k = this.#paired.get(device) ?? 0;
      for (; k < sent.length && k < received.length; k++) {
        const s = sent[k] as ProbeSent;
        const r = received[k] as Received;
        if ((r.change === 'cleared') === s.active) mismatched++;
        else latenciesMs.push(r.receivedMs - s.sentMs);
      }
      this.#paired.set(device, k);
    }
    const unanswered = positions.filter((p) => p.index >= (this.#paired.get(p.device) ?? 0)).length;
    return { latenciesMs, unanswered, mismatched };
  }
}

/** The control room's side of the bench: a WebSocket client on /ws/alerts that notes when probe alerts arrive. */
export class ProbeClient {
  readonly probes = new ProbePairing();
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
      this.probes.received(device, frame.change, wallMs());
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }

  close(): void {
    this.#socket?.close();
  }
}

import { WebSocket } from 'ws';

type Frame = { type: string; id?: string; lastId?: string };

/**
 * A control-room client of `/ws/alerts`, its token offered as a subprotocol as the browser page does. It keeps
 * the id of every entry it receives; `pause()` stops it reading from its socket, as a client on a saturated link
 * or a frozen tab does.
 */
export class FeedClient {
  readonly ids: string[] = [];
  closeCode: number | undefined;
  readonly #ws: WebSocket;
  readonly #ready: Promise<void>;
  readonly #closed: Promise<void>;

  constructor(port: number, token: string, after?: string) {
    const query = after === undefined ? '' : `?after=${encodeURIComponent(after)}`;
    this.#ws = new WebSocket(`ws://127.0.0.1:${port}/ws/alerts${query}`, ['linli.bearer', token]);
    this.#ready = new Promise((resolve, reject) => {
      this.#ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame;
        if (frame.id) this.ids.push(frame.id);
        if (frame.type === 'ready') resolve();
      });
      this.#ws.once('error', reject);
    });
    this.#closed = new Promise((resolve) => {
      this.#ws.once('close', (code) => {
        this.closeCode = code;
        resolve();
      });
    });
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  closed(): Promise<void> {
    return this.#closed;
  }

  get lastId(): string | undefined {
    return this.ids.at(-1);
  }

  pause(): void {
    (this.#ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resume(): void {
    (this.#ws as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  close(): void {
    this.#ws.terminate();
  }
}

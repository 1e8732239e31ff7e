import type { AlertUpdate } from '../../core/ports.js';

export type AlertListener = (u: AlertUpdate) => void;

/** Fans the alert feed tail out to this instance's WebSocket clients. */
export class AlertHub {
  readonly #listeners = new Set<AlertListener>();

  subscribe(listener: AlertListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(update: AlertUpdate): void {
    for (const l of this.#listeners) l(update);
  }

  get size(): number {
    return this.#listeners.size;
  }
}

/** Orders Redis stream ids ("<ms>-<seq>"): negative, zero or positive like a comparator. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

/** Fans a feed's tail out to this instance's WebSocket clients. */
export class Hub<T> {
  readonly #listeners = new Set<(item: T) => void>();

  subscribe(listener: (item: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(item: T): void {
    for (const l of this.#listeners) l(item);
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

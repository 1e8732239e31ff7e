export type BackoffBounds = { minMs: number; maxMs: number };

/**
 * The wait before reconnect attempt `attempt` (0 for the first): doubling from `minMs` up to `maxMs`, then drawn
 * from its upper half. When a broker restarts, every gateway instance (and every device) loses it at the same
 * moment; without the jitter they would all come back in the same millisecond, again and again.
 */
export function reconnectDelayMs(attempt: number, bounds: BackoffBounds, random: () => number = Math.random): number {
  const ceiling = Math.min(bounds.maxMs, bounds.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

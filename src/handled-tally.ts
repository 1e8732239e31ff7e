import type { GatewayBus } from './core/bus.js';

export type HandledTally = {
  counted: number;
  duplicates: number;
  rejected: number;
  /** Dead letters by reason. */
  reasons: Record<string, number>;
  /** Events handled so far, whatever became of them. */
  handled(): number;
  /**
   * Resolves true once `published` events have been handled, or false when nothing moved for `stallMs`: the
   * tools that publish a whole scenario then ask the gateway to catch up (demo, evaluation).
   */
  untilHandled(published: number, stallMs?: number): Promise<boolean>;
};

/** Counts what the gateway did with each event, from its bus. */
export function tallyHandled(bus: GatewayBus): HandledTally {
  const tally: HandledTally = {
    counted: 0,
    duplicates: 0,
    rejected: 0,
    reasons: {},
    handled: () => tally.counted + tally.duplicates + tally.rejected,
    async untilHandled(published, stallMs = 30_000) {
      let last = tally.handled();
      let lastChange = Date.now();
      while (tally.handled() < published) {
        await new Promise((r) => setTimeout(r, 100));
        if (tally.handled() !== last) {
          last = tally.handled();
          lastChange = Date.now();
        } else if (Date.now() - lastChange > stallMs) {
          return false;
        }
      }
      return true;
    },
  };
  bus.on('eventCounted', () => tally.counted++);
  bus.on('eventDuplicate', () => tally.duplicates++);
  bus.on('eventRejected', (r) => {
    tally.rejected++;
    tally.reasons[r.reason] = (tally.reasons[r.reason] ?? 0) + 1;
  });
  bus.on('eventsFlooded', (f) => {
    tally.rejected += f.count;
    tally.reasons['device-flood'] = (tally.reasons['device-flood'] ?? 0) + f.count;
  });
  return tally;
}

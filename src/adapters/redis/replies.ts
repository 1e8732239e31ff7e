import type { UnitSignals } from '../../core/signals.js';

/** Maps the flat reply of a unit script (see scripts/includes/unitSignals.lua) to UnitSignals. */
export function parseUnitReply(
  unitId: string,
  days: { windowDays: number; recentDays: number },
  reply: readonly unknown[],
): UnitSignals {
  const n = (i: number) => Number(reply[i]);
  const toDay = n(1);
  return {
    unitId,
    window: { days: days.windowDays, fromDay: toDay - days.windowDays + 1, toDay },
    credentials: { distinct: n(2), active: n(3), enrolled: n(4), removed: n(5) },
    faces: { knownResidents: n(6), unknownResidents: n(7), knownLinked: n(8), unknownLinked: n(9) },
    openings: { identified: n(10), anonymous: n(11), failed: n(12), night: n(13) },
    recent: { days: days.recentDays, identified: n(14), anonymous: n(15) },
    floor: { stairsIn: n(16), openings: n(17) },
  };
}

export const UNIT_STATUS = { 0: 'counted', 1: 'duplicate', 2: 'outside-window' } as const;

/** Redis answered that this command cannot run (a script error, a wrong type): retrying will not help. */
export function isPermanentReplyError(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== 'ReplyError') return false;
  return !/^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|MOVED|ASK|NOSCRIPT|OOM)/.test(err.message);
}

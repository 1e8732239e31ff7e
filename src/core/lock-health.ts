/**
 * What the control room can say about a unit: `suspect` (an occupancy alert is open), `fine`, or `unknown` when its
 * lock is offline or silent: no evidence is not evidence of a lawful household, so such a unit is never "fine".
 */
export type LockState = 'reporting' | 'silent' | 'offline' | 'never-reported';
export type UnitAssessment = 'suspect' | 'fine' | 'unknown';

export type LockObservation = {
  /** From the lock's retained status; undefined when it never published one. */
  online: boolean | undefined;
  /** Event time of the lock's newest event, epoch ms. */
  lastEventMs: number | undefined;
  /** Event time of the newest face entering the unit's building: the building's own clock. */
  buildingNewestMs: number | undefined;
};

export function lockState(o: LockObservation, silentAfterMs: number): LockState {
  if (o.online === false) return 'offline';
  if (o.lastEventMs === undefined) return 'never-reported';
  if (o.buildingNewestMs !== undefined && o.buildingNewestMs - o.lastEventMs > silentAfterMs) return 'silent';
  return 'reporting';
}

/** A lock that does not report makes its unit unknown, even with an alert still open from before. */
export function assessUnit(lock: LockState, openOccupancyAlerts: number): UnitAssessment {
  if (lock !== 'reporting') return 'unknown';
  return openOccupancyAlerts > 0 ? 'suspect' : 'fine';
}

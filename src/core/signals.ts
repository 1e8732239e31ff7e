/**
 * What the correlation store knows about one unit over its window of event time. The store computes the
 * numbers atomically; the core decides what they mean.
 */
export type UnitSignals = {
  unitId: string;
  /** Local day numbers (see time.ts) of the window's first and last day; the last is the day of the unit's newest event. */
  window: { days: number; fromDay: number; toDay: number };
  credentials: {
    /** Credentials that opened the lock at least once in the window. */
    distinct: number;
    /** Credentials used on at least `minCredentialDays` distinct days and not removed after their last use. */
    active: number;
    enrolled: number;
    removed: number;
  };
  faces: {
    /** Registered faces linked to the unit on at least `minLinkDays` distinct days. */
    knownResidents: number;
    /** Unregistered faces (per-gate track ids) linked on at least `minLinkDays` distinct days. */
    unknownResidents: number;
    /**
     * Faces linked on `linkedFaceDays` days or more, whatever the share of their days: a face linked to a door
     * once is most often a neighbour, courier or visitor who came in just before it opened, and the store does
     * not keep those per unit.
     */
    knownLinked: number;
    unknownLinked: number;
  };
  openings: {
    /** Successful openings with a credential that names who opened. */
    identified: number;
    /** Successful openings by password or key: they carry no identity. */
    anonymous: number;
    failed: number;
    /** Successful openings between 23:00 and 05:00 local time. */
    night: number;
  };
  /**
   * Openings over the `days` complete days before the window's last day (that day is still running): traffic is
   * compared between units over whole days.
   */
  recent: { days: number; identified: number; anonymous: number };
  /** The unit's floor over the same days: people its stairwell counter saw come in, and its unit doors' openings. */
  floor: { stairsIn: number; openings: number };
};

export type SignalThresholds = {
  windowDays: number;
  minCredentialDays: number;
  minLinkDays: number;
};

/**
 * The days a face must be linked to a unit to count among its linked faces: two, or one when one day is enough to
 * live there. scripts/includes/faceEntries.lua (LINKED_DAYS, link_index_days) keeps the same rule.
 */
export function linkedFaceDays(minLinkDays: number): number {
  return Math.min(2, minLinkDays);
}

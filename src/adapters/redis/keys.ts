/**
 * Every Redis key of Linli is built here. Keys of one building share the hash tag `{estate/building}`, so every
 * script that touches a unit, its building's doors and its devices stays in one Redis Cluster slot. Devices that
 * belong to no building (estate entrance gates) use `{estate/_}`; the alert feed and the dead letters have their own.
 */
export type Keys = ReturnType<typeof createKeys>;

export type UnitKeys = { cred: string; credlog: string; link: string; state: string };

export function createKeys(prefix: string) {
  const tag = (estateId: string, buildingId: string | undefined) => `${prefix}:{${estateId}/${buildingId ?? '_'}}`;
  const alerts = `${prefix}:{alerts}`;
  const dead = `${prefix}:{dlq}`;
  const audit = `${prefix}:{audit}`;
  return {
    prefix,
    /** Idempotency: one block of a device's event hashes (see idempotency.ts and scripts/includes/idempotency.lua). */
    seen: (estateId: string, buildingId: string | undefined, deviceId: string, block: number) =>
      `${tag(estateId, buildingId)}:ids:${deviceId}:${block}`,
    unit: (estateId: string, buildingId: string, unitId: string): UnitKeys => {
      const base = `${tag(estateId, buildingId)}:u:${unitId}`;
      return { cred: `${base}:cred`, credlog: `${base}:credlog`, link: `${base}:link`, state: `${base}:state` };
    },
    /**
     * A building's door hour: the faces that entered its door and its units' lock openings in one hour of event
     * time, kept for linking the two for the link retention; `slot` is the hour's place in a ring (door-hours.ts).
     * An hour of one building is a few dozen members, so the ZSET stays a listpack, where one ZSET of the whole
     * retention took a skiplist node and a dict entry a member; faces and openings share it, one key an hour.
     */
    doorHour: (estateId: string, buildingId: string, slot: number) => `${tag(estateId, buildingId)}:door:${slot}`,
    /** Newest event time of a face entering the building door: a lock silent while its building is busy is suspect. */
    doorNewest: (estateId: string, buildingId: string) => `${tag(estateId, buildingId)}:door-newest`,
    /**
     * Per face, the days it entered the building door and the units it was linked to each day: the one record of
     * the links (units index only their faces linked on several days; see scripts/includes/faceEntries.lua).
     */
    entries: (estateId: string, buildingId: string) => `${tag(estateId, buildingId)}:entries`,
    gateCounters: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:gate:${deviceId}`,
    /** A floor's daily stairwell counts and unit-door openings (see scripts/includes/floorDays.lua). */
    floorCounters: (estateId: string, buildingId: string, floor: number) =>
      `${tag(estateId, buildingId)}:floor:${floor}`,
    alarms: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:alarms:${deviceId}`,
    /**
     * A device's HASH: its last status (online, ts, firmware, receivedAt, offlineSince) and `seq`, its seq run for
     * the events it lost and its idempotency window (see scripts/includes/seqGaps.lua); in its idempotency slot.
     */
    deviceStatus: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:status:${deviceId}`,
    /** Newest event time of each device of an estate (ZSET device -> ms): silence is measured against it. */
    deviceSeen: (estateId: string) => `${tag(estateId, undefined)}:device-seen`,
    /** Devices of an estate whose device-offline alert may be open (ZSET device -> ms), to check for a recovery. */
    deviceSuspects: (estateId: string) => `${tag(estateId, undefined)}:device-suspects`,
    alert: (slot: string) => `${alerts}:alert:${slot}`,
    alertStream: `${alerts}:stream`,
    alertIndex: `${alerts}:index`,
    /** Cases live beside the alerts (one slot), so a case change and its feed entry are one atomic script. */
    case: (caseId: string) => `${alerts}:case:${caseId}`,
    /** The newest case of a unit. */
    unitCase: (estateId: string, unitId: string) => `${alerts}:unit-case:${estateId}/${unitId}`,
    caseIndex: `${alerts}:cases`,
    caseSeq: `${alerts}:case-seq`,
    /** The police liaison feed: unit-level entries only, validated against an allow-list before they are written. */
    policeStream: `${alerts}:police`,
    deadLetters: `${dead}:stream`,
    /**
     * Marks one delivery's dead letter as recorded, so the retry of a batch that failed half-way does not record it
     * again (see IncomingMessage.deliveryKey); `-` for a record without a key, which the scripts never touch.
     */
    deadLetterOnce: (deliveryKey: string | undefined) => `${dead}:once:${deliveryKey ?? '-'}`,
    deadLetterCounts: `${dead}:counts`,
    /** Open `device-flood` dead letters, one per flooding device, until they are a second old (recordFlood.lua). */
    deadLetterFloods: `${dead}:floods`,
    /** The audit log: HASH seq -> record JSON. Never expires (see audit-log.ts). */
    auditEntries: `${audit}:entries`,
    /** The audit log's last committed seq and hash. Never expires. */
    auditTip: `${audit}:tip`,
    /** A rate-limit bucket (`p:<principal>` or `ip:<address>`), its own slot; expires once the bucket is full again. */
    rateLimit: (subject: string) => `${prefix}:rate:{${subject}}`,
  };
}

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
  return {
    prefix,
    /** Idempotency: ids of the events of one device on one local day. */
    seen: (estateId: string, buildingId: string | undefined, deviceId: string, day: number) =>
      `${tag(estateId, buildingId)}:seen:${deviceId}:${day}`,
    unit: (estateId: string, buildingId: string, unitId: string): UnitKeys => {
      const base = `${tag(estateId, buildingId)}:u:${unitId}`;
      return { cred: `${base}:cred`, credlog: `${base}:credlog`, link: `${base}:link`, state: `${base}:state` };
    },
    doorFaces: (estateId: string, buildingId: string) => `${tag(estateId, buildingId)}:door-faces`,
    openings: (estateId: string, buildingId: string) => `${tag(estateId, buildingId)}:openings`,
    /** Days each face entered the building door; the share of them a face was linked to a unit is evidence. */
    entries: (estateId: string, buildingId: string) => `${tag(estateId, buildingId)}:entries`,
    gateCounters: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:gate:${deviceId}`,
    /** A floor's daily stairwell counts and unit-door openings (see scripts/includes/floorDays.lua). */
    floorCounters: (estateId: string, buildingId: string, floor: number) =>
      `${tag(estateId, buildingId)}:floor:${floor}`,
    alarms: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:alarms:${deviceId}`,
    deviceStatus: (estateId: string, buildingId: string | undefined, deviceId: string) =>
      `${tag(estateId, buildingId)}:status:${deviceId}`,
    alert: (slot: string) => `${alerts}:alert:${slot}`,
    alertStream: `${alerts}:stream`,
    alertIndex: `${alerts}:index`,
    deadLetters: `${dead}:stream`,
    deadLetterCounts: `${dead}:counts`,
  };
}

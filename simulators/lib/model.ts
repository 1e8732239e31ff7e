import type { AccessMethod, DeviceEvent } from '../../src/core/events.js';

/** The simulated world: who lives where, how they open their door, and the raw events before ids and seqs. */

export type Role = 'worker' | 'pupil' | 'retiree' | 'homemaker' | 'night-worker' | 'tenant';
export type Shift = 'day' | 'late' | 'night';

export const HOUSEHOLD_KINDS = [
  'empty',
  'single',
  'couple',
  'elderly-couple',
  'family',
  'night-shift',
  'renters',
  'group-rental',
] as const;
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];

/** What a person presents to the lock; `slot` is the lock's credential id, absent for password and key. */
export type Credential = { method: AccessMethod; slot?: string };

export type Person = {
  /** Stable internal id; unregistered faces get their per-gate track ids from it. */
  key: string;
  /** Face-library id when the person is registered (`L-10293`); absent for unknown faces. */
  faceId?: string;
  role: Role;
  shift?: Shift;
  /** Weekday (0 = Sunday) a tenant has off. */
  dayOff?: number;
  credential?: Credential;
  /** Estate entrance this person usually takes ('' when the estate has none). */
  gate: string;
  usesStairs: boolean;
  /** Tenants of a group rental that starts inside the span move in at this instant (epoch ms). */
  moveInMs?: number;
};

export type Home = {
  unitId: string;
  buildingId: string;
  floor: number;
  /** Face gate at the building door and the unit's lock; an estate file may lack either. */
  buildingGate?: string;
  lockId?: string;
  /** Six floors or fewer: no lift, everyone walks the stairwell. */
  walkUp: boolean;
};

export type Household = {
  home: Home;
  kind: HouseholdKind;
  rooms: number;
  areaM2: number;
  capacity: number;
  registered: number;
  members: Person[];
  /** Relatives and friends who come for an evening; unknown faces, never a credential. */
  visitors: Person[];
  /** First free credential slot on the lock, for enrolments during the run. */
  nextSlot: number;
  groupRental?: { fromDay: number; fromMs: number; established: boolean };
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a device would fill it in, before the device numbers it (`id`, `seq`) and stamps `ts`. */
export type EventBody = DistributiveOmit<DeviceEvent, 'id' | 'seq' | 'ts'>;
export type DraftEvent = { tsMs: number; deviceId: string; body: EventBody };

/** One person crossing a floor's stairwell door; counters sum them into 15-minute `passage` events. */
export type StairStep = { tsMs: number; buildingId: string; floor: number; direction: 'in' | 'out' };

/** What the simulator emits: one device event, ready to publish, at its event time. */
export type SimEvent = { deviceId: string; topic: string; payload: DeviceEvent; tsMs: number };

import type { AccessMethod, DeviceEvent, DeviceStatus } from '../../src/core/events.js';

/** The simulated world: who lives where, how they open their door, and the raw events before ids and seqs. */

export type Role = 'worker' | 'pupil' | 'retiree' | 'homemaker' | 'night-worker' | 'tenant' | 'guest';
export type Shift = 'day' | 'late' | 'night';

export const HOUSEHOLD_KINDS = [
  'empty',
  'single',
  'couple',
  'elderly-couple',
  'family',
  'night-shift',
  'renters',
  'short-term-let',
  'group-rental',
] as const;
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];

/** How a group rental's tenants open the door and when they live there; `classic`: a credential each. */
export const GROUP_RENTAL_VARIANTS = ['classic', 'shared-credential', 'password-only', 'staggered', 'relapse'] as const;
export type GroupRentalVariant = (typeof GROUP_RENTAL_VARIANTS)[number];

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
  /**
   * Someone who arrives inside the span moves in at this instant (epoch ms); someone who leaves moves out at
   * `moveOutMs`. Absent: living there since before the span, or until after it.
   */
  moveInMs?: number;
  moveOutMs?: number;
  /** A live-in domestic helper or carer: lives in the flat, belongs to no family. */
  helper?: true;
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

/** Someone who works in the flat without living there: a daily helper, an hourly cleaner, a short-term let's cleaner. */
export type Helper = {
  person: Person;
  /** Weekdays (0 = Sunday) of work, or `changeover`: the day guests check out. */
  days: readonly number[] | 'changeover';
  /** Local arrival hour and hours of work. */
  startH: number;
  hours: number;
  /** Goes out for the shopping once during the day. */
  shops: boolean;
};

export type Interval = { fromMs: number; toMs: number };

export type Household = {
  home: Home;
  kind: HouseholdKind;
  rooms: number;
  areaM2: number;
  capacity: number;
  registered: number;
  /** The people who live here (a resident may move in or out inside the span). */
  members: Person[];
  /** Relatives and friends who come for an evening; unknown faces, never a credential. */
  visitors: Person[];
  /** Relatives who stay a few nights (`moveInMs` to `moveOutMs`): they sleep here but do not live here. */
  guests?: Person[];
  helpers?: Helper[];
  /** Heavy online shoppers and takeaway eaters: orders per resident and parcels per day. */
  deliveries?: { takeawayPerPerson: number; parcelsPerDay: number };
  /** The lock was offline and published nothing during these intervals. */
  lockOutages?: Interval[];
  /** First free credential slot on the lock, for enrolments during the run. */
  nextSlot: number;
  groupRental?: { fromDay: number; fromMs: number; established: boolean; variant: GroupRentalVariant };
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a device would fill it in, before the device numbers it (`id`, `seq`) and stamps `ts`. */
export type EventBody = DistributiveOmit<DeviceEvent, 'id' | 'seq' | 'ts'>;
export type DraftEvent = { tsMs: number; deviceId: string; body: EventBody };

/** One person crossing a floor's stairwell door; counters sum them into 15-minute `passage` events. */
export type StairStep = { tsMs: number; buildingId: string; floor: number; direction: 'in' | 'out' };

/** What the simulator emits: one device event, ready to publish, at its event time. */
export type SimEvent = { deviceId: string; topic: string; payload: DeviceEvent; tsMs: number };

/** A retained status change of a device inside the span (a lock dropping off the network and coming back). */
export type SimStatus = { deviceId: string; topic: string; payload: DeviceStatus; tsMs: number };

import type { AccessMethod } from '../../src/core/events.js';
import type { Credential, Home, Person, Role } from './model.js';
import type { Random } from './random.js';

/** Makes people: face-library ids for registered residents, lock credentials, entrance and stairs habits. */

/** Per-lock credential slots, numbered from 1 as the lock's own menu numbers them. */
export type SlotCounter = { next: number };

const FACE_ID_BASE = 10_001;
/** Registered residents who never stood in front of the property office's camera. */
const NOT_IN_FACE_LIBRARY = 0.05;

const METHODS_BY_ROLE: Record<Role, readonly (readonly [AccessMethod, number])[]> = {
  worker: [
    ['fingerprint', 60],
    ['app', 20],
    ['card', 20],
  ],
  'night-worker': [
    ['fingerprint', 60],
    ['app', 20],
    ['card', 20],
  ],
  homemaker: [
    ['fingerprint', 60],
    ['card', 30],
    ['app', 10],
  ],
  pupil: [
    ['fingerprint', 50],
    ['password', 30],
    ['card', 20],
  ],
  retiree: [
    ['card', 45],
    ['fingerprint', 30],
    ['key', 25],
  ],
  tenant: [
    ['fingerprint', 60],
    ['card', 30],
    ['app', 10],
  ],
  // A short-term let's host sends each booking an e-key for the app.
  guest: [['app', 100]],
};

export type PersonOptions = {
  registered: boolean;
  home: Home;
  /** Household gate preference, shared by its members. */
  gate: string;
  slots: SlotCounter;
  /** A household that opens by password or key only: its openings carry no credential. */
  anonymousMethod?: 'password' | 'key';
};

export class PersonFactory {
  private faceCounter = FACE_ID_BASE;

  constructor(private readonly rng: Random) {}

  create(key: string, role: Role, options: PersonOptions): Person {
    const person: Person = {
      key,
      role,
      gate: options.gate,
      usesStairs: takesStairs(this.rng, options.home),
      credential: this.credential(role, options),
    };
    if (options.registered && !this.rng.chance(NOT_IN_FACE_LIBRARY)) person.faceId = `L-${this.faceCounter++}`;
    return person;
  }

  /** A relative or a friend: not registered, never enrolled on the lock. */
  visitor(key: string, home: Home, gate: string): Person {
    return { key, role: 'worker', gate, usesStairs: takesStairs(this.rng, home) };
  }

  private credential(role: Role, options: PersonOptions): Credential {
    if (options.anonymousMethod) return { method: options.anonymousMethod };
    const method = this.rng.weighted(METHODS_BY_ROLE[role]);
    if (method === 'password' || method === 'key') return { method };
    return { method, slot: String(options.slots.next++) };
  }
}

/** Walk-ups have no lift; in towers the low floors walk, the high floors wait for the lift. */
export function takesStairs(rng: Random, home: Home): boolean {
  if (home.walkUp) return true;
  if (home.floor <= 2) return rng.chance(0.6);
  if (home.floor <= 4) return rng.chance(0.2);
  return rng.chance(0.05);
}

/** Each household favours one entrance, most often the main gate. */
export function pickHouseholdGate(rng: Random, entrances: readonly string[]): string {
  if (entrances.length === 0) return '';
  return rng.weighted(entrances.map((gate, i) => [gate, i === 0 ? 60 : 40 / (entrances.length - 1)] as const));
}

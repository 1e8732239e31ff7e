import type { AlarmKind } from '../../src/core/events.js';
import type { Credential, DraftEvent, Person, StairStep } from './model.js';
import { hash32, type Random } from './random.js';

/** Share of passes in which a face gate does not recognise (or does not see) the person at all. */
export const FACE_MISS_RATE = 0.1;

/**
 * A gate tracks an unregistered face under its own id: stable for that gate, unrelated to other gates',
 * so the gateway cannot follow an unknown face across the estate by its track id.
 */
export function trackId(gateId: string, personKey: string): string {
  return `T-${hash32(`${gateId}|${personKey}`).toString(16).padStart(8, '0')}`;
}

/** Collects the raw events of one day; timestamps are cut to whole seconds, as devices report them. */
export class DaySink {
  readonly drafts: DraftEvent[] = [];
  readonly steps: StairStep[] = [];

  constructor(private readonly rng: Random) {}

  face(tsMs: number, gateId: string, person: Person, direction: 'in' | 'out'): void {
    if (this.rng.chance(FACE_MISS_RATE)) return;
    const known = person.faceId !== undefined;
    const score = Math.round(this.rng.normal(known ? 0.91 : 0.86, 0.05, 0.75, 0.99) * 100) / 100;
    this.push(tsMs, gateId, {
      type: 'face',
      person: person.faceId ?? trackId(gateId, person.key),
      known,
      direction,
      score,
    });
  }

  access(tsMs: number, lockId: string, credential: Credential, ok: boolean): void {
    const body = { type: 'access' as const, method: credential.method, ok };
    this.push(tsMs, lockId, credential.slot === undefined ? body : { ...body, credential: credential.slot });
  }

  credential(tsMs: number, lockId: string, action: 'enrolled' | 'removed', credential: Credential): void {
    if (credential.slot === undefined) return;
    this.push(tsMs, lockId, { type: 'credential', action, method: credential.method, credential: credential.slot });
  }

  alarm(tsMs: number, deviceId: string, alarm: AlarmKind, active: boolean): void {
    this.push(tsMs, deviceId, { type: 'alarm', alarm, active });
  }

  stairs(tsMs: number, buildingId: string, floor: number, direction: 'in' | 'out'): void {
    this.steps.push({ tsMs: Math.floor(tsMs / 1000) * 1000, buildingId, floor, direction });
  }

  private push(tsMs: number, deviceId: string, body: DraftEvent['body']): void {
    this.drafts.push({ tsMs: Math.floor(tsMs / 1000) * 1000, deviceId, body });
  }
}

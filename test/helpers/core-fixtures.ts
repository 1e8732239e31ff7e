import type { Alert, AlertDecision, AlertDraft } from '../../src/core/alerts.js';
import { legalCapacity } from '../../src/core/capacity.js';
import { DEFAULT_DETECTION, type Detection } from '../../src/core/detection.js';
import { type Estate, parseEstate, type Unit } from '../../src/core/estate.js';
import type { ProfileView } from '../../src/core/estate-profile.js';
import {
  type AcceptedEvent,
  classifyMessage,
  type IntakeResult,
  type MessageOrigin,
  type Pseudonymiser,
} from '../../src/core/intake.js';
import { estimateOccupancy, occupancyContextOf } from '../../src/core/occupancy.js';
import { EstateRegistry } from '../../src/core/registry.js';
import type { UnitRuleContext } from '../../src/core/rules/unit-rule.js';
import type { UnitSignals } from '../../src/core/signals.js';
import { localDay } from '../../src/core/time.js';
import tinyEstateFile from '../fixtures/estate.tiny.json' with { type: 'json' };

/** Builders shared by the core unit tests and the Redis store tests. Pure: no I/O, no clock. */

export const TZ = 'Asia/Shanghai';
/** 2026-11-26 00:00 in Shanghai, the first day of most scenarios. */
export const DAY0_MS = Date.parse('2026-11-26T00:00:00+08:00');
export const DAY0 = localDay(DAY0_MS, TZ);

export const tinyEstate = (): Estate => parseEstate(structuredClone(tinyEstateFile), 'estate.tiny.json');

export const detection = (overrides: Partial<Detection> = {}): Detection => ({ ...DEFAULT_DETECTION, ...overrides });

/** Epoch ms of `hh:mm:ss` local Shanghai time, `dayOffset` days after DAY0. */
export function at(dayOffset: number, time = '12:00:00'): number {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return DAY0_MS + dayOffset * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000;
}

/** RFC 3339 with the +08:00 offset that devices of the estate send. */
export function iso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Readable, deterministic pseudonyms: the scope stays visible, the raw value does not. */
export const fixedPseudonymiser: Pseudonymiser = (estateId, scope, value) => {
  let h = 0;
  for (const ch of `${estateId}|${scope}|${value}`) h = (Math.imul(h, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `ps.${scope}.${h.toString(36)}`;
};

export const deviceTopic = (estateId: string, deviceId: string, kind: MessageOrigin['kind'] = 'event') =>
  `linli/v1/${estateId}/${deviceId}/${kind}`;

/** Classifies a payload as coming from `deviceId` of the tiny estate; the clock is far ahead so nothing is "future". */
export function classify(
  deviceId: string,
  payload: unknown,
  opts: { estate?: Estate; kind?: MessageOrigin['kind']; nowMs?: number; maxFutureMs?: number | null } = {},
): IntakeResult {
  const estate = opts.estate ?? tinyEstate();
  const origin: MessageOrigin = { estateId: estate.id, deviceId, kind: opts.kind ?? 'event' };
  const raw = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return classifyMessage(deviceTopic(estate.id, deviceId, origin.kind), origin, raw, {
    registry: new EstateRegistry([estate]),
    pseudonymise: fixedPseudonymiser,
    nowMs: opts.nowMs ?? at(3650),
    maxFutureMs: opts.maxFutureMs === undefined ? 300_000 : opts.maxFutureMs,
  });
}

/** The accepted event of a valid payload; throws with the rejection when it was not accepted. */
export function accept(deviceId: string, payload: object, estate?: Estate): AcceptedEvent {
  const r = classify(deviceId, payload, { estate, maxFutureMs: null });
  if (r.kind !== 'event') throw new Error(`expected an accepted event, got ${JSON.stringify(r)}`);
  return r.accepted;
}

let seq = 0;
const common = (id: string, ms: number) => ({ id, seq: seq++, ts: iso(ms) });

export const facePayload = (id: string, ms: number, person: string, known = true, direction: 'in' | 'out' = 'in') => ({
  ...common(id, ms),
  type: 'face',
  person,
  known,
  direction,
  score: 0.91,
});

export const accessPayload = (
  id: string,
  ms: number,
  credential: string | undefined,
  opts: { method?: string; ok?: boolean } = {},
) => ({
  ...common(id, ms),
  type: 'access',
  method: opts.method ?? (credential === undefined ? 'password' : 'fingerprint'),
  ...(credential === undefined ? {} : { credential }),
  ok: opts.ok ?? true,
});

export const credentialPayload = (id: string, ms: number, action: 'enrolled' | 'removed', credential: string) => ({
  ...common(id, ms),
  type: 'credential',
  action,
  method: 'fingerprint',
  credential,
});

export const alarmPayload = (id: string, ms: number, alarm: string, active: boolean) => ({
  ...common(id, ms),
  type: 'alarm',
  alarm,
  active,
});

/** Unit signals with every count 0 unless overridden; the window ends on `toDay`. */
export function signals(
  overrides: {
    unitId?: string;
    toDay?: number;
    days?: number;
    credentials?: Partial<UnitSignals['credentials']>;
    faces?: Partial<UnitSignals['faces']>;
    openings?: Partial<UnitSignals['openings']>;
    recent?: Partial<UnitSignals['recent']>;
    floor?: Partial<UnitSignals['floor']>;
  } = {},
): UnitSignals {
  const days = overrides.days ?? 14;
  const toDay = overrides.toDay ?? DAY0 + 13;
  return {
    unitId: overrides.unitId ?? 'b1-102',
    window: { days, fromDay: toDay - days + 1, toDay },
    credentials: { distinct: 0, active: 0, enrolled: 0, removed: 0, ...overrides.credentials },
    faces: { knownResidents: 0, unknownResidents: 0, knownLinked: 0, unknownLinked: 0, ...overrides.faces },
    openings: { identified: 0, anonymous: 0, failed: 0, night: 0, ...overrides.openings },
    recent: { days: 4, identified: 0, anonymous: 0, ...overrides.recent },
    floor: { stairsIn: 0, openings: 0, ...overrides.floor },
  };
}

/** What a unit rule sees for a unit (or unit id) of `estate` with these signals: the model's estimate included. */
export function ruleContext(
  estate: Estate,
  unitOrId: string | Unit,
  s: UnitSignals,
  opts: { detection?: Detection; profile?: ProfileView } = {},
): UnitRuleContext {
  const unit = typeof unitOrId === 'string' ? (estate.units.get(unitOrId) as Unit) : unitOrId;
  const unitId = unit.id;
  const occupancy = occupancyContextOf(estate, unit, opts.detection ?? DEFAULT_DETECTION, opts.profile);
  return {
    ...occupancy,
    estateId: estate.id,
    unit,
    capacity: legalCapacity(unit),
    signals: { ...s, unitId },
    estimate: estimateOccupancy(s, occupancy),
    named: estimateOccupancy(s, { ...occupancy, withTraffic: false }),
  };
}

/** A group-rental alert's content for `unitId` of the tiny estate: `people` against a capacity of 2 and 2 registered. */
export function groupRentalDraft(unitId: string, people: number, over: Partial<AlertDraft> = {}): AlertDraft {
  return {
    kind: 'group-rental-suspected',
    subject: unitId,
    estateId: 'tiny',
    buildingId: 'b1',
    unitId,
    floor: 1,
    severity: 'medium',
    rule: 'r',
    summary: `Unit ${unitId}: about ${people} people for a legal capacity of 2.`,
    estimate: {
      people,
      basis: 'credentials',
      capacity: 2,
      registered: 2,
      overCapacity: people - 2,
      overRegistered: people - 2,
      confidence: 0.9,
      factors: [],
      counts: [],
    },
    evidence: [],
    ...over,
  };
}

/** The decision that raises `groupRentalDraft` at `eventMs`. */
export const raiseGroupRental = (
  unitId: string,
  people: number,
  eventMs: number,
  over: Partial<AlertDraft> = {},
): AlertDecision => ({
  action: 'raise',
  draft: groupRentalDraft(unitId, people, over),
  eventMs,
  fingerprint: `${people}|${eventMs}`,
});

/** The stored, open alert of `groupRentalDraft`, number `n`. */
export function groupRentalAlert(unitId: string, people: number, n = 1, over: Partial<Alert> = {}): Alert {
  const seen = new Date(at(0, '10:00:00')).toISOString();
  return {
    ...groupRentalDraft(unitId, people),
    id: `tiny.${unitId}.group-rental-suspected~${n}`,
    status: 'open',
    firstSeen: seen,
    lastSeen: seen,
    occurrences: 1,
    version: 1,
    ...over,
  };
}

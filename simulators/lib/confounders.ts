import type { Calendar } from './calendar.js';
import { addHelper } from './helpers.js';
import { planLockOutage } from './lock-outages.js';
import type { Household } from './model.js';
import type { PersonFactory } from './people.js';
import type { Random } from './random.js';
import { addRelatives } from './relatives.js';
import { createShortTermLet } from './short-term-let.js';

/**
 * The ordinary life that looks like a group rental to a careless detector, laid over the population: each kind
 * goes to a share of the households it can happen to, and to at least `min` of them when a scenario needs it
 * to appear. Each kind draws from its own random stream, so adding one never reshuffles another.
 */

export const MIX_KINDS = ['short-term-let', 'visiting-relatives', 'helper', 'courier-heavy', 'lock-offline'] as const;
export type MixKind = (typeof MIX_KINDS)[number];
export type MixRate = { share: number; min?: number };
export type ConfounderMix = Partial<Record<MixKind, MixRate>>;

/** Every tag of the ground truth's `confounders`. */
export const CONFOUNDER_KINDS = [
  'at-capacity',
  'empty',
  'night-shift',
  'anonymous-door',
  'visiting-relatives',
  'helper',
  'short-term-let',
  'lock-offline',
  'courier-heavy',
  'shared-credential',
  'password-only',
  'staggered',
  'relapse',
] as const;
export type ConfounderKind = (typeof CONFOUNDER_KINDS)[number];

export type MixContext = {
  rng: Random;
  factory: PersonFactory;
  calendar: Calendar;
  entrances: readonly string[];
  mix: ConfounderMix;
};

const FAMILY_KINDS: readonly Household['kind'][] = ['single', 'couple', 'elderly-couple', 'family', 'night-shift'];
const isFamily = (h: Household) => FAMILY_KINDS.includes(h.kind) && h.members.length > 0;

/** Who each kind can happen to. */
const ELIGIBLE: Record<MixKind, (h: Household) => boolean> = {
  // Owners who let a small flat by the night; the flat stood empty or its family moved.
  'short-term-let': (h) => h.kind !== 'group-rental' && h.home.lockId !== undefined && h.rooms <= 2 && h.capacity >= 2,
  'visiting-relatives': isFamily,
  // Families with children or old people at home.
  helper: (h) =>
    isFamily(h) && h.home.lockId !== undefined && h.members.some((p) => p.role === 'pupil' || p.role === 'retiree'),
  'courier-heavy': (h) => isFamily(h) || h.kind === 'renters',
  // An outage at an empty flat would go unnoticed by anyone, the gateway included.
  'lock-offline': (h) => h.home.lockId !== undefined && h.members.length > 0,
};

function choose(rng: Random, eligible: Household[], rate: MixRate): Household[] {
  const chosen = eligible.filter(() => rng.chance(rate.share));
  const missing = (rate.min ?? 0) - chosen.length;
  if (missing > 0) chosen.push(...rng.shuffle(eligible.filter((h) => !chosen.includes(h))).slice(0, missing));
  return chosen;
}

/** Applies the mix in place; short-term lets replace the household of their unit. */
export function applyConfounders(households: Household[], ctx: MixContext): void {
  for (const kind of MIX_KINDS) {
    const rate = ctx.mix[kind];
    if (!rate || (rate.share <= 0 && !rate.min)) continue;
    const rng = ctx.rng.fork(kind);
    const chosen = choose(rng, households.filter(ELIGIBLE[kind]), rate);
    for (const household of chosen) apply(kind, rng.fork(household.home.unitId), household, households, ctx);
  }
}

function apply(kind: MixKind, rng: Random, household: Household, households: Household[], ctx: MixContext): void {
  switch (kind) {
    case 'short-term-let': {
      const { home, rooms, areaM2, capacity, registered } = household;
      const base = { rooms, areaM2, capacity, registered };
      const spec = { rng, home, base, entrances: ctx.entrances, calendar: ctx.calendar };
      households[households.indexOf(household)] = createShortTermLet(spec);
      return;
    }
    case 'visiting-relatives':
      addRelatives(rng, household, ctx.calendar);
      return;
    case 'helper':
      addHelper(rng, ctx.factory, household, ctx.entrances);
      return;
    case 'courier-heavy':
      // Takeaway for most meals and several parcels a day (a shop run from the living room).
      household.deliveries = { takeawayPerPerson: rng.float(0.8, 1.6), parcelsPerDay: rng.float(1.5, 4) };
      return;
    case 'lock-offline': {
      const outage = planLockOutage(rng, ctx.calendar);
      if (outage) household.lockOutages = [outage];
      return;
    }
  }
}

/** The truth's tags of one household. */
export function confoundersOf(h: Household): ConfounderKind[] {
  const tags: ConfounderKind[] = [];
  const residents = h.members.filter((p) => p.moveInMs === undefined && p.moveOutMs === undefined);
  if (isFamily(h) && residents.length === h.capacity) tags.push('at-capacity');
  if (h.kind === 'empty') tags.push('empty');
  if (h.members.some((p) => p.role === 'night-worker')) tags.push('night-shift');
  const anonymous = (m: string | undefined) => m === 'password' || m === 'key';
  if (h.kind !== 'group-rental' && h.members.length > 0 && h.members.every((p) => anonymous(p.credential?.method))) {
    tags.push('anonymous-door');
  }
  if (h.guests?.length) tags.push('visiting-relatives');
  if (h.members.some((p) => p.helper) || h.helpers?.some((x) => x.days !== 'changeover')) tags.push('helper');
  if (h.kind === 'short-term-let') tags.push('short-term-let');
  if (h.lockOutages?.length) tags.push('lock-offline');
  if (h.deliveries) tags.push('courier-heavy');
  const variant = h.groupRental?.variant;
  if (variant && variant !== 'classic') tags.push(variant);
  return tags;
}

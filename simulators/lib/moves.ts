import { HOUR_MS, MINUTE_MS } from './calendar.js';
import type { DayContext } from './day-context.js';
import type { Credential, Household, Person } from './model.js';
import { arriveHome, leaveHome } from './movements.js';
import { livesAt } from './residence.js';

/**
 * Moving in and out. Whoever gives out the credentials (a landlord, a short-term host, a family enrolling a
 * relative's finger) enrols one when its first holder arrives and removes it once its last holder has left: a card
 * copied for every tenant is enrolled once, an app key shared by a booking is removed once.
 */

const same = (a: Credential, b: Credential | undefined) => b?.method === a.method && b.slot === a.slot;

function slotted(group: readonly Person[]): Credential[] {
  const out: Credential[] = [];
  for (const p of group)
    if (p.credential?.slot !== undefined && !out.some((c) => same(c, p.credential))) out.push(p.credential);
  return out;
}

/** True when someone outside `group` holding `credential` lives in the flat at `ms`. */
function heldByOthers(holders: readonly Person[], group: readonly Person[], credential: Credential, ms: number) {
  return holders.some((p) => !group.includes(p) && same(credential, p.credential) && livesAt(p, ms));
}

/** Enrols the group's new credentials a few minutes after they reach the door. */
export function enrolOnArrival(
  ctx: DayContext,
  household: Household,
  group: readonly Person[],
  arrivalMs: number,
  atDoor: number,
  holders: readonly Person[],
): void {
  const lockId = household.home.lockId;
  if (!lockId) return;
  for (const credential of slotted(group)) {
    if (heldByOthers(holders, group, credential, arrivalMs)) continue;
    ctx.sink.credential(atDoor + ctx.rng.float(1, 5) * MINUTE_MS, lockId, 'enrolled', credential);
  }
}

/** Removes the group's credentials that nobody left behind still uses, within hours of their leaving. */
export function removeOnDeparture(
  ctx: DayContext,
  household: Household,
  group: readonly Person[],
  departureMs: number,
  holders: readonly Person[],
): void {
  const lockId = household.home.lockId;
  if (!lockId) return;
  for (const credential of slotted(group)) {
    if (heldByOthers(holders, group, credential, departureMs)) continue;
    ctx.sink.credential(departureMs + ctx.rng.float(0.5, 3) * HOUR_MS, lockId, 'removed', credential);
  }
}

/** Residents who move in today, with their luggage; people moving at the same instant arrive together. */
export function moveIn(ctx: DayContext, household: Household, group: readonly Person[], arrivalMs: number): void {
  const atDoor = arriveHome(ctx.sink, ctx.rng, ctx.world, household.home, group, arrivalMs);
  enrolOnArrival(ctx, household, group, arrivalMs, atDoor, household.members);
}

export function moveOut(ctx: DayContext, household: Household, group: readonly Person[], departureMs: number): void {
  leaveHome(ctx.sink, ctx.rng, ctx.world, household.home, group, departureMs);
  removeOnDeparture(ctx, household, group, departureMs, household.members);
}

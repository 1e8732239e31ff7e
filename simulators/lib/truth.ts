import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Calendar, DAY_MS } from './calendar.js';
import { CONFOUNDER_KINDS, type ConfounderKind, confoundersOf } from './confounders.js';
import type { GroupRentalVariant, Household, HouseholdKind } from './model.js';
import { livesAt, overCapacity } from './residence.js';

/**
 * What really lives in each unit, so a gateway run can be scored against it. Ground truth v2, one JSON document:
 *
 *   { version: 2, scenario?, seed, days, start, end, estateId, groupRentalShare, groupRentals,
 *     confounders: { [tag]: number of units }, units: TruthUnit[] }
 *
 * Per unit:
 * - `household`: the kind of household; `occupants`: people living there at the end of the span (residents and
 *   live-in helpers; never staying relatives, daily helpers or visitors); `registered`, `capacity`, `rooms` as in
 *   the registry, capacity = min(2 × rooms, floor(areaM2 / 5)).
 * - `periods`: the exact intervals during which the unit, let to tenants, housed more residents than its capacity.
 *   `fromTs` is the move-in that took it over capacity (the span's start for a rental already running then),
 *   `toTs` the move-out that brought it back within capacity, or null when still over capacity at the end. The
 *   first period is `group-rental`; a unit cleared by an inspection and let again has a second, `relapse`.
 *   Owners' families and staying relatives never make a period: overcrowding your own home is not 群租.
 * - `groupRental`: true when the unit has at least one period. For those: `tenants` (= occupants), `variant`
 *   (how the tenants open the door and move in), `fromTs`/`fromDay`: the start of the first period and its
 *   24-hour day of the span (0-based).
 * - `confounders`: tags of the ordinary life that can look like a group rental, see CONFOUNDER_KINDS.
 * - `lockOffline`: intervals in which the unit's lock was offline and published nothing.
 * - `relatives`: stays of relatives (people, arrival, departure).
 * All instants are RFC 3339 with the estate's offset, whole seconds, as the events carry them.
 */

export type TruthPeriod = { kind: 'group-rental' | 'relapse'; fromTs: string; toTs: string | null };
export type TruthInterval = { fromTs: string; toTs: string };

export type TruthUnit = {
  unitId: string;
  household: HouseholdKind;
  groupRental: boolean;
  /** People living in the unit by the end of the span. */
  occupants: number;
  registered: number;
  capacity: number;
  rooms: number;
  /** Group rentals only: tenants at the end, the start of the first period and its 24-hour day of the span. */
  tenants?: number;
  fromDay?: number;
  fromTs?: string;
  variant?: GroupRentalVariant;
  confounders: ConfounderKind[];
  periods: TruthPeriod[];
  lockOffline?: TruthInterval[];
  relatives?: (TruthInterval & { people: number })[];
};

export type GroundTruth = {
  version: 2;
  scenario?: string;
  seed: number | string;
  days: number;
  start: string;
  end: string;
  estateId: string;
  groupRentalShare: number;
  groupRentals: number;
  /** Units carrying each confounder tag. */
  confounders: Record<ConfounderKind, number>;
  units: TruthUnit[];
};

export type TruthInput = {
  seed: number | string;
  scenario?: string;
  calendar: Calendar;
  estateId: string;
  groupRentalShare: number;
  households: readonly Household[];
};

function truthUnit(h: Household, calendar: Calendar): TruthUnit {
  const { startMs, endMs, format } = calendar;
  const occupants = h.members.filter((p) => livesAt(p, endMs - 1)).length;
  const spans = h.groupRental ? overCapacity(h.members, h.capacity, startMs, endMs) : [];
  const periods = spans.map(
    (p, i): TruthPeriod => ({
      kind: i === 0 ? 'group-rental' : 'relapse',
      fromTs: format(p.fromMs),
      toTs: p.toMs >= endMs ? null : format(p.toMs),
    }),
  );
  const first = spans[0];
  const rental =
    first && h.groupRental
      ? {
          tenants: occupants,
          fromDay: Math.floor((first.fromMs - startMs) / DAY_MS),
          fromTs: format(first.fromMs),
          variant: h.groupRental.variant,
        }
      : {};
  const stays = new Map<number, TruthInterval & { people: number }>();
  for (const g of h.guests ?? []) {
    const stay = stays.get(g.moveInMs ?? 0);
    if (stay) stay.people++;
    else stays.set(g.moveInMs ?? 0, { fromTs: format(g.moveInMs ?? 0), toTs: format(g.moveOutMs ?? 0), people: 1 });
  }
  return {
    unitId: h.home.unitId,
    household: h.kind,
    groupRental: periods.length > 0,
    occupants,
    registered: h.registered,
    capacity: h.capacity,
    rooms: h.rooms,
    ...rental,
    confounders: confoundersOf(h),
    periods,
    ...(h.lockOutages?.length
      ? { lockOffline: h.lockOutages.map((o) => ({ fromTs: format(o.fromMs), toTs: format(o.toMs) })) }
      : {}),
    ...(stays.size > 0 ? { relatives: [...stays.values()] } : {}),
  };
}

export function buildTruth(input: TruthInput): GroundTruth {
  const { calendar } = input;
  const units = input.households.map((h) => truthUnit(h, calendar));
  const confounders = Object.fromEntries(CONFOUNDER_KINDS.map((k) => [k, 0])) as Record<ConfounderKind, number>;
  for (const u of units) for (const tag of u.confounders) confounders[tag]++;
  return {
    version: 2,
    ...(input.scenario === undefined ? {} : { scenario: input.scenario }),
    seed: input.seed,
    days: calendar.days,
    start: calendar.format(calendar.startMs),
    end: calendar.format(calendar.endMs),
    estateId: input.estateId,
    groupRentalShare: input.groupRentalShare,
    groupRentals: units.filter((u) => u.groupRental).length,
    confounders,
    units,
  };
}

export async function writeTruth(path: string, truth: GroundTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(truth, null, 2)}\n`);
}

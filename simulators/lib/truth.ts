import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Calendar } from './calendar.js';
import type { Household, HouseholdKind } from './model.js';

/** What really lives in each unit, so a gateway run can be scored against it. */

export type TruthUnit = {
  unitId: string;
  household: HouseholdKind;
  groupRental: boolean;
  /** People living in the unit by the end of the span. */
  occupants: number;
  registered: number;
  capacity: number;
  rooms: number;
  /** Group rentals only: tenants, the 24-hour day of the span (0-based) of the first move-in, and its instant. */
  tenants?: number;
  fromDay?: number;
  fromTs?: string;
};

export type GroundTruth = {
  seed: number | string;
  days: number;
  start: string;
  end: string;
  estateId: string;
  groupRentalShare: number;
  groupRentals: number;
  units: TruthUnit[];
};

export type TruthInput = {
  seed: number | string;
  calendar: Calendar;
  estateId: string;
  groupRentalShare: number;
  households: readonly Household[];
};

export function buildTruth(input: TruthInput): GroundTruth {
  const { calendar } = input;
  const units = input.households.map((h): TruthUnit => {
    const occupants = h.members.filter((p) => p.moveInMs === undefined || p.moveInMs < calendar.endMs).length;
    const unit: TruthUnit = {
      unitId: h.home.unitId,
      household: h.kind,
      groupRental: h.groupRental !== undefined,
      occupants,
      registered: h.registered,
      capacity: h.capacity,
      rooms: h.rooms,
    };
    if (h.groupRental) {
      unit.tenants = occupants;
      unit.fromDay = h.groupRental.fromDay;
      unit.fromTs = calendar.format(h.groupRental.fromMs);
    }
    return unit;
  });
  return {
    seed: input.seed,
    days: calendar.days,
    start: calendar.format(calendar.startMs),
    end: calendar.format(calendar.endMs),
    estateId: input.estateId,
    groupRentalShare: input.groupRentalShare,
    groupRentals: units.filter((u) => u.groupRental).length,
    units,
  };
}

export async function writeTruth(path: string, truth: GroundTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(truth, null, 2)}\n`);
}

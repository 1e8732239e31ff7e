import { z } from 'zod';
import { DEVICE_SILENCE_SETTINGS } from './device-health.js';

/** Detection settings; each estate may calibrate them. The defaults are the documented starting point. */
export const DetectionSchema = z.strictObject({
  windowDays: z.number().int().min(1).max(90).default(14).describe('sliding window of event time, in local days'),
  linkGapS: z
    .number()
    .int()
    .min(10)
    .max(3600)
    .default(180)
    .describe('a face entering the building door links to a unit whose lock opens within this many seconds'),
  linkRetentionH: z
    .number()
    .int()
    .min(1)
    .max(168)
    .default(48)
    .describe('how late (event time) a face or an opening may arrive and still be linked with its counterpart'),
  minLinkDays: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(3)
    .describe('distinct days a face must be linked to count as living there'),
  minLinkShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe(
      'a face lives in a unit only if linked to it on at least this share of the days it entered the building (neighbours, cleaners and couriers are linked on a few of many days)',
    ),
  minCredentialDays: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(2)
    .describe('distinct days a credential must open the lock to count as a person living there'),
  overCapacityMargin: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(2)
    .describe(
      'group-rental-suspected when the estimate reaches both capacity + this margin and registered + this margin',
    ),
  unregisteredMargin: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(2)
    .describe('unregistered-occupants when the estimate reaches registered + this margin'),
  recentDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(4)
    .describe(
      'a credential or a face counts only if used or linked within the last this many days of the window, so people who moved out stop counting',
    ),
  confirmDays: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(2)
    .describe('an occupancy alert opens once its condition has held on this many distinct days (1: at once)'),
  confirmDaysAtThreshold: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(5)
    .describe('a group-rental alert whose estimate is just at the threshold opens only after this many days'),
  unregisteredConfirmDays: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(12)
    .describe(
      'an unregistered-occupants alert opens once the excess has lasted this many days (longer than a family visit)',
    ),
  lockSilentHours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .default(48)
    .describe(
      "a lock with no event for this long while its building's door is busy is silent: its unit's assessment is unknown",
    ),
  watchMargin: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(1)
    .describe(
      'lower group-rental margin that keeps an open alert open and re-opens one cleared within watchDays (relapse watch)',
    ),
  watchDays: z
    .number()
    .int()
    .min(0)
    .max(730)
    .default(90)
    .describe(
      "days after a group-rental alert clears during which the unit is held to the lower watch margin (the same 90 days as a rectified case's watch)",
    ),
  clearAfterDays: z
    .number()
    .int()
    .min(0)
    .max(30)
    .default(3)
    .describe('an open occupancy alert clears once its condition has stayed away for this many days (0: at once)'),
  highSeverityRatio: z
    .number()
    .min(1)
    .max(10)
    .default(2)
    .describe('an estimate this many times the capacity makes a group-rental alert high severity'),
  trafficPercentile: z
    .number()
    .min(50)
    .max(100)
    .default(95)
    .describe(
      "door traffic counts people only for a unit at or above this percentile of the estate's openings per day",
    ),
  openingsPerPersonDay: z
    .number()
    .positive()
    .max(50)
    .nullable()
    .default(null)
    .describe(
      "door openings a day per person; null: learnt from the estate's units whose lock names who opens (median)",
    ),
  anonymousShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('a unit whose openings are at least this share by password or key is counted from its door traffic too'),
  sharedCredentialFactor: z
    .number()
    .min(1)
    .max(50)
    .default(3)
    .describe(
      'a unit whose credentials each open the door this many times the per-person rate is counted from its traffic too (one card shared by many)',
    ),
  nightPercentile: z
    .number()
    .min(50)
    .max(100)
    .default(90)
    .describe("night-time share at or above this percentile of the estate's units corroborates an estimate"),
  stairwellRatio: z
    .number()
    .min(1)
    .max(20)
    .default(1.5)
    .describe(
      "people entering a floor by its stairwell per opening of the floor's doors that corroborates an estimate (many bodies, few openings)",
    ),
  minConfidence: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe(
      'an occupancy alert needs at least this confidence: identified people always reach it, door traffic only with a corroborating signal',
    ),
  ...DEVICE_SILENCE_SETTINGS,
});
export type Detection = z.infer<typeof DetectionSchema>;

export const DEFAULT_DETECTION: Detection = DetectionSchema.parse({});

/** The detection settings of each estate: the global ones, calibrated per estate where configured. */
export type DetectionFor = (estateId: string) => Detection;

/** Merges each estate's own settings over the global ones; the merged settings are validated like the global ones. */
export function detectionPerEstate(
  global: Detection,
  perEstate: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): DetectionFor {
  const merged = new Map(
    Object.entries(perEstate).map(([estateId, own]) => [estateId, DetectionSchema.parse({ ...global, ...own })]),
  );
  return (estateId) => merged.get(estateId) ?? global;
}

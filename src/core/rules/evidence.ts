import type { AlertEstimate, Evidence } from '../alerts.js';
import { type ProfileView, unitMetrics } from '../estate-profile.js';
import type { OccupancyEstimate } from '../occupancy.js';
import { linkedFaceDays, type UnitSignals } from '../signals.js';
import { dayToDate } from '../time.js';
import type { UnitRuleContext } from './unit-rule.js';

/** The model's reading as an alert carries it: the counts, the score against capacity and registration, the confidence. */
export function alertEstimate({ estimate, capacity, unit }: UnitRuleContext): AlertEstimate {
  return {
    people: estimate.people,
    basis: estimate.basis,
    capacity,
    registered: unit.registered,
    overCapacity: estimate.people - capacity,
    overRegistered: estimate.people - unit.registered,
    confidence: estimate.confidence,
    factors: estimate.factors,
    counts: estimate.counts,
  };
}

/**
 * The estimate an occupancy rule rests on: the people credentials and faces name, when they alone cross the rule's
 * threshold; else every signal with door traffic, when that crosses it with enough confidence (traffic needs a
 * corroboration). The context with that estimate, or undefined when neither does. Resting on the stronger evidence
 * keeps traffic from weakening an alert the named people already make.
 */
export function restingOn(ctx: UnitRuleContext, crosses: (people: number) => boolean): UnitRuleContext | undefined {
  for (const estimate of [ctx.named, ctx.estimate]) {
    if (crosses(estimate.people) && estimate.confidence >= ctx.detection.minConfidence) return { ...ctx, estimate };
  }
  return undefined;
}

/** "from fingerprints/cards (+2 over the next signal), confidence 0.9" */
export function basisText(estimate: OccupancyEstimate): string {
  const top = estimate.counts.find((c) => c.counts && c.lift > 0);
  const lift = top ? ` (+${top.lift} over the next signal)` : '';
  return `from ${BASIS_WORDS[estimate.basis]}${lift}, confidence ${estimate.confidence}`;
}

const BASIS_WORDS: Record<OccupancyEstimate['basis'], string> = {
  credentials: 'fingerprints/cards in regular use',
  faces: 'faces living in the unit',
  traffic: 'door traffic',
  none: 'no signal',
};

/** The signals every occupancy alert shows, worded for a control-room operator. */
export function occupancyEvidence(ctx: UnitRuleContext): Evidence[] {
  const { signals, detection, profile } = ctx;
  const window = {
    days: signals.window.days,
    from: dayToDate(signals.window.fromDay),
    to: dayToDate(signals.window.toDay),
  };
  const span = `in the ${window.days} days ${window.from} to ${window.to}`;
  const { credentials: c, faces: f, openings: o } = signals;
  return [
    {
      signal: 'active-credentials',
      label: 'Fingerprints/cards in regular use',
      value: c.active,
      threshold: detection.minCredentialDays,
      window,
      text: `${c.active} different fingerprints/cards opened the door on ${detection.minCredentialDays} or more days ${span} (${c.distinct} used at least once).`,
    },
    {
      signal: 'resident-faces',
      label: 'Faces living in the unit',
      value: f.knownResidents + f.unknownResidents,
      threshold: detection.minLinkDays,
      window,
      text: `${f.knownResidents + f.unknownResidents} people were seen entering the building shortly before this door opened on ${detection.minLinkDays} or more days ${span}: ${f.knownResidents} registered, ${f.unknownResidents} not registered in the estate's face library.`,
    },
    {
      signal: 'unregistered-faces',
      label: 'Unregistered faces linked',
      value: f.unknownLinked,
      window,
      text: `${f.unknownLinked} unregistered faces were linked to this door on ${linkedFaceDays(detection.minLinkDays)} or more days ${span}.`,
    },
    {
      signal: 'credential-changes',
      label: 'Credentials enrolled / removed',
      value: c.enrolled + c.removed,
      window,
      text: `${c.enrolled} credentials enrolled and ${c.removed} removed on this lock ${span}.`,
    },
    {
      signal: 'openings',
      label: 'Door openings',
      value: o.identified + o.anonymous,
      window,
      text: `${o.identified} openings by fingerprint/card/app, ${o.anonymous} by password or key (no identity), ${o.failed} failed attempts ${span}.`,
    },
    ...trafficEvidence(signals, window, span, profile),
    ...modelEvidence(ctx, window),
  ];
}

/** What the model made of traffic and the stairwell, and the confidence with its reasons. */
function modelEvidence(ctx: UnitRuleContext, window: Evidence['window']): Evidence[] {
  const { estimate, signals, detection } = ctx;
  const out: Evidence[] = [];
  const recentSpan = `over the ${signals.recent.days} complete days before ${dayToDate(signals.window.toDay)}`;
  const t = estimate.traffic;
  if (t) {
    const where = t.percentile === undefined ? '' : `, percentile ${t.percentile} of the estate's units`;
    const why = t.counts
      ? `it counts here because ${t.blindSpot}`
      : !t.considered
        ? 'the people credentials and faces name are enough on their own, so traffic only corroborates'
        : t.blindSpot
          ? `it does not count: ${t.blindSpot}, but the traffic is below percentile ${detection.trafficPercentile}`
          : 'it does not count: the lock names the people who open it';
    out.push({
      signal: 'door-traffic',
      label: 'People implied by door traffic',
      value: t.people,
      window,
      text: `${t.openingsPerDay} openings a day ${recentSpan}${where}; at ${Math.round(t.openingsPerPerson * 10) / 10} openings a day per person that is what ${t.people} people make; ${why}.`,
    });
  }
  if (ctx.stairwellCounted) {
    const { stairsIn, openings } = signals.floor;
    out.push({
      signal: 'stairwell',
      label: 'People in by the stairwell per door opening on the floor',
      value: openings ? Math.round((stairsIn / openings) * 10) / 10 : 0,
      threshold: detection.stairwellRatio,
      window,
      text: `Floor ${ctx.unit.floor}'s stairwell counted ${stairsIn} people coming in and its doors opened ${openings} times ${recentSpan}.`,
    });
  }
  out.push({
    signal: 'confidence',
    label: 'Confidence of the estimate',
    value: estimate.confidence,
    threshold: detection.minConfidence,
    text: `Confidence ${estimate.confidence}: ${estimate.factors.map((f) => `${f.text} (+${f.weight})`).join('; ') || 'no signal'}.`,
  });
  return out;
}

/** Door traffic and night-time share, each against the estate's own distribution when one is known. */
function trafficEvidence(
  signals: UnitSignals,
  window: Evidence['window'],
  span: string,
  profile: ProfileView | undefined,
): Evidence[] {
  const { openingsPerDay, nightShare } = unitMetrics(signals);
  const perDay = Math.round(openingsPerDay * 10) / 10;
  const nightPct = Math.round(nightShare * 100);
  const than = (p: number | undefined) => (p === undefined ? '' : `, percentile ${p} of the estate's units`);
  return [
    {
      signal: 'openings-per-day',
      label: 'Door openings per day',
      value: perDay,
      window,
      text: `${perDay} door openings a day ${span}${than(profile?.percentile('openingsPerDay', openingsPerDay))}.`,
    },
    {
      signal: 'night-activity',
      label: 'Openings at night (23:00–05:00)',
      value: nightPct,
      window,
      text: `${nightPct}% of the openings ${span} were between 23:00 and 05:00${than(profile?.percentile('nightShare', nightShare))}.`,
    },
  ];
}

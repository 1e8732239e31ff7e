import type { Evidence } from '../alerts.js';
import type { Detection } from '../detection.js';
import { type ProfileView, unitMetrics } from '../estate-profile.js';
import type { UnitSignals } from '../signals.js';
import { dayToDate } from '../time.js';

/** The signals every occupancy alert shows, worded for a control-room operator. */
export function occupancyEvidence(signals: UnitSignals, detection: Detection, profile?: ProfileView): Evidence[] {
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
      text: `${f.unknownLinked} unregistered faces were linked to this door at least once ${span}.`,
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
  ];
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

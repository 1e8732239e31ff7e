import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../src/core/alerts.js';
import { withoutRepeatedClears } from '../../../src/core/repeated-clears.js';
import { groupRentalDraft } from '../../helpers/core-fixtures.js';

const clear = (subject: string, day: number | undefined, eventMs = 1): AlertDecision => ({
  action: 'clear',
  kind: 'group-rental-suspected',
  estateId: 'e1',
  subject,
  eventMs,
  ...(day === undefined ? {} : { persistence: { day, confirmDays: 2, clearAfterDays: 3 } }),
});

describe('withoutRepeatedClears', () => {
  it('keeps the first of consecutive clears of one alert on one day and drops the rest', () => {
    const out = withoutRepeatedClears([clear('u1', 10, 1), clear('u1', 10, 2), clear('u1', 10, 3)]);
    expect(out).toEqual([clear('u1', 10, 1)]);
  });

  it('keeps a clear on a new day: the quiet days count by day', () => {
    expect(withoutRepeatedClears([clear('u1', 10), clear('u1', 11)])).toHaveLength(2);
  });

  it('keeps clears of other alerts, interleaved or not', () => {
    expect(withoutRepeatedClears([clear('u1', 10), clear('u2', 10), clear('u1', 10), clear('u2', 10)])).toEqual([
      clear('u1', 10),
      clear('u2', 10),
    ]);
  });

  it('keeps a clear that follows a raise of the same alert, and every raise', () => {
    const draft = groupRentalDraft('u1', 6);
    const raise: AlertDecision = { action: 'raise', draft, eventMs: 5, fingerprint: 'high|5|10' };
    const clearU1 = { ...clear(draft.subject, 10), kind: draft.kind, estateId: draft.estateId } as AlertDecision;
    const out = withoutRepeatedClears([clearU1, raise, clearU1, raise, raise]);
    expect(out).toEqual([clearU1, raise, clearU1, raise, raise]);
  });

  it('treats clears without hysteresis (alarms) as one day', () => {
    expect(withoutRepeatedClears([clear('d1.smoke', undefined), clear('d1.smoke', undefined)])).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCalendar, DAY_MS, zoneOffsetMinutes } from '../../../simulators/lib/calendar.js';
import { parseCli, seedValue } from '../../../simulators/lib/cli-args.js';

describe('calendar', () => {
  it('formats instants as RFC 3339 in the estate offset, whole seconds', () => {
    const cal = createCalendar('Asia/Shanghai', Date.parse('2026-11-25T23:41:09.700Z'), 1);
    expect(cal.format(Date.parse('2026-11-25T23:41:09.700Z'))).toBe('2026-11-26T07:41:09+08:00');
    expect(zoneOffsetMinutes('Asia/Shanghai', Date.now())).toBe(480);
    expect(zoneOffsetMinutes('UTC', Date.now())).toBe(0);
  });

  it('cuts a span that starts mid-day into local calendar days', () => {
    const start = Date.parse('2026-11-12T09:30:00+08:00');
    const cal = createCalendar('Asia/Shanghai', start, 14);
    expect(cal.calendarDays).toBe(15);
    expect(cal.dayStart(0)).toBe(Date.parse('2026-11-12T00:00:00+08:00'));
    expect(cal.date(14)).toBe('2026-11-26');
    expect(cal.weekday(0)).toBe(4);
    expect(cal.endMs - cal.startMs).toBe(14 * DAY_MS);
    expect(createCalendar('Asia/Shanghai', cal.dayStart(0), 14).calendarDays).toBe(14);
  });
});

describe('CLI flags', () => {
  const schema = z.object({
    days: z.coerce.number().int().min(1).default(14),
    groupRentalShare: z.coerce.number().min(0).max(1).default(0.03),
    dryRun: z.boolean().default(false),
  });

  it('parses kebab-case flags into the schema', () => {
    expect(parseCli(schema, ['--days', '3', '--group-rental-share', '0.1', '--dry-run'], ['dryRun'])).toEqual({
      days: 3,
      groupRentalShare: 0.1,
      dryRun: true,
    });
  });

  it('names the flag in every error', () => {
    expect(() => parseCli(schema, ['--days', '0'])).toThrow(/^--days: /);
    expect(() => parseCli(schema, ['--group-rental-share', 'lots'])).toThrow(/^--group-rental-share: /);
    expect(() => parseCli(schema, ['--dayz', '3'])).toThrow(/--dayz/);
  });

  it('keeps numeric seeds numeric', () => {
    expect(seedValue('42')).toBe(42);
    expect(seedValue('demo-a')).toBe('demo-a');
  });
});

import { describe, expect, it } from 'vitest';
import { DAY_MS, dayToDate, localDay, localHour, zoneOffsetMs } from '../../../src/core/time.js';

const SH = 'Asia/Shanghai';
const ms = (iso: string) => Date.parse(iso);

describe('localDay and localHour in Asia/Shanghai', () => {
  it.each([
    ['2026-11-26T00:00:00+08:00', '2026-11-26', 0],
    ['2026-11-26T07:41:09+08:00', '2026-11-26', 7],
    ['2026-11-26T23:59:59.999+08:00', '2026-11-26', 23],
    ['2026-11-27T00:00:00+08:00', '2026-11-27', 0],
    ['2026-12-31T23:59:59+08:00', '2026-12-31', 23],
    ['2027-01-01T00:00:00+08:00', '2027-01-01', 0],
  ])('puts %s on %s at hour %i', (iso, date, hour) => {
    expect(dayToDate(localDay(ms(iso), SH))).toBe(date);
    expect(localHour(ms(iso), SH)).toBe(hour);
  });

  it('starts a new day at local midnight, which is 16:00 UTC', () => {
    const before = localDay(ms('2026-11-26T15:59:59.999Z'), SH);
    const after = localDay(ms('2026-11-26T16:00:00Z'), SH);
    expect(after - before).toBe(1);
  });

  it('decides the day by the estate zone, not by the offset the device sent', () => {
    // the same instant written with a UTC offset is 02:12 on the 26th in Shanghai
    expect(localDay(ms('2026-11-25T18:12:40Z'), SH)).toBe(localDay(ms('2026-11-26T02:12:40+08:00'), SH));
    expect(dayToDate(localDay(ms('2026-11-25T18:12:40Z'), SH))).toBe('2026-11-26');
  });

  it('numbers days consecutively', () => {
    const d = localDay(ms('2026-11-26T12:00:00+08:00'), SH);
    expect(localDay(ms('2026-11-26T12:00:00+08:00') + 13 * DAY_MS, SH)).toBe(d + 13);
  });
});

describe('localDay in zones with other offsets', () => {
  it('follows a half-hour offset (Asia/Kolkata)', () => {
    expect(dayToDate(localDay(ms('2026-11-26T23:59:00+05:30'), 'Asia/Kolkata'))).toBe('2026-11-26');
    expect(dayToDate(localDay(ms('2026-11-27T00:00:00+05:30'), 'Asia/Kolkata'))).toBe('2026-11-27');
    expect(localHour(ms('2026-11-27T00:29:00+05:30'), 'Asia/Kolkata')).toBe(0);
  });

  it('follows a daylight saving change (Europe/Berlin, 2026-03-29)', () => {
    expect(localHour(ms('2026-03-29T01:30:00+01:00'), 'Europe/Berlin')).toBe(1);
    expect(localHour(ms('2026-03-29T03:30:00+02:00'), 'Europe/Berlin')).toBe(3);
    expect(dayToDate(localDay(ms('2026-03-29T23:59:00+02:00'), 'Europe/Berlin'))).toBe('2026-03-29');
    expect(dayToDate(localDay(ms('2026-03-30T00:00:00+02:00'), 'Europe/Berlin'))).toBe('2026-03-30');
  });

  it('follows a half-hour daylight saving change (Australia/Lord_Howe, 2026-10-04 02:00 → 02:30)', () => {
    expect(zoneOffsetMs(ms('2026-10-04T01:59:00+10:30'), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
    expect(zoneOffsetMs(ms('2026-10-04T02:31:00+11:00'), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
    expect(localHour(ms('2026-10-04T02:45:00+11:00'), 'Australia/Lord_Howe')).toBe(2);
  });
});

import { HOUR_MS, MINUTE_MS } from './calendar.js';
import type { Person, Shift } from './model.js';
import type { Random } from './random.js';

/**
 * Daily routines in local clock time. Each returns the person's outings of one day, `back` possibly on the
 * next day (night shifts). Hours are fractional local hours from midnight: 8.5 is 08:30.
 */

/** `leaveWith`/`backWith`: people who leave or come back with this person (relatives met at the station). */
export type Outing = { leave: number; back: number; leaveWith?: readonly Person[]; backWith?: readonly Person[] };
export type RoutineDay = { dayStartMs: number; weekday: number };

const at = (day: RoutineDay, hours: number) => day.dayStartMs + hours * HOUR_MS;
const isWeekend = (weekday: number) => weekday === 0 || weekday === 6;

/** An outing from `leaveH` lasting `hours`; returned only when it ends before `latestBackH`. */
function trip(day: RoutineDay, leaveH: number, hours: number, latestBackH = 23.9): Outing[] {
  const back = leaveH + hours;
  return back <= latestBackH ? [{ leave: at(day, leaveH), back: at(day, back) }] : [];
}

function freeDay(rng: Random, day: RoutineDay): Outing[] {
  if (rng.chance(0.15)) return [];
  const first = trip(day, rng.float(9, 15), rng.float(1, 5));
  const done = first[0];
  if (!done || !rng.chance(0.6)) return first;
  const backH = (done.back - day.dayStartMs) / HOUR_MS;
  return [...first, ...trip(day, backH + rng.float(1, 3), rng.float(1, 3), 23)];
}

function worker(rng: Random, day: RoutineDay): Outing[] {
  if (isWeekend(day.weekday)) return freeDay(rng, day);
  const leaveH = rng.normal(8.1, 0.4, 6.75, 9.5);
  const backH = rng.chance(0.1) ? rng.normal(21, 0.75, 19.5, 23.5) : rng.normal(18.6, 0.65, 17, 21.5);
  const work = [{ leave: at(day, leaveH), back: at(day, backH) }];
  // An evening errand or a run after dinner.
  return rng.chance(0.35) ? [...work, ...trip(day, backH + rng.float(0.75, 2), rng.float(0.5, 2), 23.5)] : work;
}

function pupil(rng: Random, day: RoutineDay): Outing[] {
  if (isWeekend(day.weekday)) return rng.chance(0.6) ? trip(day, rng.float(8.5, 14), rng.float(2, 3)) : [];
  const backH = rng.normal(16.7, 0.5, 15.8, 18.5);
  const school = [{ leave: at(day, rng.normal(7.2, 0.15, 6.8, 7.7)), back: at(day, backH) }];
  // Out again to play, or to a tutoring class, after homework.
  return rng.chance(0.3) ? [...school, ...trip(day, backH + rng.float(0.5, 2), rng.float(0.5, 1.5), 21)] : school;
}

function retiree(rng: Random, day: RoutineDay): Outing[] {
  const out: Outing[] = [];
  // The morning market, a walk in the afternoon, square dancing after dinner.
  if (rng.chance(0.85)) out.push(...trip(day, rng.normal(6.85, 0.4, 5.75, 8.5), rng.float(0.65, 1.7)));
  if (rng.chance(0.35)) out.push(...trip(day, rng.float(9.5, 11), rng.float(0.5, 1.5)));
  if (rng.chance(0.65)) out.push(...trip(day, rng.float(14, 16), rng.float(0.5, 2)));
  if (rng.chance(0.4)) out.push(...trip(day, rng.normal(19, 0.15, 18.5, 19.5), rng.float(1, 1.5)));
  return out;
}

function homemaker(rng: Random, day: RoutineDay): Outing[] {
  const out = trip(day, rng.float(8.5, 10), rng.float(1, 2));
  if (rng.chance(0.5)) out.push(...trip(day, rng.float(15.8, 16.3), rng.float(0.4, 0.9)));
  if (rng.chance(0.3)) out.push(...trip(day, rng.float(13, 14.5), rng.float(0.5, 1.2)));
  if (rng.chance(0.3)) out.push(...trip(day, rng.float(19.5, 20.5), rng.float(0.5, 1.5)));
  return out;
}

/** Night shifts from Sunday to Thursday night: out about 21:30, home about 06:30 the next morning. */
function nightWorker(rng: Random, day: RoutineDay): Outing[] {
  if (day.weekday === 5 || day.weekday === 6) return freeDay(rng, day);
  const errand = rng.chance(0.35) ? trip(day, rng.float(14, 16), rng.float(1, 2)) : [];
  const leave = at(day, rng.normal(21.5, 0.25, 20.75, 22.25));
  return [...errand, { leave, back: at(day, 24 + rng.normal(6.5, 0.33, 5.75, 7.5)) }];
}

/** Group-rental tenants: shop, restaurant and warehouse shifts, six days a week. */
function tenant(rng: Random, day: RoutineDay, person: Person): Outing[] {
  if (person.dayOff === day.weekday) {
    const free = freeDay(rng, day);
    return rng.chance(0.3) ? [...free, ...trip(day, rng.float(21, 22.5), rng.float(2, 3.5), 27)] : free;
  }
  const work = shiftTrip(rng, day, person.shift ?? 'day');
  const done = work[0];
  if (!done || !rng.chance(0.4)) return work;
  // A run for food or cigarettes: after a day shift, or before a late or night one.
  const offH = (done.back - day.dayStartMs) / HOUR_MS;
  const startH = (done.leave - day.dayStartMs) / HOUR_MS;
  const errand = person.shift === 'day' ? trip(day, offH + rng.float(0.3, 1), rng.float(0.3, 1)) : [];
  const before = person.shift === 'day' ? [] : trip(day, Math.max(0.5, startH - rng.float(2, 4)), rng.float(0.3, 1));
  return [...before, ...work, ...errand];
}

function shiftTrip(rng: Random, day: RoutineDay, shift: Shift): Outing[] {
  switch (shift) {
    case 'day':
      return trip(day, rng.normal(7.75, 0.6, 6, 9.5), rng.normal(12, 1.2, 9, 15), 24.5);
    case 'late':
      return trip(day, rng.normal(10.5, 0.6, 9, 12), rng.normal(12.5, 0.7, 10.5, 14), 26);
    case 'night':
      return trip(day, rng.normal(20.5, 0.6, 19, 22), rng.normal(11, 0.8, 9, 12.5), 34);
  }
}

/** Short-term guests: out sightseeing or at meetings from mid-morning to the evening, now and then a day in. */
function guest(rng: Random, day: RoutineDay): Outing[] {
  if (rng.chance(0.1)) return [];
  const leaveH = rng.normal(9.75, 1, 7.5, 12.5);
  const out = trip(day, leaveH, rng.normal(9.5, 2, 4, 13.5), 23.75);
  const done = out[0];
  // A walk for a late snack after coming back.
  if (done && rng.chance(0.3)) out.push(...trip(day, (done.back - day.dayStartMs) / HOUR_MS + 0.5, 0.6, 23.9));
  return out;
}

/** Outings of one person on one day, in order, never overlapping and never before `awayUntil`. */
export function planOutings(rng: Random, person: Person, day: RoutineDay, awayUntil: number): Outing[] {
  const raw = ((): Outing[] => {
    switch (person.role) {
      case 'worker':
        return worker(rng, day);
      case 'pupil':
        return pupil(rng, day);
      case 'retiree':
        return retiree(rng, day);
      case 'homemaker':
        return homemaker(rng, day);
      case 'night-worker':
        return nightWorker(rng, day);
      case 'tenant':
        return tenant(rng, day, person);
      case 'guest':
        return guest(rng, day);
    }
  })();
  return keepApart(raw, awayUntil);
}

/** Drops outings that start before the person is back from the previous one (plus ten minutes at home). */
export function keepApart(outings: Outing[], awayUntil: number): Outing[] {
  const kept: Outing[] = [];
  let free = awayUntil + 10 * MINUTE_MS;
  for (const o of outings.sort((a, b) => a.leave - b.leave)) {
    if (o.leave < free || o.back <= o.leave + 5 * MINUTE_MS) continue;
    kept.push(o);
    free = o.back + 10 * MINUTE_MS;
  }
  return kept;
}

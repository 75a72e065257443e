import { DateTime } from 'luxon';
import { calendarStart, isIanaTimeZone, nextBoundary, type PeriodCalendar, type PeriodLength } from '../../subgraphs/settlement/periods';

/**
 * The period calendar's arithmetic (subgraphs/settlement/periods.ts) at fixed instants: boundaries
 * at local midnight in the configured zone, across changes of its clocks, in both hemispheres, and
 * where the clocks change at midnight itself.
 */

const HOUR_MS = 3_600_000;
const at = (iso: string) => new Date(iso);
const calendar = (length: PeriodLength, timeZone: string): PeriodCalendar => ({ length, timeZone });

/** The period containing `instant`: its start, end and length in hours. */
function periodOf(instant: string, length: PeriodLength, timeZone: string) {
  const startsAt = calendarStart(at(instant), calendar(length, timeZone));
  const endsAt = nextBoundary(startsAt, calendar(length, timeZone));
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), hours: (endsAt.getTime() - startsAt.getTime()) / HOUR_MS };
}

describe('periods on the UTC calendar (the default)', () => {
  it('start months on the 1st, weeks on Monday and days at midnight, UTC', () => {
    expect(periodOf('2026-02-15T12:34:56Z', 'month', 'UTC')).toEqual({
      startsAt: '2026-02-01T00:00:00.000Z',
      endsAt: '2026-03-01T00:00:00.000Z',
      hours: 28 * 24,
    });
    // Wednesday 4 March 2026: the week of Monday 2 March.
    expect(periodOf('2026-03-04T08:00:00Z', 'week', 'UTC')).toEqual({
      startsAt: '2026-03-02T00:00:00.000Z',
      endsAt: '2026-03-09T00:00:00.000Z',
      hours: 7 * 24,
    });
    expect(periodOf('2026-03-29T12:00:00Z', 'day', 'UTC')).toEqual({
      startsAt: '2026-03-29T00:00:00.000Z',
      endsAt: '2026-03-30T00:00:00.000Z',
      hours: 24,
    });
  });

  it('are the periods of the UTC arithmetic used before the zone setting existed, at every instant', () => {
    // That arithmetic, kept here as the reference: with the default zone nothing moves.
    const utcStart = (instant: Date, length: PeriodLength) => {
      const start = new Date(instant);
      start.setUTCHours(0, 0, 0, 0);
      if (length === 'month') start.setUTCDate(1);
      if (length === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
      return start;
    };
    const utcNext = (start: Date, length: PeriodLength) => {
      const next = new Date(start);
      if (length === 'month') next.setUTCMonth(next.getUTCMonth() + 1, 1);
      else next.setUTCDate(next.getUTCDate() + (length === 'week' ? 7 : 1));
      next.setUTCHours(0, 0, 0, 0);
      if (length === 'week') next.setUTCDate(next.getUTCDate() - ((next.getUTCDay() + 6) % 7));
      return next;
    };
    const stepMs = 7 * HOUR_MS + 13 * 60_000 + 17_001; // lands at every time of day over the years
    const differences: string[] = [];
    for (let ms = Date.parse('2024-01-01T00:00:00Z'); ms < Date.parse('2028-01-01T00:00:00Z'); ms += stepMs) {
      const instant = new Date(ms);
      for (const length of ['month', 'week', 'day'] as const) {
        const utc = calendar(length, 'UTC');
        if (calendarStart(instant, utc).getTime() !== utcStart(instant, length).getTime())
          differences.push(`start ${length} ${instant.toISOString()}`);
        if (nextBoundary(instant, utc).getTime() !== utcNext(instant, length).getTime())
          differences.push(`next ${length} ${instant.toISOString()}`);
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('periods in a time zone with daylight saving time', () => {
  it('Europe/Berlin: the day of 2026-03-29 is 23 hours, that of 2026-10-25 is 25', () => {
    expect(periodOf('2026-03-29T12:00:00Z', 'day', 'Europe/Berlin')).toEqual({
      startsAt: '2026-03-28T23:00:00.000Z', // midnight CET (+01:00)
      endsAt: '2026-03-29T22:00:00.000Z', // midnight CEST (+02:00)
      hours: 23,
    });
    expect(periodOf('2026-10-25T12:00:00Z', 'day', 'Europe/Berlin')).toEqual({
      startsAt: '2026-10-24T22:00:00.000Z',
      endsAt: '2026-10-25T23:00:00.000Z',
      hours: 25,
    });
    // The days either side are 24 hours.
    expect(periodOf('2026-03-28T12:00:00Z', 'day', 'Europe/Berlin').hours).toBe(24);
    expect(periodOf('2026-03-30T12:00:00Z', 'day', 'Europe/Berlin').hours).toBe(24);
  });

  it('Europe/Berlin: March 2026 starts on 2026-02-28T23:00Z and ends at the start of April in summer time', () => {
    expect(periodOf('2026-03-15T12:00:00Z', 'month', 'Europe/Berlin')).toEqual({
      startsAt: '2026-02-28T23:00:00.000Z',
      endsAt: '2026-03-31T22:00:00.000Z',
      hours: 31 * 24 - 1,
    });
    // The first instants of 1 March, local time, are already in March (and the last of February
    // in UTC terms are too).
    expect(periodOf('2026-02-28T23:00:00Z', 'month', 'Europe/Berlin').startsAt).toBe('2026-02-28T23:00:00.000Z');
    expect(periodOf('2026-02-28T22:59:59.999Z', 'month', 'Europe/Berlin').startsAt).toBe('2026-01-31T23:00:00.000Z');
  });

  it('Europe/Berlin: the week across the change starts and ends on Monday at local midnight', () => {
    // Sunday 29 March 2026 is in the week of Monday 23 March; the next week starts on Monday 30 March, in summer time.
    expect(periodOf('2026-03-29T12:00:00Z', 'week', 'Europe/Berlin')).toEqual({
      startsAt: '2026-03-22T23:00:00.000Z',
      endsAt: '2026-03-29T22:00:00.000Z',
      hours: 7 * 24 - 1,
    });
    // Sunday night local time is still that week; Monday 00:00 CEST already the next.
    expect(periodOf('2026-03-29T21:59:59.999Z', 'week', 'Europe/Berlin').startsAt).toBe('2026-03-22T23:00:00.000Z');
    expect(periodOf('2026-03-29T22:00:00Z', 'week', 'Europe/Berlin').startsAt).toBe('2026-03-29T22:00:00.000Z');
  });

  it('America/New_York: 2026-03-08 is 23 hours, 2026-11-01 is 25', () => {
    expect(periodOf('2026-03-08T17:00:00Z', 'day', 'America/New_York')).toEqual({
      startsAt: '2026-03-08T05:00:00.000Z',
      endsAt: '2026-03-09T04:00:00.000Z',
      hours: 23,
    });
    expect(periodOf('2026-11-01T17:00:00Z', 'day', 'America/New_York')).toEqual({
      startsAt: '2026-11-01T04:00:00.000Z',
      endsAt: '2026-11-02T05:00:00.000Z',
      hours: 25,
    });
  });

  it('Australia/Sydney (southern hemisphere): 2026-04-05 is 25 hours, 2026-10-04 is 23, and weeks follow', () => {
    expect(periodOf('2026-04-05T02:00:00Z', 'day', 'Australia/Sydney')).toEqual({
      startsAt: '2026-04-04T13:00:00.000Z', // midnight AEDT (+11:00)
      endsAt: '2026-04-05T14:00:00.000Z', // midnight AEST (+10:00)
      hours: 25,
    });
    expect(periodOf('2026-10-04T02:00:00Z', 'day', 'Australia/Sydney')).toEqual({
      startsAt: '2026-10-03T14:00:00.000Z',
      endsAt: '2026-10-04T13:00:00.000Z',
      hours: 23,
    });
    // Sunday 4 October is the last day of the week of Monday 28 September.
    expect(periodOf('2026-10-04T02:00:00Z', 'week', 'Australia/Sydney')).toEqual({
      startsAt: '2026-09-27T14:00:00.000Z',
      endsAt: '2026-10-04T13:00:00.000Z',
      hours: 7 * 24 - 1,
    });
  });

  it('America/Santiago: on 2026-09-06 the clocks skip midnight, and the day starts when they jump (01:00)', () => {
    expect(periodOf('2026-09-05T16:00:00Z', 'day', 'America/Santiago')).toEqual({
      startsAt: '2026-09-05T04:00:00.000Z',
      endsAt: '2026-09-06T04:00:00.000Z', // 00:00 -04:00 never happens: 01:00 -03:00
      hours: 24,
    });
    expect(periodOf('2026-09-06T16:00:00Z', 'day', 'America/Santiago')).toEqual({
      startsAt: '2026-09-06T04:00:00.000Z',
      endsAt: '2026-09-07T03:00:00.000Z',
      hours: 23,
    });
  });

  it('Atlantic/Azores: on 2026-10-25 midnight happens twice, and the day starts at the first, whichever instant asks', () => {
    for (const instant of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-10-25T13:00:00Z', '2026-10-26T00:59:59Z']) {
      expect(periodOf(instant, 'day', 'Atlantic/Azores')).toEqual({
        startsAt: '2026-10-25T00:00:00.000Z', // 00:00 +00:00, before the clocks go back from 01:00 to 00:00
        endsAt: '2026-10-26T01:00:00.000Z',
        hours: 25,
      });
    }
    expect(periodOf('2026-10-25T13:00:00Z', 'week', 'Atlantic/Azores').endsAt).toBe('2026-10-26T01:00:00.000Z');
  });

  it('tile a whole year of days at local midnight, every day 24 hours but the two days the clocks change', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu']) {
      const daily = calendar('day', timeZone);
      let boundary = calendarStart(at('2026-01-01T12:00:00Z'), daily);
      const lengthsHours = new Map<number, number>();
      for (let day = 0; day < 365; day += 1) {
        const next = nextBoundary(boundary, daily);
        const [local, nextLocal] = [boundary, next].map((b) => DateTime.fromJSDate(b, { zone: timeZone }));
        expect(local!.toFormat('HH:mm:ss.SSS')).toBe('00:00:00.000');
        expect(nextLocal!.toISODate()).toBe(local!.plus({ days: 1 }).toISODate());
        const hours = (next.getTime() - boundary.getTime()) / HOUR_MS;
        lengthsHours.set(hours, (lengthsHours.get(hours) ?? 0) + 1);
        boundary = next;
      }
      const expected =
        timeZone === 'Asia/Kathmandu'
          ? [[24, 365]]
          : [
              [23, 1],
              [24, 363],
              [25, 1],
            ];
      expect([...lengthsHours].sort(([a], [b]) => a - b)).toEqual(expected);
    }
  });
});

describe('a period that does not start on a boundary', () => {
  it('runs to the first boundary strictly after its start: after an early close, or when the zone setting changed', () => {
    // Closed early at 10:00Z on 29 March: the rest of that Berlin day, to its midnight.
    expect(nextBoundary(at('2026-03-29T10:00:00Z'), calendar('day', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // The latest period was a UTC day ending at 2026-01-10T00:00Z; with the zone set to New York,
    // the next period ends at the first New York midnight after that (5 hours), in Berlin at the
    // first Berlin midnight after it (23 hours).
    expect(nextBoundary(at('2026-01-10T00:00:00Z'), calendar('day', 'America/New_York')).toISOString()).toBe('2026-01-10T05:00:00.000Z');
    expect(nextBoundary(at('2026-01-10T00:00:00Z'), calendar('day', 'Europe/Berlin')).toISOString()).toBe('2026-01-10T23:00:00.000Z');
    // A boundary itself is never "after" itself.
    expect(nextBoundary(at('2026-03-01T00:00:00Z'), calendar('month', 'UTC')).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(nextBoundary(at('2026-02-28T23:00:00Z'), calendar('month', 'Europe/Berlin')).toISOString()).toBe('2026-03-31T22:00:00.000Z');
  });
});

describe('the time zone setting', () => {
  it('takes IANA zone names and refuses anything else', () => {
    for (const name of ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Etc/GMT+5'])
      expect(isIanaTimeZone(name)).toBe(true);
    for (const name of ['', 'Mars/Olympus', 'Europe/Berlinn', '+01:00', '-05:00', 'local']) expect(isIanaTimeZone(name)).toBe(false);
  });
});

import { OFFICE_HOURS } from './openingHours.ts';
import { fc, it as prop } from '@fast-check/vitest';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarFor, createBusinessCalendar, type CalendarSpec } from './calendar.ts';
import { parseDuration, type Duration } from './duration.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const H = 3_600_000;
const M = 60_000;

/** A named instant: local wall-clock time in a zone (`2026-01-09T16:30`). */
const at = (iso: string, zone = NY): number => DateTime.fromISO(iso, { zone }).toMillis();
/** The local ISO text of an instant, offset included, for readable failures. */
const show = (t: number, zone = NY): string => DateTime.fromMillis(t, { zone }).toISO() ?? 'invalid';
const dur = (text: string): Duration => {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`not a duration: ${text}`);
  return d;
};

const OFFICE = OFFICE_HOURS;

const spec = (overrides: Partial<CalendarSpec> = {}): CalendarSpec => ({
  timezone: NY,
  hours: OFFICE,
  holidays: { country: 'US', extra: [], ignore: [] },
  ...overrides,
});

const US_OFFICE = createBusinessCalendar(spec());
const add = (start: number, text: string, calendar = US_OFFICE): string =>
  show(calendar.addBusinessTime(start, dur(text)), calendar.spec.timezone);

// Named instants (2026).
const FRI_1630_NY = at('2026-01-09T16:30');
const WED_BEFORE_THANKSGIVING_1630 = at('2026-11-25T16:30');
const FRI_BEFORE_SPRING_FORWARD_1630 = at('2026-03-06T16:30');
const FRI_BEFORE_FALL_BACK_1630 = at('2026-10-30T16:30');
const MON_1500_NY = at('2026-01-12T15:00');

describe('US public holidays (date-holidays, type public)', () => {
  it.each([
    ['2026-01-01', true], // New Year's Day
    ['2026-01-19', true], // Martin Luther King Jr. Day
    ['2026-02-16', true], // Washington's Birthday
    ['2026-05-25', true], // Memorial Day
    ['2026-06-19', true], // Juneteenth
    ['2026-07-03', true], // Independence Day (substitute day): the 4th is a Saturday
    ['2026-09-07', true], // Labor Day
    ['2026-10-12', true], // Columbus Day
    ['2026-11-11', true], // Veterans Day
    ['2026-11-26', true], // Thanksgiving Day
    ['2026-11-27', false], // Day after Thanksgiving: an observance, a working day
    ['2026-12-24', false], // Christmas Eve: optional
    ['2026-12-25', true], // Christmas Day
    ['2026-12-31', false], // New Year's Eve: observance
    ['2021-12-31', true], // New Year's Day 2022 (substitute day), listed in 2021
  ])('%s is a holiday: %s', (date, expected) => {
    expect(US_OFFICE.digest(at(`${date}T12:00`)).isHoliday).toBe(expected);
  });

  it('counts regional holidays for a region', () => {
    const newYork = createBusinessCalendar(
      spec({ holidays: { country: 'US', region: 'NY', extra: [], ignore: [] } }),
    );
    expect(newYork.digest(at('2026-11-03T12:00')).isHoliday).toBe(true); // Election Day
    expect(US_OFFICE.digest(at('2026-11-03T12:00')).isHoliday).toBe(false);
  });
});

describe('N business hours', () => {
  it('an MQL at Friday 16:30 New York with a 4-business-hour SLA is due Monday 12:30', () => {
    expect(add(FRI_1630_NY, '4 business hours')).toBe('2026-01-12T12:30:00.000-05:00');
  });

  it('skips a US public holiday (Thanksgiving) but not the day after', () => {
    expect(add(WED_BEFORE_THANKSGIVING_1630, '4 business hours')).toBe('2026-11-27T12:30:00.000-05:00');
  });

  it('is exact across the March DST change (2026-03-08)', () => {
    expect(add(FRI_BEFORE_SPRING_FORWARD_1630, '4 business hours')).toBe('2026-03-09T12:30:00.000-04:00');
    // 48 wall-clock hours are 48 real hours; the local clock moves by 49.
    expect(add(at('2026-03-07T12:00'), '48h')).toBe('2026-03-09T13:00:00.000-04:00');
    expect(US_OFFICE.businessTimeBetween(at('2026-03-06T09:00'), at('2026-03-09T17:00'))).toBe(16 * H);
  });

  it('is exact across the November DST change (2026-11-01)', () => {
    expect(add(FRI_BEFORE_FALL_BACK_1630, '4 business hours')).toBe('2026-11-02T12:30:00.000-05:00');
    expect(add(at('2026-10-31T12:00'), '48h')).toBe('2026-11-02T11:00:00.000-05:00');
    expect(US_OFFICE.businessTimeBetween(at('2026-10-30T09:00'), at('2026-11-02T17:00'))).toBe(16 * H);
  });

  it('lands on the close when the time runs out exactly there', () => {
    expect(add(at('2026-01-09T13:00'), '4 business hours')).toBe('2026-01-09T17:00:00.000-05:00');
  });

  it('counts from the opening when started outside the hours', () => {
    expect(add(at('2026-01-10T11:00'), '30 business minutes')).toBe('2026-01-12T09:30:00.000-05:00');
    expect(add(at('2026-01-12T07:00'), '1 business hour')).toBe('2026-01-12T10:00:00.000-05:00');
  });

  it('counts back with a negative amount', () => {
    const due = US_OFFICE.addBusinessMs(at('2026-01-12T10:00'), -2 * H);
    expect(show(due)).toBe('2026-01-09T16:00:00.000-05:00');
    expect(US_OFFICE.addBusinessMs(at('2026-01-12T10:00'), 0)).toBe(at('2026-01-12T10:00'));
  });
});

describe('N business days', () => {
  it('is the same local clock time N open days later', () => {
    expect(add(MON_1500_NY, '3 business days')).toBe('2026-01-15T15:00:00.000-05:00');
    expect(add(MON_1500_NY, '5 business days')).toBe('2026-01-20T15:00:00.000-05:00'); // MLK Day skipped
  });

  it('counts from the next opening when started outside the hours', () => {
    expect(add(at('2026-01-10T10:00'), '1 business day')).toBe('2026-01-13T09:00:00.000-05:00');
    expect(add(at('2026-01-12T18:00'), '1 business day')).toBe('2026-01-14T09:00:00.000-05:00');
  });

  it('skips holidays and keeps the local clock across DST', () => {
    expect(add(at('2026-11-25T10:00'), '1 business day')).toBe('2026-11-27T10:00:00.000-05:00');
    expect(add(at('2026-03-06T15:00'), '1 business day')).toBe('2026-03-09T15:00:00.000-04:00');
  });

  it('clamps to the close of a short day and waits for a late opening', () => {
    const short = createBusinessCalendar(
      spec({ hours: { ...OFFICE, tue: '09:00-12:00', wed: '13:00-17:00' } }),
    );
    expect(add(at('2026-01-12T16:30'), '1 business day', short)).toBe('2026-01-13T12:00:00.000-05:00');
    expect(add(at('2026-01-13T10:00'), '1 business day', short)).toBe('2026-01-14T13:00:00.000-05:00');
  });

  it('adds a fraction of the average open day as business time', () => {
    expect(add(MON_1500_NY, '0.5 business days')).toBe('2026-01-13T11:00:00.000-05:00');
    expect(add(MON_1500_NY, '1.5 business days')).toBe('2026-01-14T11:00:00.000-05:00');
  });

  it('business weeks are 7 calendar days at the same clock time, then the next opening', () => {
    expect(add(at('2026-01-05T10:00'), '1 business week')).toBe('2026-01-12T10:00:00.000-05:00');
    expect(add(at('2026-01-12T10:00'), '1 business week')).toBe('2026-01-20T09:00:00.000-05:00'); // MLK Day
  });
});

describe('same business day', () => {
  it.each([
    ['2026-01-12T10:00', '2026-01-12T17:00:00.000-05:00'], // during the day
    ['2026-01-12T07:00', '2026-01-12T17:00:00.000-05:00'], // before the opening
    ['2026-01-12T17:00', '2026-01-13T17:00:00.000-05:00'], // at the close: the next day
    ['2026-01-12T18:00', '2026-01-13T17:00:00.000-05:00'], // after the close
    ['2026-01-10T10:00', '2026-01-12T17:00:00.000-05:00'], // Saturday
    ['2026-11-26T10:00', '2026-11-27T17:00:00.000-05:00'], // Thanksgiving
  ])('from %s is %s', (start, due) => {
    expect(add(at(start), 'same business day')).toBe(due);
  });
});

describe('wall-clock durations', () => {
  it.each([
    ['5m', 5 * M],
    ['4h', 4 * H],
    ['2 weeks', 14 * 24 * H],
    ['1 month', 30 * 24 * H],
  ])('%s adds elapsed time', (text, ms) => {
    expect(US_OFFICE.addBusinessTime(FRI_1630_NY, dur(text)) - FRI_1630_NY).toBe(ms);
  });
});

describe('businessTimeBetween', () => {
  it('is 40 hours over a working week, negative backwards', () => {
    const monday = at('2026-01-12T00:00');
    const nextMonday = at('2026-01-19T00:00');
    expect(US_OFFICE.businessTimeBetween(at('2026-01-05T00:00'), monday)).toBe(40 * H);
    expect(US_OFFICE.businessTimeBetween(monday, at('2026-01-05T00:00'))).toBe(-40 * H);
    expect(US_OFFICE.businessTimeBetween(monday, nextMonday)).toBe(40 * H);
    expect(US_OFFICE.businessTimeBetween(at('2026-11-23T00:00'), at('2026-11-30T00:00'))).toBe(32 * H);
    expect(US_OFFICE.businessTimeBetween(monday, monday)).toBe(0);
  });
});

describe('closed and open dates', () => {
  it('closes an extra date', () => {
    const calendar = createBusinessCalendar(
      spec({ holidays: { country: 'US', extra: ['2026-01-12'], ignore: [] } }),
    );
    expect(add(FRI_1630_NY, '4 business hours', calendar)).toBe('2026-01-13T12:30:00.000-05:00');
    expect(calendar.digest(at('2026-01-12T10:00')).isHoliday).toBe(true);
  });

  it('works on an ignored holiday', () => {
    const calendar = createBusinessCalendar(
      spec({ holidays: { country: 'US', extra: [], ignore: ['2026-11-26'] } }),
    );
    expect(add(WED_BEFORE_THANKSGIVING_1630, '4 business hours', calendar)).toBe(
      '2026-11-26T12:30:00.000-05:00',
    );
    expect(calendar.digest(at('2026-11-26T10:00')).isHoliday).toBe(false);
  });

  it('has no holidays without a country', () => {
    const calendar = createBusinessCalendar(spec({ holidays: { extra: [], ignore: [] } }));
    expect(add(WED_BEFORE_THANKSGIVING_1630, '4 business hours', calendar)).toBe(
      '2026-11-26T12:30:00.000-05:00',
    );
  });
});

describe('other shapes of hours', () => {
  const ALWAYS = createBusinessCalendar(
    spec({
      hours: {
        mon: '00:00-24:00',
        tue: '00:00-24:00',
        wed: '00:00-24:00',
        thu: '00:00-24:00',
        fri: '00:00-24:00',
        sat: '00:00-24:00',
        sun: '00:00-24:00',
      },
      holidays: { extra: [], ignore: [] },
    }),
  );

  it('a 24/7 calendar counts real time, DST included', () => {
    expect(
      ALWAYS.addBusinessTime(at('2026-03-07T23:00'), dur('4 business hours')) - at('2026-03-07T23:00'),
    ).toBe(4 * H);
    expect(ALWAYS.businessTimeBetween(at('2026-03-02T00:00'), at('2026-03-09T00:00'))).toBe(167 * H);
    expect(ALWAYS.businessTimeBetween(at('2026-10-26T00:00'), at('2026-11-02T00:00'))).toBe(169 * H);
    expect(ALWAYS.isOpen(at('2026-03-08T03:00'))).toBe(true);
    expect(add(at('2026-01-12T10:00'), 'same business day', ALWAYS)).toBe('2026-01-13T00:00:00.000-05:00');
  });

  const LUNCH = createBusinessCalendar({
    timezone: BERLIN,
    hours: { ...OFFICE, mon: ['09:00-12:00', '13:00-17:30'] },
    holidays: { country: 'DE', region: 'BY', extra: [], ignore: [] },
  });

  it('a lunch break is closed', () => {
    expect(add(at('2026-01-12T11:00', BERLIN), '2 business hours', LUNCH)).toBe(
      '2026-01-12T14:00:00.000+01:00',
    );
    expect(LUNCH.isOpen(at('2026-01-12T12:30', BERLIN))).toBe(false);
    expect(LUNCH.nextOpening(at('2026-01-12T12:30', BERLIN))).toBe(at('2026-01-12T13:00', BERLIN));
    expect(LUNCH.businessTimeBetween(at('2026-01-12T00:00', BERLIN), at('2026-01-13T00:00', BERLIN))).toBe(
      7.5 * H,
    );
    expect(add(at('2026-01-12T12:30', BERLIN), 'same business day', LUNCH)).toBe(
      '2026-01-12T17:30:00.000+01:00',
    );
  });

  it('a range over a DST change has only the real minutes', () => {
    const night = createBusinessCalendar(spec({ hours: { ...OFFICE, sun: '01:00-03:00' } }));
    expect(night.businessTimeBetween(at('2026-03-08T00:00'), at('2026-03-09T00:00'))).toBe(1 * H);
    expect(night.businessTimeBetween(at('2026-11-01T00:00'), at('2026-11-02T00:00'))).toBe(3 * H);
    // 01:00 EST + 90 business minutes: 02:00 does not exist, so 03:00 EDT is the close.
    expect(add(at('2026-03-08T01:00'), '60 business minutes', night)).toBe('2026-03-08T03:00:00.000-04:00');
    expect(night.addBusinessMs(at('2026-11-01T01:00'), 90 * M)).toBe(at('2026-11-01T01:00') + 90 * M);
  });

  it('an overnight range runs into the next morning', () => {
    const nights = createBusinessCalendar(
      spec({ hours: { ...OFFICE, mon: '22:00-06:00', tue: 'closed' }, holidays: { extra: [], ignore: [] } }),
    );
    expect(nights.isOpen(at('2026-01-13T05:59'))).toBe(true);
    expect(nights.isOpen(at('2026-01-13T06:00'))).toBe(false);
    // Monday 22:00–24:00 and Tuesday 00:00–06:00, though Tuesday itself is closed.
    expect(nights.businessTimeBetween(at('2026-01-12T00:00'), at('2026-01-14T00:00'))).toBe(8 * H);
  });
});

describe('isOpen, nextOpening, digest', () => {
  it('is open in [opening, close)', () => {
    expect(US_OFFICE.isOpen(at('2026-01-12T09:00'))).toBe(true);
    expect(US_OFFICE.isOpen(at('2026-01-12T16:59'))).toBe(true);
    expect(US_OFFICE.isOpen(at('2026-01-12T17:00'))).toBe(false);
    expect(US_OFFICE.isOpen(at('2026-11-26T10:00'))).toBe(false);
  });

  it('finds the next opening', () => {
    expect(show(US_OFFICE.nextOpening(at('2026-01-09T17:00')))).toBe('2026-01-12T09:00:00.000-05:00');
    expect(US_OFFICE.nextOpening(at('2026-01-12T10:00'))).toBe(at('2026-01-12T10:00'));
  });

  it('digests an instant in the calendar zone', () => {
    expect(US_OFFICE.digest(at('2026-11-26T10:15'))).toEqual({
      weekday: 'thu',
      minuteOfDay: 615,
      isHoliday: true,
      date: '2026-11-26',
    });
    expect(US_OFFICE.digest(Date.UTC(2026, 0, 10, 3, 0))).toEqual({
      weekday: 'fri',
      minuteOfDay: 22 * 60,
      isHoliday: false,
      date: '2026-01-09',
    });
  });
});

describe('calendarFor', () => {
  it('derives a rep calendar with their zone and hours, reusing it for the same overrides', () => {
    const rep = calendarFor(US_OFFICE, { timezone: 'Europe/London', hours: { fri: '09:00-13:00' } });
    expect(rep.spec.timezone).toBe('Europe/London');
    expect(add(at('2026-01-09T12:00', 'Europe/London'), '4 business hours', rep)).toBe(
      '2026-01-12T12:00:00.000+00:00',
    );
    expect(calendarFor(US_OFFICE, { timezone: 'Europe/London', hours: { fri: '09:00-13:00' } })).toBe(rep);
    expect(calendarFor(US_OFFICE, {})).toBe(US_OFFICE);
    expect(calendarFor(US_OFFICE, { timezone: NY, hours: { mon: '09:00-17:00' } })).toBe(US_OFFICE);
    // US holidays still apply, as local dates of the rep.
    expect(rep.digest(at('2026-11-26T10:00', 'Europe/London')).isHoliday).toBe(true);
  });
});

describe('invalid calendars', () => {
  it.each([
    [{ timezone: 'Mars/Olympus' }, 'unknown time zone `Mars/Olympus`'],
    [{ holidays: { country: 'XX', extra: [], ignore: [] } }, 'no holiday data for `XX`'],
    [{ holidays: { country: 'US', region: 'ZZ', extra: [], ignore: [] } }, '`ZZ` is not a region of US'],
    [{ holidays: { extra: ['2026-02-30'], ignore: [] } }, '`2026-02-30` is not a date'],
    [{ hours: { ...OFFICE, mon: '9-5' } }, 'calendar.hours.mon: `9-5` is not a time range'],
  ] as const)('%j throws', (overrides, message) => {
    expect(() => createBusinessCalendar(spec(overrides))).toThrow(message);
  });

  it('a calendar that never opens cannot compute business deadlines', () => {
    const closed = createBusinessCalendar(
      spec({
        hours: {
          mon: 'closed',
          tue: 'closed',
          wed: 'closed',
          thu: 'closed',
          fri: 'closed',
          sat: 'closed',
          sun: 'closed',
        },
      }),
    );
    expect(closed.isOpen(FRI_1630_NY)).toBe(false);
    expect(closed.businessTimeBetween(FRI_1630_NY, FRI_1630_NY + 7 * 24 * H)).toBe(0);
    expect(() => closed.addBusinessTime(FRI_1630_NY, dur('4 business hours'))).toThrow(
      'has no opening hours',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties against a brute-force oracle that steps minute by minute and asks luxon for the local
// wall-clock time. luxon costs ~15 µs a call, so the oracle asks once per UTC quarter hour and counts
// the minutes inside it: every offset change of the zones tested falls on a whole UTC hour.

interface OracleCalendar {
  readonly spec: CalendarSpec;
  readonly closed: ReadonlySet<string>;
}

const LUXON_WEEKDAYS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const QUARTER = 15 * M;

function oracle(calendarSpec: CalendarSpec): OracleCalendar {
  const closed = new Set<string>(calendarSpec.holidays.extra);
  const { country, region } = calendarSpec.holidays;
  if (country !== undefined) {
    const source = region === undefined ? new Holidays(country) : new Holidays(country, region);
    for (let year = 2018; year <= 2032; year++) {
      for (const h of source.getHolidays(year)) if (h.type === 'public') closed.add(h.date.slice(0, 10));
    }
  }
  for (const date of calendarSpec.holidays.ignore) closed.delete(date);
  return { spec: calendarSpec, closed };
}

/** Minute ranges of a local date (overnight ranges end past 1440). */
function rangesOf(cal: OracleCalendar, utcDate: Date): [number, number][] {
  if (cal.closed.has(utcDate.toISOString().slice(0, 10))) return [];
  const weekday = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[utcDate.getUTCDay()] ?? 'sun';
  const text = cal.spec.hours[weekday];
  const list = typeof text === 'string' ? (text === 'closed' ? [] : [text]) : text;
  return list.map((range) => {
    const [from = '', to = ''] = range.split('-');
    const minutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
    const a = minutes(from);
    const b = minutes(to);
    return [a, b > a ? b : b + 1440];
  });
}

/** Openness of the 15 minutes of a UTC quarter hour, from one luxon call. */
function quarterOpenness(cal: OracleCalendar, quarter: number): boolean[] {
  const local = DateTime.fromMillis(quarter, { zone: cal.spec.timezone });
  const today = new Date(Date.UTC(local.year, local.month - 1, local.day));
  const yesterday = new Date(Date.UTC(local.year, local.month - 1, local.day - 1));
  const todayRanges = rangesOf(cal, today);
  const yesterdayRanges = rangesOf(cal, yesterday);
  const first = local.hour * 60 + local.minute;
  return Array.from({ length: 15 }, (_, k) => {
    const minute = first + k;
    return (
      todayRanges.some(([a, b]) => a <= minute && minute < b) ||
      yesterdayRanges.some(([a, b]) => a <= minute + 1440 && minute + 1440 < b)
    );
  });
}

function oracleIsOpen(cal: OracleCalendar, t: number, memo = new Map<number, boolean[]>()): boolean {
  const quarter = Math.floor(t / QUARTER) * QUARTER;
  let minutes = memo.get(quarter);
  if (minutes === undefined) {
    minutes = quarterOpenness(cal, quarter);
    memo.set(quarter, minutes);
  }
  return minutes[Math.floor((t - quarter) / M)] ?? false;
}

const MAX_STEPS = 20_000;

function oracleAddMinutes(cal: OracleCalendar, start: number, minutes: number): number {
  const memo = new Map<number, boolean[]>();
  let t = start;
  for (let counted = 0, steps = 0; counted < minutes; steps++) {
    if (steps > MAX_STEPS) throw new Error('oracle: too many steps');
    if (oracleIsOpen(cal, t, memo)) counted++;
    t += M;
  }
  return t;
}

function oracleBetween(cal: OracleCalendar, a: number, b: number): number {
  const memo = new Map<number, boolean[]>();
  let open = 0;
  for (let t = a; t < b; t += M) if (oracleIsOpen(cal, t, memo)) open += M;
  return open;
}

const PROPERTY_SPECS: Record<string, CalendarSpec> = {
  'New York office, US holidays': spec(),
  'Berlin with a lunch break and a Sunday night shift, Bavarian holidays': {
    timezone: BERLIN,
    hours: {
      mon: ['08:00-12:00', '13:00-17:30'],
      tue: ['08:00-12:00', '13:00-17:30'],
      wed: ['08:00-12:00', '13:00-17:30'],
      thu: ['08:00-12:00', '13:00-17:30'],
      fri: '08:00-14:00',
      sat: 'closed',
      sun: '01:30-03:30',
    },
    holidays: { country: 'DE', region: 'BY', extra: ['2024-12-24', '2027-12-31'], ignore: ['2025-01-06'] },
  },
  'New York nights and odd hours': spec({
    hours: {
      mon: '22:00-06:00',
      tue: 'closed',
      wed: '00:00-24:00',
      thu: 'closed',
      fri: ['09:00-12:00', '20:00-02:00'],
      sat: 'closed',
      sun: '01:00-03:00',
    },
    holidays: { country: 'US', extra: ['2023-03-12'], ignore: ['2028-11-23'] },
  }),
};

const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2030, 11, 31);
const anyMinute = fc.integer({ min: FROM / M, max: TO / M }).map((m) => m * M);
const anyInstant = fc.integer({ min: FROM, max: TO });
/** Up to three 8-hour business days, in minutes. */
const businessMinutes = fc.integer({ min: 0, max: 3 * 8 * 60 });

/** Starts within three days of a DST change, 2020–2030 (US and EU dates). */
function nearDstChanges(zone: string): fc.Arbitrary<number> {
  const changes: number[] = [];
  for (let year = 2020; year <= 2030; year++) {
    for (const month of [3, 10, 11]) {
      let previous = DateTime.fromObject({ year, month, day: 1 }, { zone });
      for (let day = 2; day <= 31 && previous.month === month; day++) {
        const next = previous.plus({ days: 1 });
        if (next.offset !== previous.offset) changes.push(next.toMillis());
        previous = next;
      }
    }
  }
  return fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }))
    .map(([change, minutes]) => Math.floor(change / M) * M + minutes * M);
}

describe.each(Object.entries(PROPERTY_SPECS))('properties: %s', (_name, calendarSpec) => {
  const calendar = createBusinessCalendar(calendarSpec);
  const truth = oracle(calendarSpec);
  const zone = calendarSpec.timezone;

  prop.prop([anyMinute, businessMinutes], { numRuns: 200 })(
    'N business minutes from a random minute (2020–2030) equals the minute-stepping oracle',
    (start, minutes) => {
      const due = calendar.addBusinessTime(start, dur(`${minutes} business minutes`));
      expect(show(due, zone)).toBe(show(oracleAddMinutes(truth, start, minutes), zone));
    },
  );

  prop.prop([nearDstChanges(zone), businessMinutes], { numRuns: 150 })(
    'N business minutes near a DST change equals the oracle',
    (start, minutes) => {
      const due = calendar.addBusinessMs(start, minutes * M);
      expect(show(due, zone)).toBe(show(oracleAddMinutes(truth, start, minutes), zone));
    },
  );

  prop.prop([anyMinute, fc.integer({ min: 0, max: 3 * 24 * 60 })], { numRuns: 100 })(
    'businessTimeBetween over up to three days equals the oracle',
    (start, span) => {
      expect(calendar.businessTimeBetween(start, start + span * M)).toBe(
        oracleBetween(truth, start, start + span * M),
      );
    },
  );

  prop.prop(
    [fc.oneof(anyInstant, nearDstChanges(zone)), businessMinutes, fc.constantFrom('minute', 'hour')],
    {
      numRuns: 300,
    },
  )('businessTimeBetween(start, addBusinessTime(start, d)) === d', (start, amount, unit) => {
    const count = unit === 'hour' ? Math.ceil(amount / 60) : amount;
    const due = calendar.addBusinessTime(start, dur(`${count} business ${unit}s`));
    expect(calendar.businessTimeBetween(start, due)).toBe(count * (unit === 'hour' ? H : M));
    expect(calendar.businessTimeBetween(calendar.addBusinessMs(start, -count * M), start)).toBe(count * M);
  });

  prop.prop([anyMinute], { numRuns: 200 })('isOpen and digest agree with luxon', (t) => {
    expect(calendar.isOpen(t)).toBe(oracleIsOpen(truth, t));
    const local = DateTime.fromMillis(t, { zone });
    expect(calendar.digest(t)).toEqual({
      weekday: LUXON_WEEKDAYS[local.weekday],
      minuteOfDay: local.hour * 60 + local.minute,
      isHoliday: truth.closed.has(local.toISODate() ?? ''),
      date: local.toISODate(),
    });
  });
});

describe('localDate', () => {
  // Zones whose clocks change at or across local midnight (the date itself jumps or repeats), a
  // half-hour change, and the everyday ones.
  const ZONES = [
    NY,
    BERLIN,
    'America/Santiago',
    'America/Havana',
    'America/Asuncion',
    'Asia/Beirut',
    'Australia/Lord_Howe',
    'Pacific/Apia',
    'Asia/Kolkata',
  ];
  const calendars = new Map(ZONES.map((zone) => [zone, createBusinessCalendar(spec({ timezone: zone }))]));
  const luxonDate = (t: number, zone: string): string => DateTime.fromMillis(t, { zone }).toISODate() ?? '';

  it('is the local date, around a change of offset at local midnight', () => {
    // Santiago, 2026-04-05: at 00:00 the clock goes back to 23:00 of the 4th.
    const santiago = calendars.get('America/Santiago');
    const fallBack = DateTime.fromISO('2026-04-04T23:30', { zone: 'America/Santiago' }).toMillis();
    for (const t of [fallBack, fallBack + 30 * M, fallBack + 45 * M, fallBack + 90 * M, fallBack + 30 * M])
      expect(santiago?.localDate(t), show(t, 'America/Santiago')).toBe(luxonDate(t, 'America/Santiago'));
  });

  // Runs of instants close together (each asks again within the same date, or just past its end)
  // and far apart, in any order: the remembered last date must never leak into another one.
  prop.prop(
    [
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
      fc.array(
        fc.oneof(fc.integer({ min: -3 * H, max: 3 * H }), fc.integer({ min: -400 * H, max: 400 * H })),
        {
          minLength: 1,
          maxLength: 30,
        },
      ),
    ],
    { numRuns: 500 },
  )('agrees with luxon for any sequence of instants', (zone, start, steps) => {
    const calendar = calendars.get(zone);
    let t = start;
    for (const step of steps) {
      t += step;
      expect(calendar?.localDate(t), `${zone} ${new Date(t).toISOString()}`).toBe(luxonDate(t, zone));
    }
  });
});

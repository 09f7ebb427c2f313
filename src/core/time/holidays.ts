/**
 * Closed dates of a calendar: the public holidays of a country (and optionally one of its states or
 * regions) from date-holidays, plus `extra` closed dates, minus `ignore`d ones.
 *
 * Only holidays of type `public` close a date. date-holidays also knows `bank` holidays (for example
 * Germany's Christmas Eve and New Year's Eve from 14:00), `optional`, `school` and `observance` days
 * (the US day after Thanksgiving): those stay working days; list them under `extra` to close them.
 * A public holiday closes its whole local date in the calendar's time zone, including the substitute
 * days date-holidays lists ("Independence Day (substitute day)").
 */
import Holidays from 'date-holidays';
import { RevopsError } from '../errors.ts';
import { dayFromIso, yearOfDay } from './localDay.ts';

export interface HolidaySpec {
  /** ISO 3166 two-letter country code (`US`, `DE`); no country means no public holidays. */
  readonly country?: string | undefined;
  /** A state or region code within the country (`NY`, `BY`). */
  readonly region?: string | undefined;
  /** Extra closed dates, `YYYY-MM-DD`. */
  readonly extra: readonly string[];
  /** Public holidays worked as normal days, `YYYY-MM-DD`. */
  readonly ignore: readonly string[];
}

export interface HolidayDates {
  /** Whether the local date (a day number) is closed: a public holiday not ignored, or an extra date. */
  isClosed(day: number): boolean;
}

function daysOf(dates: readonly string[], field: 'extra' | 'ignore'): Set<number> {
  const days = new Set<number>();
  for (const text of dates) {
    const day = dayFromIso(text);
    if (day === undefined) {
      throw new RevopsError('config.invalid_value', `calendar.holidays.${field}: \`${text}\` is not a date`, {
        hint: 'write dates like `2026-12-24` (YYYY-MM-DD)',
      });
    }
    days.add(day);
  }
  return days;
}

function publicHolidaySource(country: string, region: string | undefined): Holidays {
  const directory = new Holidays();
  const countries = directory.getCountries('en');
  if (!Object.hasOwn(countries, country)) {
    throw new RevopsError(
      'config.invalid_value',
      `calendar.holidays.country: no holiday data for \`${country}\``,
      {
        hint: 'use a two-letter ISO 3166 country code such as `US`, `GB` or `DE`',
      },
    );
  }
  if (region === undefined) return new Holidays(country, { types: ['public'] });
  const regions = directory.getStates(country, 'en') ?? {};
  if (!Object.hasOwn(regions, region)) {
    const known = Object.keys(regions);
    throw new RevopsError(
      'config.invalid_value',
      `calendar.holidays.region: \`${region}\` is not a region of ${country}`,
      {
        hint:
          known.length === 0
            ? `${country} has no regional holidays: remove \`region\``
            : `use one of ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
      },
    );
  }
  return new Holidays(country, region, { types: ['public'] });
}

/**
 * Builds the closed-date lookup; public holidays are computed lazily and cached per year.
 * Throws `RevopsError` (`config.invalid_value`) for an unknown country or region or a malformed date.
 */
export function createHolidayDates(spec: HolidaySpec): HolidayDates {
  const extra = daysOf(spec.extra, 'extra');
  const ignore = daysOf(spec.ignore, 'ignore');
  const source = spec.country === undefined ? undefined : publicHolidaySource(spec.country, spec.region);
  const publicDays = new Set<number>();
  const loadedYears = new Set<number>();

  function load(year: number): void {
    if (source === undefined || loadedYears.has(year)) return;
    loadedYears.add(year);
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const day = dayFromIso(holiday.date.slice(0, 10));
      if (day !== undefined) publicDays.add(day);
    }
  }

  return {
    isClosed(day) {
      if (extra.has(day)) return true;
      if (source === undefined || ignore.has(day)) return false;
      // A year's list can hold a neighbouring year's substitute day (2021-12-31 for New Year 2022).
      const year = yearOfDay(day);
      load(year - 1);
      load(year);
      load(year + 1);
      return publicDays.has(day);
    },
  };
}

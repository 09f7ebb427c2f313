/** `calendar`: business hours, time zone and holidays used by every business-time duration. */
import { z } from 'zod';
import { OFFICE_HOURS } from '../../core/time/openingHours.ts';
import { dayHours, isoDate, timeZone } from './primitives.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const hoursSchema = z
  .strictObject({
    mon: dayHours.default(OFFICE_HOURS.mon),
    tue: dayHours.default(OFFICE_HOURS.tue),
    wed: dayHours.default(OFFICE_HOURS.wed),
    thu: dayHours.default(OFFICE_HOURS.thu),
    fri: dayHours.default(OFFICE_HOURS.fri),
    sat: dayHours.default(OFFICE_HOURS.sat),
    sun: dayHours.default(OFFICE_HOURS.sun),
  })
  .describe('Opening hours per weekday.');

export const calendarSchema = z
  .strictObject({
    timezone: timeZone.optional().describe('Defaults to company.timezone.'),
    hours: hoursSchema.prefault({}),
    holidays: z
      .strictObject({
        country: z
          .string()
          .regex(/^[A-Z]{2}$/, { error: 'expected a two-letter country code like `US`' })
          .optional()
          .describe('Public holidays of this country (date-holidays data).'),
        region: z.string().optional().describe('A state or region code within the country (e.g. `NY`).'),
        extra: z.array(isoDate).default([]).describe('Extra closed days.'),
        ignore: z.array(isoDate).default([]).describe('Public holidays you work on.'),
      })
      .prefault({}),
  })
  .describe('Business hours and holidays for SLA clocks.');

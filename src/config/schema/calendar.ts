/** `calendar`: business hours, time zone and holidays used by every business-time duration. */
import { z } from 'zod';
import { dayHours, isoDate, timeZone } from './primitives.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const hoursSchema = z
  .strictObject({
    mon: dayHours.default('09:00-17:00'),
    tue: dayHours.default('09:00-17:00'),
    wed: dayHours.default('09:00-17:00'),
    thu: dayHours.default('09:00-17:00'),
    fri: dayHours.default('09:00-17:00'),
    sat: dayHours.default('closed'),
    sun: dayHours.default('closed'),
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

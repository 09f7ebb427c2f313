import { describe, expect, it } from 'vitest';
import { parseDuration, wallMinutes } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['5m', false, 5, 'minute', 5],
    ['15 minutes', false, 15, 'minute', 15],
    ['48h', false, 48, 'hour', 2880],
    ['1 hour', false, 1, 'hour', 60],
    ['90d', false, 90, 'day', 129600],
    ['2 weeks', false, 2, 'week', 20160],
    ['6 months', false, 6, 'month', 259200],
  ] as const)('%s is %s %s %s (%s wall minutes)', (text, business, amount, unit, minutes) => {
    const d = parseDuration(text);
    expect(d).toMatchObject({ kind: 'duration', business, amount, unit });
    expect(wallMinutes(d!)).toBe(minutes);
  });

  it.each([
    ['4 business hours', 4, 'hour'],
    ['3 business days', 3, 'day'],
    ['5 Business Days', 5, 'day'],
  ] as const)('%s is business time', (text, amount, unit) => {
    expect(parseDuration(text)).toEqual({ kind: 'duration', business: true, amount, unit, source: text });
  });

  it('reads "same business day" as the end of the business day', () => {
    expect(parseDuration('same business day')).toEqual({
      kind: 'endOfBusinessDay',
      business: true,
      source: 'same business day',
    });
  });

  it.each(['', '4', 'four hours', '4 fortnights', '-5m', '4 business'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

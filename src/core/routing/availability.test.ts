import { describe, expect, it } from 'vitest';
import {
  at,
  CHICAGO,
  FRI_1000_NY,
  LA,
  MON_1000_NY,
  rep,
  SAT_0600_UTC,
  SAT_0900_UTC,
  team,
} from './__fixtures__/builders.ts';
import { repAvailability, SKIP_REASONS } from './availability.ts';

const POOL = team('pool', ['ana']);
const FREE = { openLeads: 0, today: 0 };

describe('repAvailability', () => {
  it('lists the reasons in the order they are checked', () => {
    expect(SKIP_REASONS).toEqual([
      'inactive',
      'missing_skill',
      'pto',
      'outside_hours',
      'at_capacity_open',
      'at_capacity_day',
      'excluded',
    ]);
  });

  it('an active rep under capacity, not away and not excluded is available', () => {
    expect(repAvailability(rep('ana'), POOL, FREE, MON_1000_NY, [])).toEqual({ available: true });
  });

  it('counts PTO days in the rep zone: Los Angeles off on 2026-11-27 is away at 06:00Z on the 28th, back at 09:00Z', () => {
    const priya = rep('priya', { timezone: LA, pto: [{ from: '2026-11-27', to: '2026-11-27' }] });
    expect(repAvailability(priya, POOL, FREE, FRI_1000_NY, [])).toEqual({
      available: false,
      reason: 'pto',
      detail: 'priya is on PTO 2026-11-27..2026-11-27 (local date 2026-11-27 in America/Los_Angeles)',
    });
    // 06:00Z is 01:00 on the 28th in New York, but still 22:00 on the 27th in Los Angeles.
    expect(repAvailability(priya, POOL, FREE, SAT_0600_UTC, [])).toMatchObject({
      available: false,
      reason: 'pto',
    });
    expect(repAvailability(priya, POOL, FREE, SAT_0900_UTC, [])).toEqual({ available: true });
  });

  it('includes both ends of a PTO range', () => {
    const ana = rep('ana', { pto: [{ from: '2026-11-30', to: '2026-12-02' }] });
    expect(repAvailability(ana, POOL, FREE, at('2026-11-30T00:00'), []).available).toBe(false);
    expect(repAvailability(ana, POOL, FREE, at('2026-12-02T23:59'), []).available).toBe(false);
    expect(repAvailability(ana, POOL, FREE, at('2026-12-03T00:00'), []).available).toBe(true);
    expect(repAvailability(ana, POOL, FREE, at('2026-11-29T23:59'), []).available).toBe(true);
  });

  it('checks working hours in the rep zone only when the team respects them', () => {
    const dan = rep('dan', { timezone: CHICAGO });
    const mon0930NewYork = at('2026-11-30T09:30'); // 08:30 in Chicago
    const strict = team('pool', ['dan'], { respectWorkingHours: true });
    expect(repAvailability(dan, strict, FREE, mon0930NewYork, [])).toEqual({
      available: false,
      reason: 'outside_hours',
      detail: 'dan is outside working hours (mon 08:30 in America/Chicago; team pool respects working hours)',
    });
    expect(repAvailability(dan, strict, FREE, at('2026-11-30T09:00', CHICAGO), [])).toEqual({
      available: true,
    });
    expect(repAvailability(dan, POOL, FREE, mon0930NewYork, [])).toEqual({ available: true });
    expect(repAvailability(dan, undefined, FREE, mon0930NewYork, [])).toEqual({ available: true });
  });

  it.each([
    [{ openLeads: 40, today: 0 }, 'at_capacity_open', 'ana has 40 open leads (maxOpenLeads 40)'],
    [{ openLeads: 41, today: 0 }, 'at_capacity_open', 'ana has 41 open leads (maxOpenLeads 40)'],
    [{ openLeads: 0, today: 5 }, 'at_capacity_day', 'ana has 5 leads today (maxPerDay 5)'],
  ] as const)('skips a rep at capacity: %o → %s', (load, reason, detail) => {
    const ana = rep('ana', { capacity: { maxOpenLeads: 40, maxPerDay: 5 } });
    expect(repAvailability(ana, POOL, load, MON_1000_NY, [])).toEqual({ available: false, reason, detail });
  });

  it('takes a rep one below either limit', () => {
    const ana = rep('ana', { capacity: { maxOpenLeads: 40, maxPerDay: 5 } });
    expect(repAvailability(ana, POOL, { openLeads: 39, today: 4 }, MON_1000_NY, [])).toEqual({
      available: true,
    });
  });

  it('skips an inactive rep and an excluded previous owner', () => {
    expect(repAvailability(rep('ana', { active: false }), POOL, FREE, MON_1000_NY, [])).toEqual({
      available: false,
      reason: 'inactive',
      detail: 'ana is inactive',
    });
    expect(repAvailability(rep('ana'), POOL, FREE, MON_1000_NY, ['ben', 'ana'])).toEqual({
      available: false,
      reason: 'excluded',
      detail: 'ana is excluded from this lead (a previous owner)',
    });
  });

  it('names the first failing check', () => {
    const away = rep('ana', { active: false, pto: [{ from: '2026-11-30', to: '2026-11-30' }] });
    expect(repAvailability(away, POOL, FREE, MON_1000_NY, ['ana'])).toMatchObject({ reason: 'inactive' });
    const full = rep('ana', { capacity: { maxOpenLeads: 1, maxPerDay: 1 } });
    expect(repAvailability(full, POOL, { openLeads: 1, today: 1 }, MON_1000_NY, ['ana'])).toMatchObject({
      reason: 'at_capacity_open',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { at, MON_1000_NY, rep, team } from './__fixtures__/builders.ts';
import { repAvailability } from './availability.ts';
import { applyRepOverrides, isEmptyOverride, overrideRep, patchOverride } from './overrides.ts';

const ANA = rep('ana', {
  capacity: { maxOpenLeads: 10, maxPerDay: 3 },
  pto: [{ from: '2027-01-04', to: '2027-01-08' }],
});
const BEN = rep('ben');
const POOL = team('pool', ['ana', 'ben']);
const FREE = { openLeads: 0, today: 0 };

describe('overrideRep', () => {
  it('keeps the config rep (the same object) when the override changes nothing', () => {
    expect(overrideRep(ANA, undefined)).toBe(ANA);
    expect(overrideRep(ANA, {})).toBe(ANA);
    expect(overrideRep(ANA, { capacity: {} })).toBe(ANA);
    expect(isEmptyOverride({ capacity: { maxPerDay: undefined } })).toBe(true);
    expect(isEmptyOverride({ active: true })).toBe(false);
  });

  it('replaces active and the whole PTO list, and each capacity figure on its own', () => {
    const away = overrideRep(ANA, {
      active: false,
      pto: [{ from: '2026-11-30', to: '2026-11-30', note: 'sick day' }],
      capacity: { maxPerDay: 5 },
    });
    expect(away.active).toBe(false);
    expect(away.pto).toEqual([{ from: '2026-11-30', to: '2026-11-30' }]);
    expect(away.capacity).toEqual({ maxOpenLeads: 10, maxPerDay: 5 });
    expect(away.calendar).toBe(ANA.calendar);
    expect(ANA.active).toBe(true);
  });

  it('an empty PTO list clears the config PTO', () => {
    expect(overrideRep(ANA, { pto: [] }).pto).toEqual([]);
  });

  it('the availability checks read the overridden values', () => {
    expect(repAvailability(overrideRep(ANA, { active: false }), POOL, FREE, MON_1000_NY, [])).toEqual({
      available: false,
      reason: 'inactive',
      detail: 'ana is inactive',
    });
    const sick = overrideRep(ANA, { pto: [{ from: '2026-11-30', to: '2026-12-01' }] });
    expect(repAvailability(sick, POOL, FREE, MON_1000_NY, [])).toEqual({
      available: false,
      reason: 'pto',
      detail: 'ana is on PTO 2026-11-30..2026-12-01 (local date 2026-11-30 in America/New_York)',
    });
    expect(repAvailability(sick, POOL, FREE, at('2026-12-02T09:00'), [])).toEqual({ available: true });
    const capped = overrideRep(ANA, { capacity: { maxPerDay: 1 } });
    expect(repAvailability(capped, POOL, { openLeads: 0, today: 1 }, MON_1000_NY, [])).toEqual({
      available: false,
      reason: 'at_capacity_day',
      detail: 'ana has 1 leads today (maxPerDay 1)',
    });
  });
});

describe('applyRepOverrides', () => {
  const reps = new Map([
    ['ana', ANA],
    ['ben', BEN],
  ]);

  it('returns the same map when no override names a configured rep', () => {
    expect(applyRepOverrides(reps, new Map())).toBe(reps);
    expect(applyRepOverrides(reps, new Map([['gone', { active: false }]]))).toBe(reps);
  });

  it('replaces only the overridden reps, keeping the order', () => {
    const next = applyRepOverrides(reps, new Map([['ben', { active: false }]]));
    expect([...next.keys()]).toEqual(['ana', 'ben']);
    expect(next.get('ana')).toBe(ANA);
    expect(next.get('ben')?.active).toBe(false);
  });
});

describe('patchOverride', () => {
  const current = {
    active: false,
    pto: [{ from: '2026-12-01', to: '2026-12-02' }],
    capacity: { maxPerDay: 4 },
  };

  it('keeps what the patch leaves out and replaces what it sets', () => {
    expect(patchOverride(current, { capacity: { maxOpenLeads: 50 } })).toEqual({
      active: false,
      pto: [{ from: '2026-12-01', to: '2026-12-02' }],
      capacity: { maxOpenLeads: 50, maxPerDay: 4 },
    });
    expect(
      patchOverride({}, { active: true, pto: [{ from: '2027-01-04', to: '2027-01-04', note: 'dentist' }] }),
    ).toEqual({
      active: true,
      pto: [{ from: '2027-01-04', to: '2027-01-04', note: 'dentist' }],
    });
  });

  it('null removes a field (the config applies again); removing everything leaves an empty override', () => {
    expect(patchOverride(current, { active: null, capacity: { maxPerDay: null } })).toEqual({
      pto: [{ from: '2026-12-01', to: '2026-12-02' }],
    });
    const cleared = patchOverride(current, { active: null, pto: null, capacity: null });
    expect(cleared).toEqual({});
    expect(isEmptyOverride(cleared)).toBe(true);
  });
});

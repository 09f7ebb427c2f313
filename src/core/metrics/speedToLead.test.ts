import { describe, expect, it } from 'vitest';
import {
  clock,
  DAY_MS,
  HOUR_MS,
  input,
  JAN,
  lead,
  MINUTE_MS,
  model,
  MON,
  MON_0900,
  touch,
} from './__fixtures__/builders.ts';
import { speedToLeadMetrics } from './speedToLead.ts';

const M = MINUTE_MS;
const NOW = MON + 10 * DAY_MS; // Thursday 15 January 00:00 UTC
const TUE_0900 = MON_0900 + DAY_MS;
const WED_1000 = MON_0900 + 2 * DAY_MS + HOUR_MS;
const THU_1000 = MON_0900 + 3 * DAY_MS + HOUR_MS;
const FRI_0900 = MON_0900 + 4 * DAY_MS;

/** MQLs (first seen as MQL) and their first touches, one per response bucket and a few misses. */
function week() {
  const mql = (key: string, at: number, sqlAfter?: number) =>
    lead(
      sqlAfter === undefined ? { key, at, path: ['mql'] } : { key, at, path: ['mql', 'sql'], step: sqlAfter },
    );
  return input({
    leads: [
      mql('a', MON_0900, HOUR_MS),
      mql('b', TUE_0900, HOUR_MS),
      mql('c', TUE_0900 + 5 * HOUR_MS),
      mql('d', WED_1000),
      mql('e', WED_1000, 5 * HOUR_MS),
      mql('f', THU_1000),
      mql('g', THU_1000), // never touched
      mql('h', NOW - 2 * M), // SLA not over yet: pending
      mql('i', MON - DAY_MS), // before the window
      mql('j', FRI_0900), // touched only before becoming an MQL
    ],
    touches: [
      touch('a', MON_0900 + 2 * M),
      touch('b', TUE_0900 + 7 * M),
      touch('c', TUE_0900 + 5 * HOUR_MS + 20 * M),
      touch('d', WED_1000 + 45 * M),
      touch('e', WED_1000 + 3 * HOUR_MS),
      touch('f', THU_1000 + 2 * DAY_MS),
      touch('i', MON - DAY_MS + M),
      touch('j', FRI_0900 - HOUR_MS),
    ],
    clocks: [
      // b's clock counted business time (met) though the touch came after 7 wall minutes
      clock({
        contactKey: 'b',
        startedAt: TUE_0900,
        status: 'met',
        business: true,
        target: '5 business minutes',
      }),
      clock({ contactKey: 'd', startedAt: WED_1000, status: 'breached' }),
      // another clock: ignored
      clock({
        contactKey: 'c',
        startedAt: TUE_0900 + 5 * HOUR_MS,
        clockId: 'mql-first-touch',
        status: 'met',
      }),
    ],
  });
}

describe('speed to lead', () => {
  it('measures the first touch after each MQL entry and judges it by the clock, else the wall clock', () => {
    const s = speedToLeadMetrics(week(), model(), JAN, NOW);
    expect(s.sla).toEqual({ targetMs: 5 * M, clockId: 'speed-to-lead' });
    expect([s.mqls, s.contacted, s.notContacted, s.pending]).toEqual([9, 6, 3, 1]);
    // responses 2, 7, 20, 45, 180, 2880 minutes
    expect(s.averageMs).toEqual({
      value: 31_340_000, // 3134 / 6 minutes
      benchmark: { max: 5 * M },
      status: 'high',
    });
    expect(s.medianMs).toEqual({ value: 32.5 * M, benchmark: { max: 5 * M }, status: 'high' });
    // hits: a (wall), b (clock); misses: c, e, f (wall, late), d (clock), g and j (never touched)
    expect(s.judged).toEqual({ within: 2, missed: 6, byClock: 2, byWallClock: 6 });
    expect(s.withinSla).toEqual({ value: 0.25, benchmark: { min: 0.9 }, status: 'low' });
  });

  it('falls back to the wall clock for every entry without a speed-to-lead clock', () => {
    const { speedToLeadClock: _clock, ...wallOnly } = model();
    const s = speedToLeadMetrics(week(), wallOnly, JAN, NOW);
    expect(s.sla.clockId).toBeNull();
    expect(s.judged).toEqual({ within: 1, missed: 7, byClock: 0, byWallClock: 8 });
    expect(s.withinSla.value).toBe(0.125);
  });

  it('converts to SQL by response bucket', () => {
    expect(speedToLeadMetrics(week(), model(), JAN, NOW).byResponse).toEqual([
      { bucket: 'under_5m', label: '< 5 min', leads: 1, sqls: 1, conversion: 1 },
      { bucket: '5_10m', label: '5–10 min', leads: 1, sqls: 1, conversion: 1 },
      { bucket: '10_30m', label: '10–30 min', leads: 1, sqls: 0, conversion: 0 },
      { bucket: '30_60m', label: '30–60 min', leads: 1, sqls: 0, conversion: 0 },
      { bucket: '1_24h', label: '1–24 h', leads: 1, sqls: 1, conversion: 1 },
      { bucket: 'over_24h', label: '> 24 h', leads: 1, sqls: 0, conversion: 0 },
    ]);
  });

  it('breaks arrivals down by local hour and weekday', () => {
    const s = speedToLeadMetrics(week(), model(), JAN, NOW);
    const hours = s.byHour.filter((h) => h.mqls > 0);
    expect(hours).toEqual([
      { hour: 9, mqls: 3, contacted: 2, medianMs: 4.5 * M, withinSla: 0.6667 },
      { hour: 10, mqls: 4, contacted: 3, medianMs: 180 * M, withinSla: 0 },
      { hour: 14, mqls: 1, contacted: 1, medianMs: 20 * M, withinSla: 0 },
      { hour: 23, mqls: 1, contacted: 0, medianMs: null, withinSla: null },
    ]);
    expect(s.byHour).toHaveLength(24);
    expect(s.byWeekday).toEqual([
      { weekday: 'mon', mqls: 1, contacted: 1, medianMs: 2 * M, withinSla: 1 },
      { weekday: 'tue', mqls: 2, contacted: 2, medianMs: 13.5 * M, withinSla: 0.5 },
      { weekday: 'wed', mqls: 3, contacted: 2, medianMs: 112.5 * M, withinSla: 0 },
      { weekday: 'thu', mqls: 2, contacted: 1, medianMs: 2880 * M, withinSla: 0 },
      { weekday: 'fri', mqls: 1, contacted: 0, medianMs: null, withinSla: 0 },
      { weekday: 'sat', mqls: 0, contacted: 0, medianMs: null, withinSla: null },
      { weekday: 'sun', mqls: 0, contacted: 0, medianMs: null, withinSla: null },
    ]);
  });

  it('gives null figures with a reason when nobody became an MQL', () => {
    const s = speedToLeadMetrics(input({}), model(), JAN, NOW);
    expect(s.medianMs).toEqual({
      value: null,
      benchmark: { max: 5 * M },
      status: 'n/a',
      reason: 'no MQL was contacted',
    });
  });
});

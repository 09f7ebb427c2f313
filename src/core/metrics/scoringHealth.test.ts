import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  deal,
  HOUR_MS,
  input,
  JAN,
  lead,
  model,
  MON,
  MON_0900,
  zoned,
} from './__fixtures__/builders.ts';
import { addDays, weekOf } from './period.ts';
import { scoringFromCounts, scoringHealth, scoringWeeks } from './scoringHealth.ts';

const WEEK = 7 * DAY_MS;
const REJECT = 'sales_decision reject FIT-01 (Company too small): nurture';

function mql(key: string, at: number, outcome: 'accept' | 'reject' | 'pending') {
  if (outcome === 'pending') return lead({ key, at, path: ['mql'] });
  if (outcome === 'accept') return lead({ key, at, path: ['mql', 'sql'] });
  return lead({ key, at, path: ['mql', 'recycled'], reasons: { recycled: REJECT } });
}

/** Two MQLs a week in December, then 2, 6, 2 and 1 in the four weeks from 5 January. */
function weeks(dealsInSpikeWeek = 1) {
  const december = Array.from({ length: 8 }, (_, i) =>
    mql(`dec${i}`, MON_0900 - (4 - Math.floor(i / 2)) * WEEK, 'accept'),
  );
  const jan = (week: number, outcomes: readonly ('accept' | 'reject' | 'pending')[]) =>
    outcomes.map((o, i) => mql(`w${week}-${i}`, MON_0900 + week * WEEK + i * HOUR_MS, o));
  const deals = [
    ...[-4, -3, -2, -1, 0].map((w) => deal({ id: `d${w}`, moves: [['qualified', MON_0900 + w * WEEK]] })),
    ...Array.from({ length: dealsInSpikeWeek }, (_, i) =>
      deal({ id: `s${i}`, moves: [['qualified', MON_0900 + WEEK + i * HOUR_MS]] }),
    ),
  ];
  return input({
    leads: [
      ...december,
      ...jan(0, ['accept', 'reject']),
      ...jan(1, ['reject', 'reject', 'reject', 'reject', 'reject', 'reject']),
      ...jan(2, ['accept', 'pending']),
      ...jan(3, ['reject']),
    ],
    deals,
  });
}

describe('scoring health', () => {
  it('trends MQLs per week against the 4 weeks before and flags a spike without new deals', () => {
    const h = scoringHealth(weeks(), model(), JAN, JAN.to);
    expect(h.weeks).toEqual([
      {
        week: '2026-01-05',
        mqls: 2,
        trailingAverage: 2,
        dealsCreated: 1,
        dealsTrailingAverage: 1,
        spike: false,
      },
      {
        week: '2026-01-12',
        mqls: 6,
        trailingAverage: 2,
        dealsCreated: 1,
        dealsTrailingAverage: 1,
        spike: true,
      },
      {
        week: '2026-01-19',
        mqls: 2,
        trailingAverage: 3,
        dealsCreated: 0,
        dealsTrailingAverage: 1,
        spike: false,
      },
      {
        week: '2026-01-26',
        mqls: 1,
        trailingAverage: 3,
        dealsCreated: 0,
        dealsTrailingAverage: 0.75,
        spike: false,
      },
    ]);
    expect(h.warnings.map((w) => [w.code, w.week])).toEqual([
      ['low_acceptance', undefined],
      ['mql_spike_without_pipeline', '2026-01-12'],
    ]);
  });

  it('computes acceptance over decided MQLs and recommends recalibration below 30%', () => {
    const h = scoringHealth(weeks(), model(), JAN, JAN.to);
    expect(h.decisions).toEqual({ accepted: 2, rejected: 8, pending: 1 });
    expect(h.acceptance).toEqual({ value: 0.2, benchmark: { min: 0.3 }, status: 'low' });
    expect(h.warnings[0]).toEqual({
      code: 'low_acceptance',
      message: 'Sales accepted 2 of 10 MQLs (20%), below 30%.',
      hint: 'Recalibrate scoring (`revops calibrate`): tighten fit criteria or raise the MQL threshold.',
    });
  });

  it('does not warn about a spike the pipeline grew with', () => {
    const h = scoringHealth(weeks(3), model(), JAN, JAN.to);
    expect(h.weeks[1]).toMatchObject({ spike: true, dealsCreated: 3 });
    expect(h.warnings.map((w) => w.code)).toEqual(['low_acceptance']);
  });
});

describe('scoring weeks as instants', () => {
  const iso = (at: number) => new Date(at).toISOString();

  it('are the 4 weeks before the first week shown, then the weeks shown, Monday to Monday', () => {
    // Wednesday 7 to Wednesday 14 January (UTC): the weeks of 5 and 12 January are shown.
    const spans = scoringWeeks(model(), { from: MON + 2 * DAY_MS, to: MON + 9 * DAY_MS });
    expect(spans.map((s) => [s.week, iso(s.from), iso(s.to)])).toEqual([
      ['2025-12-08', '2025-12-08T00:00:00.000Z', '2025-12-15T00:00:00.000Z'],
      ['2025-12-15', '2025-12-15T00:00:00.000Z', '2025-12-22T00:00:00.000Z'],
      ['2025-12-22', '2025-12-22T00:00:00.000Z', '2025-12-29T00:00:00.000Z'],
      ['2025-12-29', '2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
      ['2026-01-05', '2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
      ['2026-01-12', '2026-01-12T00:00:00.000Z', '2026-01-19T00:00:00.000Z'],
    ]);
  });

  it.each([
    // Half-hour offset, clocks forward on Sunday 4 October: the week of 28 September has 167 hours.
    ['Australia/Adelaide', '2026-10-01T00:00:00+09:30', '2026-10-22T00:00:00+10:30', '2026-09-28', 167],
    // Clocks back on Sunday 1 November: the week of 26 October has 169 hours.
    ['America/New_York', '2026-10-20T12:00:00-04:00', '2026-11-03T00:00:00-05:00', '2026-10-26', 169],
    // A quarter-hour offset, no DST.
    ['Asia/Kathmandu', '2026-01-05T00:00:00+05:45', '2026-01-06T00:00:00+05:45', '2026-01-05', 168],
    // Half-hour offset, clocks forward on Sunday 8 March (at 02:00).
    ['America/St_Johns', '2026-03-02T00:00:00-03:30', '2026-03-20T00:00:00-02:30', '2026-03-02', 167],
  ])('start where the local week turns in %s', (zone, from, to, week, hours) => {
    const local = model(zoned(zone));
    const spans = scoringWeeks(local, { from: Date.parse(from), to: Date.parse(to) });
    for (const span of spans) {
      expect(weekOf(span.from, local)).toBe(span.week);
      expect(weekOf(span.from - 1, local)).toBe(addDays(span.week, -7));
      expect(weekOf(span.to - 1, local)).toBe(span.week);
    }
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.from).toBe(spans[i - 1]?.to);
    const changed = spans.find((s) => s.week === week);
    expect(changed && (changed.to - changed.from) / HOUR_MS).toBe(hours);
    expect(spans.filter((s) => s.to - s.from !== 168 * HOUR_MS).map((s) => s.week)).toEqual(
      hours === 168 ? [] : [week],
    );
  });

  it('begins the week of 28 September in Adelaide at its local midnight (+09:30)', () => {
    const spans = scoringWeeks(model(zoned('Australia/Adelaide')), {
      from: Date.parse('2026-10-01T00:00:00+09:30'),
      to: Date.parse('2026-10-02T00:00:00+09:30'),
    });
    expect(spans.map((s) => [s.week, iso(s.from)]).slice(-1)).toEqual([
      ['2026-09-28', '2026-09-27T14:30:00.000Z'],
    ]);
    expect(iso(spans[spans.length - 1]?.to ?? 0)).toBe('2026-10-04T13:30:00.000Z');
  });
});

describe('scoring health from counts', () => {
  it('reads absent weeks as zero and counts decisions as given', () => {
    const h = scoringFromCounts(
      {
        mqls: new Map([['2026-01-05', 3]]),
        deals: new Map(),
        decisions: { accepted: 1, rejected: 0, pending: 2 },
      },
      model(),
      { from: MON, to: MON + DAY_MS },
    );
    expect(h).toEqual({
      weeks: [
        {
          week: '2026-01-05',
          mqls: 3,
          trailingAverage: 0,
          dealsCreated: 0,
          dealsTrailingAverage: 0,
          spike: false,
        },
      ],
      acceptance: { value: 1, benchmark: { min: 0.3 }, status: 'ok' },
      decisions: { accepted: 1, rejected: 0, pending: 2 },
      warnings: [],
    });
  });
});

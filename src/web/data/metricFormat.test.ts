/**
 * Writing a metric figure as a KPI card: each kind of value, the benchmark band as text, and the
 * tone — ok good; low/high bad, or warn within 20% of the band's edge (the reference benchmarks:
 * lead → MQL 5–15%, MQL → SQL 30–50%, win rate 20–30%, speed to lead ≤ 5 min, contacted within the
 * SLA ≥ 90%, LTV:CAC 3:1–5:1, pipeline coverage 3–4×); n/a neutral with its reason.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Figure } from '../../core/metrics/index.ts';
import { figureTone, MetricFormat, trimmed, type FigureKind } from './metricFormat.ts';

const usd = new MetricFormat('USD');

describe('values', () => {
  it.each<[number | null, FigureKind, string]>([
    [0.1207, 'rate', '12.1%'],
    [0.75, 'rate', '75%'],
    [0, 'rate', '0%'],
    [24000, 'money', '$24,000'],
    [152.5, 'money', '$153'],
    [12.5, 'money', '$12.50'],
    [1500, 'moneyPerDay', '$1,500 a day'],
    [0.04, 'multiple', '0.04×'],
    [3.25, 'ratio', '3.25:1'],
    [150_000, 'duration', '2 min 30 s'],
    [240_000, 'duration', '4 min'],
    [45_000, 'duration', '45 s'],
    [2_871_181, 'duration', '47 min'],
    [8, 'days', '8 days'],
    [1, 'days', '1 day'],
    [14.25, 'months', '14.3 months'],
    [1705, 'count', '1,705'],
    [null, 'rate', '—'],
  ])('%s as %s is %s', (value, kind, text) => {
    expect(usd.value(value, kind)).toBe(text);
  });

  it('writes another currency by its symbol or code', () => {
    expect(new MetricFormat('EUR').value(24000, 'money')).toBe('€24,000');
    expect(new MetricFormat('CHF').value(24000, 'money')).toBe('CHF\u00a024,000');
  });

  it('drops trailing zeros only after the point', () => {
    expect([trimmed(12.1, 1), trimmed(75, 1), trimmed(100, 2), trimmed(0.5, 2)]).toEqual([
      '12.1',
      '75',
      '100',
      '0.5',
    ]);
  });
});

describe('benchmarks', () => {
  it.each<[Figure['benchmark'], FigureKind, string | undefined]>([
    [{ min: 0.05, max: 0.15 }, 'rate', '5–15%'],
    [{ min: 0.9 }, 'rate', '≥ 90%'],
    [{ max: 300_000 }, 'duration', '≤ 5 min'],
    [{ min: 3, max: 4 }, 'multiple', '3–4×'],
    [{ min: 3, max: 5 }, 'ratio', '3:1–5:1'],
    [{}, 'rate', undefined],
    [undefined, 'rate', undefined],
  ])('%j as %s is %s', (band, kind, text) => {
    expect(usd.benchmark(band, kind)).toBe(text);
  });
});

describe('tones', () => {
  const rate = (value: number | null, status: Figure['status'], min?: number, max?: number): Figure =>
    Object.assign(
      { value, status },
      min === undefined && max === undefined
        ? {}
        : { benchmark: Object.assign({}, min === undefined ? {} : { min }, max === undefined ? {} : { max }) },
    );

  it.each<[string, Figure, string]>([
    ['inside the band', rate(0.12, 'ok', 0.05, 0.15), 'good'],
    ['just below the floor (75% of 90%: within 20%)', rate(0.75, 'low', 0.9), 'warn'],
    ['at 80% of the floor', rate(0.72, 'low', 0.9), 'warn'],
    ['far below the floor', rate(0.2857, 'low', 0.9), 'bad'],
    ['just above the ceiling (17% against 15%)', rate(0.17, 'high', 0.05, 0.15), 'warn'],
    ['at 120% of the ceiling', rate(0.18, 'high', 0.05, 0.15), 'warn'],
    ['far above the ceiling', rate(0.6667, 'high', 0.05, 0.15), 'bad'],
    ['speed to lead 6 min against ≤ 5 min', rate(360_000, 'high', undefined, 300_000), 'warn'],
    ['speed to lead 47 min', rate(2_871_181, 'high', undefined, 300_000), 'bad'],
    ['no benchmark', rate(0.5, 'n/a'), 'neutral'],
    ['no value', rate(null, 'n/a', 3, 5), 'neutral'],
  ])('%s: %s', (_name, figure, tone) => {
    expect(figureTone(figure)).toBe(tone);
  });

  fcTest.prop([fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true })])(
    'a low value is warn exactly when it is at least 80% of the floor',
    (min, value) => {
      fc.pre(value < min && Math.abs(value - min * 0.8) > 1e-6);
      expect(figureTone({ value, status: 'low', benchmark: { min } })).toBe(
        value >= min * 0.8 ? 'warn' : 'bad',
      );
    },
  );
});

describe('cards', () => {
  it('writes the value, the band, the tone and the note', () => {
    expect(
      usd.card(
        'Lead → MQL',
        { value: 0.6667, benchmark: { min: 0.05, max: 0.15 }, status: 'high' },
        'rate',
        '4 of 6 leads',
      ),
    ).toEqual({
      label: 'Lead → MQL',
      value: '66.7%',
      benchmark: '5–15%',
      status: 'bad',
      note: '4 of 6 leads',
    });
  });

  it('puts the reason in the note when there is no value', () => {
    expect(
      usd.card(
        'LTV:CAC',
        {
          value: null,
          benchmark: { min: 3, max: 5 },
          status: 'n/a',
          reason: 'set metrics.economics.monthlyChurn',
        },
        'ratio',
        'ignored without a value',
      ),
    ).toEqual({
      label: 'LTV:CAC',
      value: '—',
      benchmark: '3:1–5:1',
      status: 'neutral',
      note: 'set metrics.economics.monthlyChurn',
    });
    expect(usd.card('CAC', { value: null, status: 'n/a' }, 'money').note).toBe('no data in this range');
  });
});

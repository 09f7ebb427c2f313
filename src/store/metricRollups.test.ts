// The day split a roll-up read relies on, and the length buckets the exact ranks are found in.
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { lengthBucket, soleLength, summariseLengths } from '../core/metrics/facts.ts';
import { DAY_MS, daySplit } from './metricRollups.ts';

describe('daySplit', () => {
  it('reads whole UTC days from the roll-ups and the partial days around them from the rows', () => {
    const from = Date.parse('2026-10-01T04:00:00Z'); // midnight in New York
    const to = Date.parse('2026-11-01T04:00:00Z');
    expect(daySplit(from, to)).toEqual({
      days: [Date.parse('2026-10-02T00:00:00Z') / DAY_MS, Date.parse('2026-11-01T00:00:00Z') / DAY_MS],
      edges: [
        [from, Date.parse('2026-10-02T00:00:00Z')],
        [Date.parse('2026-11-01T00:00:00Z'), to],
      ],
    });
  });

  it('reads a range inside one day from the rows only, and an aligned range from the roll-ups only', () => {
    const day = Date.parse('2026-10-05T00:00:00Z');
    expect(daySplit(day + 1000, day + 5000)).toEqual({ edges: [[day + 1000, day + 5000]] });
    expect(daySplit(day, day + 3 * DAY_MS)).toEqual({ days: [day / DAY_MS, day / DAY_MS + 3], edges: [] });
  });

  fcTest.prop([fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 400 * DAY_MS })])(
    'covers [from, to) exactly once',
    (from, length) => {
      const to = from + length;
      const { days, edges } = daySplit(from, to);
      const pieces: [number, number][] = edges.map(([a, b]) => [a, b]);
      if (days !== undefined) pieces.push([days[0] * DAY_MS, days[1] * DAY_MS]);
      pieces.sort((a, b) => a[0] - b[0]);
      expect(pieces[0]?.[0]).toBe(from);
      expect(pieces[pieces.length - 1]?.[1]).toBe(to);
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.[0]).toBe(pieces[i - 1]?.[1]);
      for (const [a, b] of pieces) expect(b).toBeGreaterThan(a);
    },
  );
});

describe('lengthBucket', () => {
  it('puts 8 buckets in each power of two', () => {
    expect([1, 2, 3, 8, 9, 15, 16].map(lengthBucket)).toEqual([0, 8, 12, 24, 25, 31, 32]);
    // Five minutes (300,000 ms): 2^18 = 262,144, so bucket 18 × 8 + floor(37,856 × 8 / 262,144) = 145.
    expect(lengthBucket(300_000)).toBe(145);
    expect(lengthBucket(0)).toBe(-1);
  });

  fcTest.prop([fc.integer({ min: 1, max: 2 ** 45 }), fc.integer({ min: 0, max: 2 ** 45 })])(
    'never puts a longer length in a lower bucket',
    (a, extra) => {
      expect(lengthBucket(a + extra)).toBeGreaterThanOrEqual(lengthBucket(a));
    },
  );
});

describe('soleLength', () => {
  it('names the one whole length of each bucket under 16 ms, and none for wider buckets', () => {
    expect([1, 2, 3, 7, 8, 9, 15].map((w) => soleLength(lengthBucket(w)))).toEqual([1, 2, 3, 7, 8, 9, 15]);
    expect([16, 17, 300_000].map((w) => soleLength(lengthBucket(w)))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(soleLength(-1)).toBeUndefined();
  });

  fcTest.prop([fc.integer({ min: 1, max: 2 ** 40 })])('is only ever the length that was bucketed', (w) => {
    const only = soleLength(lengthBucket(w));
    if (only !== undefined) expect(only).toBe(w);
    else expect(w).toBeGreaterThanOrEqual(16);
  });
});

describe('summariseLengths', () => {
  it('gives the count, total, median (mean of the middle two) and nearest-rank p90', () => {
    expect(summariseLengths([40, 10, 30, 20])).toEqual({ count: 4, totalMs: 100, medianMs: 25, p90Ms: 40 });
    expect(summariseLengths([5, 1, 3])).toEqual({ count: 3, totalMs: 9, medianMs: 3, p90Ms: 5 });
    expect(summariseLengths([])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { formatDecay, formatDuration, formatMoney, formatPercentRange, formatPoints } from './format.ts';

describe('formatting', () => {
  it('formats money, points, durations, decay and ranges', () => {
    expect(formatMoney(25000, 'USD')).toBe('$25,000');
    expect(formatPoints(-50)).toBe('−50');
    expect(formatPoints(15)).toBe('+15');
    expect(
      formatDuration({
        kind: 'duration',
        business: true,
        amount: 4,
        unit: 'hour',
        source: '4 business hours',
      }),
    ).toBe('4 business hours');
    expect(
      formatDecay({
        points: 5,
        every: { kind: 'duration', business: false, amount: 1, unit: 'week', source: '1 week' },
        from: 'occurrence',
      }),
    ).toBe('−5 per week since occurrence');
    expect(
      formatDecay({
        points: 10,
        every: { kind: 'duration', business: false, amount: 2, unit: 'week', source: '2 week' },
        from: 'last_activity',
      }),
    ).toBe('−10 per 2 weeks since last activity');
    expect(formatPercentRange({ min: 0.05, max: 0.15 })).toBe('5%–15%');
  });
});

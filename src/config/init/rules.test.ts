import { describe, expect, it } from 'vitest';
import type { GtmMotion } from './answers.ts';
import { dealDeskThresholdFor, niceRound, templateFor, weightsFor } from './rules.ts';

describe('templateFor: motion and ACV → template', () => {
  const cases: [GtmMotion | undefined, number | undefined, string][] = [
    ['plg', undefined, 'plg'],
    ['plg', 2_400, 'plg'],
    ['plg', 120_000, 'plg'],
    ['sales-led', undefined, 'sales-led'],
    ['sales-led', 4_000, 'mid-market'],
    ['sales-led', 24_999, 'mid-market'],
    ['sales-led', 25_000, 'sales-led'],
    ['sales-led', 40_000, 'sales-led'],
    ['sales-led', 50_000, 'sales-led'],
    ['sales-led', 250_000, 'sales-led'],
    ['hybrid', undefined, 'mid-market'],
    ['hybrid', 4_999, 'plg'],
    ['hybrid', 5_000, 'mid-market'],
    ['hybrid', 30_000, 'mid-market'],
    ['hybrid', 49_999, 'mid-market'],
    ['hybrid', 50_000, 'sales-led'],
    [undefined, undefined, 'mid-market'],
    [undefined, 0, 'plg'],
    [undefined, 4_999, 'plg'],
    [undefined, 5_000, 'mid-market'],
    [undefined, 49_999, 'mid-market'],
    [undefined, 50_000, 'sales-led'],
  ];
  it.each(cases)('%s at %s → %s', (gtm, acv, template) => {
    expect(templateFor(gtm, acv).value).toBe(template);
  });

  it('says why', () => {
    expect(templateFor('sales-led', 12_000).why).toBe(
      'sales-led, but an ACV of $12,000 is below $25K: mid-market deal sizes and SLAs fit better',
    );
    expect(templateFor('hybrid', 60_000).why).toBe(
      'hybrid, but an ACV of $60,000 is enterprise-sized ($50K+): the sales-led template fits',
    );
    expect(templateFor(undefined, undefined).why).toBe(
      'neither motion nor ACV is known: mid-market is the balanced middle',
    );
  });
});

describe('weightsFor: the reference fit/engagement split', () => {
  const cases: [GtmMotion | undefined, number | undefined, [number, number] | undefined][] = [
    ['plg', 500, [30, 70]],
    ['sales-led', 4_999, [30, 70]],
    ['plg', 5_000, [50, 50]],
    [undefined, 24_999, [50, 50]],
    ['hybrid', 25_000, [50, 50]],
    ['sales-led', 49_999, [50, 50]],
    ['plg', 50_000, [60, 40]],
    [undefined, 400_000, [60, 40]],
    ['plg', undefined, [30, 70]],
    ['hybrid', undefined, [50, 50]],
    ['sales-led', undefined, [60, 40]],
    [undefined, undefined, undefined],
  ];
  it.each(cases)('%s at %s → %j', (gtm, acv, split) => {
    const decision = weightsFor(gtm, acv);
    expect(decision === undefined ? undefined : [decision.value.fit, decision.value.engagement]).toEqual(
      split,
    );
  });
});

describe('dealDeskThresholdFor: max($25K, 2 × ACV), two significant figures', () => {
  const cases: [number, number][] = [
    [0, 25_000],
    [2_400, 25_000],
    [12_500, 25_000],
    [12_600, 25_000],
    [18_000, 36_000],
    [18_456, 37_000],
    [50_000, 100_000],
    [80_000, 160_000],
    [123_456, 250_000],
  ];
  it.each(cases)('ACV %d → %d', (acv, threshold) => {
    expect(dealDeskThresholdFor(acv).value).toBe(threshold);
  });

  it('explains the rule with the figures', () => {
    expect(dealDeskThresholdFor(18_456).why).toBe(
      "deals above twice the ACV (2 × $18,456 = $36,912, rounded to $37,000) are non-standard; that is above the reference's $25K floor",
    );
    expect(dealDeskThresholdFor(10_000).why).toBe(
      "twice the ACV ($20,000) is not above the reference's $25K line, so deals above $25K get a review",
    );
  });

  it('niceRound keeps two significant figures', () => {
    expect([7, 99, 101, 1_234, 25_000, 36_912, 246_912, 1_049_999].map(niceRound)).toEqual([
      7, 99, 100, 1_200, 25_000, 37_000, 250_000, 1_000_000,
    ]);
  });
});

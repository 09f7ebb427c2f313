/**
 * Fit matches are kept per contact, company and account object; groups that never read `account`
 * are kept whatever the account, since a page view gives the account a new object (its score moved)
 * while the lead's fit stays where it was.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledRule, RuleContext } from '../rule.ts';
import { fitMatches } from './fit.ts';
import type { FitGroupModel } from './model.ts';

/** A hand-written condition on `account.score`, reading what `reads` says (undefined: not known). */
function accountScoreAbove(min: number, reads: readonly string[] | undefined): CompiledRule {
  const evaluate = (c: RuleContext) => ((c['account'] as { score?: number } | undefined)?.score ?? 0) > min;
  return {
    kind: 'rule',
    id: 'scoring.fit[1].buckets[0].when',
    source: `account.score > ${min}`,
    scope: 'attributes',
    evaluate,
    explain: (c) => ({ value: evaluate(c) }),
    terms: [],
    bounds: [],
    reads,
  };
}

const SIZE: FitGroupModel = {
  id: 'size',
  label: 'Company size',
  buckets: [
    { label: '50–1,000', points: 15, range: { attribute: 'company.employees', min: 50, max: 1000 } },
    { label: 'other', points: 0 },
  ],
};
const groupsWith = (when: CompiledRule): FitGroupModel[] => [
  SIZE,
  { id: 'engaged-account', label: 'Engaged account', buckets: [{ label: 'hot', points: 10, when }] },
];

const contact = { seniority: 'vp' };
const company = { employees: 400 };
const context = (score: number): RuleContext => ({
  contact,
  company,
  account: { domain: 'acme.com', score },
});

describe('fitMatches', () => {
  it('gives groups that never read the account the same matches whatever account object comes', () => {
    const groups = [SIZE];
    const first = fitMatches(groups, context(5));
    expect(first.map((m) => [m.group.id, m.bucket.label, m.reason])).toEqual([
      ['size', '50–1,000', 'company.employees = 400 in 50..1000'],
    ]);
    expect(fitMatches(groups, context(20))).toBe(first);
  });

  it('follows the account when a condition reads it, or may (its reads unknown)', () => {
    for (const reads of [['account'], undefined]) {
      const groups = groupsWith(accountScoreAbove(10, reads));
      expect(fitMatches(groups, context(5)).map((m) => m.bucket.label)).toEqual(['50–1,000']);
      expect(fitMatches(groups, context(20)).map((m) => m.bucket.label)).toEqual(['50–1,000', 'hot']);
      expect(fitMatches(groups, context(5)).map((m) => m.bucket.label)).toEqual(['50–1,000']);
    }
  });

  it('keeps the matches per account when an `in` or `range` shorthand names an account attribute', () => {
    const groups: FitGroupModel[] = [
      {
        id: 'tier',
        label: 'Account tier',
        buckets: [{ label: 'top', points: 20, range: { attribute: 'account.score', min: 10 } }],
      },
    ];
    expect(fitMatches(groups, context(5))).toEqual([]);
    expect(fitMatches(groups, context(12)).map((m) => m.reason)).toEqual(['account.score = 12 in 10..∞']);
  });
});

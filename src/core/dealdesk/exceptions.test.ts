import { describe, expect, it } from 'vitest';
import type { ApprovalException } from '../pipeline/types.ts';
import { deal, model } from './__fixtures__/builders.ts';
import { formatMoney, formatNumber, reviewExceptions } from './exceptions.ts';
import { annualContractValue, dealRuleContext, dealTerms } from './terms.ts';

describe('reviewExceptions (revops-SKILL.md "When You Need a Deal Desk")', () => {
  const cases: [string, Parameters<typeof deal>[0], Parameters<typeof deal>[1], ApprovalException[]][] = [
    ['standard: $12,000, 0%, net-30, 12 months', {}, {}, []],
    ['exactly at the threshold', {}, { amount: 25000 }, []],
    [
      'ACV above $25K',
      {},
      { amount: 30000 },
      [{ kind: 'acv_over_threshold', detail: 'ACV $30,000 over the $25,000 threshold' }],
    ],
    ['9.9% off is standard pricing', { discountPercent: 9.9 }, {}, []],
    ['10% off', { discountPercent: 10 }, {}, [{ kind: 'discount', detail: '10% discount' }]],
    ['25% off', { discountPercent: 25 }, {}, [{ kind: 'discount', detail: '25% discount' }]],
    ['12.5% off', { discountPercent: 12.5 }, {}, [{ kind: 'discount', detail: '12.5% discount' }]],
    ['net-90', { paymentTerms: 'net-90' }, {}, [{ kind: 'payment_terms', detail: 'net-90 payment terms' }]],
    [
      'quarterly billing',
      { paymentTerms: 'quarterly' },
      {},
      [{ kind: 'payment_terms', detail: 'quarterly payment terms' }],
    ],
    ['12 months is not multi-year', { termMonths: 12 }, {}, []],
    ['36-month term', { termMonths: 36 }, {}, [{ kind: 'multi_year', detail: '36-month term' }]],
    [
      '$90,000 over 36 months is $30,000 a year',
      { termMonths: 36 },
      { amount: 90000 },
      [
        { kind: 'acv_over_threshold', detail: 'ACV $30,000 over the $25,000 threshold' },
        { kind: 'multi_year', detail: '36-month term' },
      ],
    ],
    [
      '$72,000 over 36 months is $24,000 a year',
      { termMonths: 36 },
      { amount: 72000 },
      [{ kind: 'multi_year', detail: '36-month term' }],
    ],
    ['custom terms', { customTerms: true }, {}, [{ kind: 'custom_terms', detail: 'custom terms' }]],
    ['customTerms false', { customTerms: false }, {}, []],
    [
      'everything at once, in kind order',
      { discountPercent: 45, paymentTerms: 'net-60', termMonths: 24, customTerms: true },
      { amount: 100000 },
      [
        { kind: 'acv_over_threshold', detail: 'ACV $50,000 over the $25,000 threshold' },
        { kind: 'discount', detail: '45% discount' },
        { kind: 'payment_terms', detail: 'net-60 payment terms' },
        { kind: 'multi_year', detail: '24-month term' },
        { kind: 'custom_terms', detail: 'custom terms' },
      ],
    ],
    [
      'a euro deal is compared as written, threshold in the company currency',
      {},
      { amount: 40000, currency: 'EUR' },
      [{ kind: 'acv_over_threshold', detail: 'ACV 40,000 EUR over the $25,000 threshold' }],
    ],
    [
      'numbers written as text count',
      { discountPercent: '30', termMonths: '24', customTerms: 'true' },
      {},
      [
        { kind: 'discount', detail: '30% discount' },
        { kind: 'multi_year', detail: '24-month term' },
        { kind: 'custom_terms', detail: 'custom terms' },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, fields, overrides, expected) => {
    expect(reviewExceptions(deal(fields, overrides), model())).toEqual(expected);
  });

  it('accepts the payment terms the config calls standard', () => {
    const d = deal({ paymentTerms: 'net-60' });
    expect(reviewExceptions(d, model({ standardPaymentTerms: ['net-30', 'net-60'] }))).toEqual([]);
  });
});

describe('terms', () => {
  it('ACV: the amount, or the amount spread over a multi-year term', () => {
    expect(annualContractValue({ amount: 12000, termMonths: 12 })).toBe(12000);
    expect(annualContractValue({ amount: 12000, termMonths: 6 })).toBe(12000);
    expect(annualContractValue({ amount: 12000 })).toBe(12000);
    expect(annualContractValue({ amount: 100000, termMonths: 36 })).toBeCloseTo(33333.333, 3);
    expect(annualContractValue({ termMonths: 36 })).toBeUndefined();
  });

  it('takes the amount from the deal, else from its fields; drops values of the wrong type', () => {
    expect(dealTerms(deal({ amount: 5000 }, { amount: undefined }))).toEqual({
      amount: 5000,
      discountPercent: 0,
      termMonths: 12,
      paymentTerms: 'net-30',
    });
    expect(
      dealTerms(
        deal(
          {},
          { fields: { discountPercent: 'a lot', termMonths: null, paymentTerms: 30, customTerms: 'yes' } },
        ),
      ),
    ).toEqual({ amount: 12000 });
  });

  it('builds the rule context tiers read: deal, account, company', () => {
    const d = deal(
      { discountPercent: 15, customTerms: false },
      {
        pushes: [
          { at: 1, from: '2026-03-31', to: '2026-04-30', slipDays: 30, reason: 'legal review', cause: 'e1' },
          { at: 2, from: '2026-04-30', to: '2026-05-15', slipDays: 15, reason: 'budget', cause: 'e2' },
        ],
      },
    );
    expect(dealRuleContext(d, { employees: 800, industry: 'Software' })).toEqual({
      deal: {
        id: 'deal-1',
        stage: 'proposal',
        amount: 12000,
        currency: 'USD',
        discountPercent: 15,
        termMonths: 12,
        paymentTerms: 'net-30',
        customTerms: false,
        source: 'inbound',
        pushes: 2,
      },
      account: { domain: 'northwind.io' },
      company: { employees: 800, industry: 'Software' },
    });
    expect(dealRuleContext(deal({}, { account: undefined, source: undefined, fields: {} }))).toEqual({
      deal: { id: 'deal-1', stage: 'proposal', amount: 12000, currency: 'USD', pushes: 0 },
    });
  });
});

describe('formatting', () => {
  it.each([
    [0, '0'],
    [12, '12'],
    [12.5, '12.5'],
    [1234.56, '1,234.56'],
    [25000, '25,000'],
    [33333.3333, '33,333.33'],
    [1234567, '1,234,567'],
    [-1500, '-1,500'],
  ])('%s → %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('money: dollars with a sign, other currencies with their code', () => {
    expect(formatMoney(30000, 'USD')).toBe('$30,000');
    expect(formatMoney(30000, 'EUR')).toBe('30,000 EUR');
  });
});

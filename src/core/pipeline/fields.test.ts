// Deal fields: what counts as filled (a required yes/no must be yes; blank text and empty lists are
// empty), the required fields a stage finds empty in its own order, how changes apply (top-level
// fields normalised, `null` clears, currency kept) and which values a command may not carry.
import { describe, expect, it } from 'vitest';
import { AVA, BEN, deal } from './__fixtures__/builders.ts';
import { applyChanges, checkChanges, fieldValue, isFilled, isoDate, missingFields } from './fields.ts';
import type { DealFieldValue } from './types.ts';

describe('isFilled', () => {
  it.each<[string, DealFieldValue | undefined, boolean]>([
    ['absent', undefined, false],
    ['null', null, false],
    ['false (a required yes/no must be yes)', false, false],
    ['empty text', '', false],
    ['blank text', '  \t ', false],
    ['an empty list', [], false],
    ['true', true, true],
    ['zero (a 0% discount is an answer)', 0, true],
    ['text', 'net-30', true],
    ['a list of one', ['cfo'], true],
    ['an object', { a: 1 }, true],
  ])('%s → %s', (_name, value, filled) => {
    expect(isFilled(value)).toBe(filled);
  });
});

describe('missingFields', () => {
  it('lists the empty required fields in the order the stage lists them', () => {
    const d = deal('discovery', {
      fields: { technicalRequirements: '', decisionMakers: [], painPoints: 'x', signedContract: false },
    });
    expect(
      missingFields(d, ['decisionMakers', 'painPoints', 'technicalRequirements', 'signedContract']),
    ).toEqual(['decisionMakers', 'technicalRequirements', 'signedContract']);
  });

  it('reads top-level fields and the contacts list', () => {
    const d = deal('qualified', { account: undefined, source: '', contacts: [] });
    expect(missingFields(d, ['contacts', 'account', 'source', 'fitScore', 'amount', 'owner'])).toEqual([
      'contacts',
      'account',
      'source',
    ]);
  });
});

describe('fieldValue', () => {
  it('contacts are their keys; amount and top-level fields come from the deal, the rest from fields', () => {
    const d = deal('demo', {
      contacts: [
        { contactKey: AVA, role: 'primary' },
        { contactKey: BEN, role: 'champion' },
      ],
    });
    expect(fieldValue(d, 'contacts')).toEqual([AVA, BEN]);
    expect(fieldValue(d, 'amount')).toBe(36000);
    expect(fieldValue(d, 'closeDate')).toBe('2026-06-30');
    expect(fieldValue(d, 'owner')).toBe('sofia');
    expect(fieldValue(d, 'paymentTerms')).toBe('net-30');
    expect(fieldValue(d, 'lossReason')).toBeUndefined();
  });
});

describe('isoDate', () => {
  it.each<[unknown, string | undefined]>([
    ['2026-12-15', '2026-12-15'],
    [' 2026-12-15 ', '2026-12-15'],
    ['2026-12-15T23:30:00-05:00', '2026-12-15'],
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['15/12/2026', undefined],
    ['2026-12-15x', undefined],
    [20261215, undefined],
    [null, undefined],
  ])('%j → %s', (value, expected) => {
    expect(isoDate(value)).toBe(expected);
  });
});

describe('applyChanges', () => {
  it('sets top-level fields (currency upper-cased, close date as a date) and keeps others in fields', () => {
    const d = applyChanges(deal('discovery'), {
      amount: 48000,
      currency: 'eur',
      closeDate: '2026-09-30T17:00:00Z',
      name: 'Northwind expansion',
      timeline: 'Next quarter',
      competitor: 'Acme CRM',
    });
    expect([d.amount, d.currency, d.closeDate, d.name]).toEqual([
      48000,
      'EUR',
      '2026-09-30',
      'Northwind expansion',
    ]);
    expect(d.fields['timeline']).toBe('Next quarter');
    expect(d.fields['competitor']).toBe('Acme CRM');
    expect('amount' in d.fields).toBe(false);
  });

  it('null clears a field, except the currency, which stays', () => {
    const d = applyChanges(deal('discovery'), { owner: null, currency: null, timeline: null, amount: null });
    expect(d.owner).toBeUndefined();
    expect('owner' in d).toBe(false);
    expect(d.amount).toBeUndefined();
    expect(d.currency).toBe('USD');
    expect('timeline' in d.fields).toBe(false);
    expect(d.fields['painPoints']).toBe('Lead routing by spreadsheet');
  });

  it('leaves the deal it was given untouched', () => {
    const before = deal('discovery');
    const snapshot = structuredClone(before);
    applyChanges(before, { amount: 1, timeline: null, painPoints: 'new' });
    expect(before).toEqual(snapshot);
  });
});

describe('checkChanges', () => {
  it('accepts valid values and nulls', () => {
    expect(
      checkChanges({
        amount: 0,
        discountPercent: 100,
        termMonths: 36,
        closeDate: '2026-12-15',
        name: 'x',
        owner: null,
        anything: { nested: [1] },
      }),
    ).toEqual([]);
  });

  it('reports each bad value with its field and what to send instead', () => {
    const issues = checkChanges({
      amount: -5,
      discountPercent: 120,
      termMonths: 12.5,
      fitScore: '80',
      closeDate: 'next friday',
      owner: 7,
    });
    expect(issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['pipeline.invalid_request', ['amount'], '`amount` must be a number of 0 or more (got -5)'],
      [
        'pipeline.invalid_request',
        ['discountPercent'],
        '`discountPercent` is a percentage: 0 to 100 (15 for 15% off)',
      ],
      ['pipeline.invalid_request', ['termMonths'], '`termMonths` must be a whole number of months'],
      ['pipeline.invalid_request', ['fitScore'], '`fitScore` must be a number of 0 or more (got "80")'],
      [
        'pipeline.invalid_request',
        ['closeDate'],
        '`closeDate` must be a date like 2026-12-15 (got "next friday")',
      ],
      ['pipeline.invalid_request', ['owner'], '`owner` must be text'],
    ]);
  });
});

describe('typed custom fields', () => {
  const declared = [
    { id: 'decisionMakers', type: 'list' },
    { id: 'timeline', type: 'text', options: ['this quarter', 'next quarter'] },
    { id: 'renewalDate', type: 'date' },
    { id: 'seats', type: 'number' },
    { id: 'security', type: 'boolean' },
  ];
  it('refuses a value that does not fit the declared type or options, naming the field', () => {
    const issues = checkChanges(
      {
        decisionMakers: 'VP Sales',
        timeline: 'someday',
        renewalDate: '2026-13-01',
        seats: '12',
        security: 'yes',
      },
      declared,
    );
    expect(issues.map((i) => [i.path[0], i.message])).toEqual([
      ['decisionMakers', '`decisionMakers` must be a list of text (["a", "b"])'],
      ['timeline', '`timeline` must be one of this quarter, next quarter (got "someday")'],
      ['renewalDate', '`renewalDate` must be a date like 2026-12-15'],
      ['seats', '`seats` must be a number'],
      ['security', '`security` must be true or false'],
    ]);
  });
  it('accepts values of the declared types, and null to clear', () => {
    expect(
      checkChanges(
        {
          decisionMakers: ['VP Sales'],
          timeline: 'next quarter',
          renewalDate: '2027-01-31',
          seats: 12,
          security: null,
        },
        declared,
      ),
    ).toEqual([]);
  });
});

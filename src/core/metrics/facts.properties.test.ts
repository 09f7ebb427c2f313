/**
 * `LEAD_FACT_FIELDS` names every contact field the facts read: two contacts that agree on those
 * fields have the same facts, whatever else differs (score, activity times, counts, flags, scoring
 * memory, company attributes…). The store relies on it to leave a contact's facts clean through
 * writes that change nothing they read (a page view), so a field read and not listed must fail here.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Attributes, ContactState } from '../types.ts';
import { clock, HOUR_MS, lead, model, MON_0900, touch } from './__fixtures__/builders.ts';
import { LEAD_FACT_FIELDS, leadFactsOf } from './facts.ts';

const time = fc.integer({ min: MON_0900 - 30 * 24 * HOUR_MS, max: MON_0900 + 30 * 24 * HOUR_MS });
const STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'recycled'] as const;

const attributes: fc.Arbitrary<Attributes> = fc
  .dictionary(
    fc.constantFrom('source', 'firstName', 'title', 'country', 'employees'),
    fc.record({
      value: fc.oneof(
        fc.constantFrom('organic', 'paid_search', '', 'Ana'),
        fc.integer({ min: 0, max: 5000 }),
      ),
      at: time,
      eventId: fc.constantFrom('e1', 'e2'),
      source: fc.constantFrom('api', 'import'),
    }),
  )
  .map((record): Attributes => record);

/** A contact with every field of `ContactState` varied, optional ones present or not. */
const contact: fc.Arbitrary<ContactState> = fc
  .record(
    {
      key: fc.constantFrom('email:a@x.example', 'email:b@y.example'),
      email: fc.constantFrom('a@x.example', 'b@y.example'),
      externalId: fc.constantFrom('crm-1', 'crm-2'),
      accountDomain: fc.constantFrom('x.example', 'y.example'),
      attributes,
      companyAttributes: attributes,
      stage: fc.constantFrom(...STAGES),
      stageEnteredAt: time,
      owner: fc.constantFrom('ana', 'bo', 'cy'),
      flags: fc.subarray(['recycled', 'bant:budget', 'do_not_route']),
      createdAt: time,
      updatedAt: time,
      lastActivityAt: time,
      lastTouchAt: time,
      eventCount: fc.integer({ min: 1, max: 500 }),
      scoring: fc.record({
        version: fc.constant(1 as const),
        lastActivityAt: time,
        signals: fc.constant({}),
        fastTrack: fc.dictionary(fc.constantFrom('demo', 'pricing'), time),
        negativeHits: fc.constant({}),
        activity: fc.constant({}),
        pageCategories: fc.subarray(['blog', 'pricing', 'docs']),
        emailFlags: fc.constant({}),
      }),
      score: fc.record({
        fit: fc.integer({ min: 0, max: 100 }),
        engagement: fc.integer({ min: 0, max: 100 }),
        negative: fc.integer({ min: -50, max: 0 }),
        total: fc.integer({ min: -50, max: 200 }),
        mql: fc.boolean(),
        at: time,
      }),
      nextDecayAt: time,
    },
    {
      requiredKeys: [
        'key',
        'attributes',
        'companyAttributes',
        'stage',
        'stageEnteredAt',
        'flags',
        'createdAt',
      ],
    },
  )
  .map((c): ContactState => Object.assign({ updatedAt: c.createdAt, eventCount: 1 }, c));

/** `other` with `from`'s facts fields (absent where `from` has none). */
function withFactFields(other: ContactState, from: ContactState): ContactState {
  const copy: Record<string, unknown> = Object.assign({}, other as unknown as Record<string, unknown>);
  const source = from as unknown as Record<string, unknown>;
  for (const field of LEAD_FACT_FIELDS) {
    if (source[field] === undefined) delete copy[field];
    else copy[field] = source[field];
  }
  return copy as unknown as ContactState;
}

describe('LEAD_FACT_FIELDS', () => {
  fcTest.prop(
    [
      contact,
      contact,
      fc.subarray(['lead', 'mql', 'sql', 'recycled', 'mql', 'opportunity'], { minLength: 1 }),
      fc.array(fc.integer({ min: 0, max: 48 }), { maxLength: 4 }),
    ],
    { numRuns: 300 },
  )('is every contact field the facts read', (a, b, path, touchHours) => {
    const { history } = lead({ key: a.key, path, at: MON_0900, reasons: { recycled: 'REJECTED FIT-01' } });
    const touches = touchHours.map((h) => touch(a.key, MON_0900 + h * HOUR_MS));
    const clocks = [clock({ contactKey: a.key, startedAt: MON_0900 + HOUR_MS, status: 'met' })];
    const facts = (c: ContactState) => leadFactsOf(c, history, touches, clocks, model());
    expect(facts(withFactFields(b, a))).toEqual(facts(a));
  });

  it('tells contacts apart by a listed field (the property above is not vacuous)', () => {
    const { contact: ana, history } = lead({ key: 'email:a@x.example', source: 'organic', owner: 'ana' });
    const moved = Object.assign({}, ana, { owner: 'bo' });
    const facts = (c: ContactState) => leadFactsOf(c, history, [], [], model());
    expect(facts(moved).lead.owner).toBe('bo');
    expect(facts(ana).lead.owner).toBe('ana');
    expect(facts(Object.assign({}, ana, { attributes: {} })).lead.source).toBe('unknown');
  });
});

import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DAY_MS, input, JAN, lead, LIFECYCLE, model, MON, MON_0900 } from './__fixtures__/builders.ts';
import { funnelMetrics } from './funnel.ts';

const REJECT_FIT = 'sales_decision reject FIT-01 (Company too small): nurture';

/** 10 leads and a subscriber created in January, and one older lead that came back as an MQL. */
function january() {
  const webinar = (key: string, path?: string[], reasons?: Record<string, string>, owner?: string) =>
    lead(
      Object.assign(
        { key, source: 'webinar' },
        path === undefined ? {} : { path },
        reasons === undefined ? {} : { reasons },
        owner === undefined ? {} : { owner },
      ),
    );
  return input({
    leads: [
      webinar('l1', ['lead', 'mql', 'sql', 'opportunity', 'customer'], undefined, 'ana'),
      webinar('l2', ['lead', 'mql', 'recycled'], { recycled: REJECT_FIT }, 'cy'),
      ...['l3', 'l4', 'l5', 'l6'].map((k) => webinar(k)),
      ...['l7', 'l8', 'l9', 'l10'].map((key) => lead({ key, source: 'paid', at: MON_0900 + DAY_MS })),
      lead({ key: 's1', source: 'paid', path: ['subscriber'] }),
      lead({
        key: 'old',
        at: MON - 10 * DAY_MS,
        step: 4 * DAY_MS,
        path: ['lead', 'mql', 'recycled', 'mql', 'sql'],
        reasons: { recycled: 'sales_decision reject ENG-01 (No response after 3 attempts): recycle' },
      }),
    ],
  });
}

describe('funnel', () => {
  it('counts the cohort at each stage and converts 10 leads with 2 MQLs to 20%', () => {
    const f = funnelMetrics(january(), model(), JAN, JAN.to);
    expect(f.counts).toEqual({ contacts: 11, leads: 10, mqls: 2, sqls: 1, opportunities: 1, customers: 1 });
    expect(f.conversions).toEqual({
      leadToMql: { value: 0.2, benchmark: { min: 0.05, max: 0.15 }, status: 'high' },
      mqlToSql: { value: 0.5, benchmark: { min: 0.3, max: 0.5 }, status: 'ok' },
      sqlToOpportunity: { value: 1, benchmark: { min: 0.5, max: 0.7 }, status: 'high' },
      opportunityToCustomer: { value: 1, status: 'n/a' },
    });
  });

  it('lists the cohort rejections by reason code and tracks recycled MQLs apart', () => {
    const f = funnelMetrics(january(), model(), JAN, JAN.to);
    expect(f.rejections).toEqual({
      total: 1,
      byCode: [{ code: 'FIT-01', reason: 'Company too small', count: 1, share: 1 }],
    });
    // `old` re-entered MQL on 7 January (in the window) after recycling and reached SQL.
    expect(f.recycled).toEqual({ mqls: 1, sqls: 1, conversion: 1 });
  });

  it('breaks the cohort down by source, largest first', () => {
    const f = funnelMetrics(january(), model(), JAN, JAN.to);
    expect(f.bySource).toEqual([
      {
        source: 'webinar',
        contacts: 6,
        leads: 6,
        mqls: 2,
        sqls: 1,
        opportunities: 1,
        customers: 1,
        leadToMql: 0.3333,
        mqlToSql: 0.5,
        sqlToOpportunity: 1,
        opportunityToCustomer: 1,
      },
      {
        source: 'paid',
        contacts: 5,
        leads: 4,
        mqls: 0,
        sqls: 0,
        opportunities: 0,
        customers: 0,
        leadToMql: 0,
        mqlToSql: null,
        sqlToOpportunity: null,
        opportunityToCustomer: null,
      },
    ]);
  });

  it('filters by source and by the owner’s team; an empty cohort gives null rates with a reason', () => {
    const paid = funnelMetrics(january(), model(), Object.assign({ source: 'paid' }, JAN), JAN.to);
    expect(paid.counts).toEqual({ contacts: 5, leads: 4, mqls: 0, sqls: 0, opportunities: 0, customers: 0 });
    expect(paid.conversions.mqlToSql).toEqual({
      value: null,
      benchmark: { min: 0.3, max: 0.5 },
      status: 'n/a',
      reason: 'no MQLs in the cohort',
    });
    const east = funnelMetrics(january(), model(), Object.assign({ team: 'east' }, JAN), JAN.to);
    expect(east.counts).toEqual({ contacts: 1, leads: 1, mqls: 1, sqls: 1, opportunities: 1, customers: 1 });
    expect(east.rejections.total).toBe(0);
  });

  it('refuses an empty range', () => {
    expect(() => funnelMetrics(january(), model(), { from: MON, to: MON }, MON)).toThrow(
      expect.objectContaining({ code: 'metrics.invalid_range' }),
    );
  });
});

const arbitraryLead = fc.record({
  day: fc.integer({ min: -10, max: 40 }),
  path: fc.array(fc.constantFrom(...LIFECYCLE), { minLength: 1, maxLength: 7 }),
  source: fc.constantFrom('paid', 'webinar', 'seo'),
});

describe('funnel invariants', () => {
  fcTest.prop([fc.array(arbitraryLead, { maxLength: 40 })])(
    'counts never increase down the funnel and every conversion lies in [0, 1]',
    (specs) => {
      const leads = specs.map((s, i) =>
        lead({ key: `c${i}`, at: MON + s.day * DAY_MS, path: s.path, source: s.source }),
      );
      const f = funnelMetrics(input({ leads }), model(), JAN, JAN.to);
      for (const c of [f.counts, ...f.bySource]) {
        const seq = [c.contacts, c.leads, c.mqls, c.sqls, c.opportunities, c.customers];
        for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeLessThanOrEqual(seq[i - 1] as number);
      }
      const rates = [
        ...Object.values(f.conversions).map((fig) => fig.value),
        ...f.bySource.flatMap((s) => [s.leadToMql, s.mqlToSql, s.sqlToOpportunity, s.opportunityToCustomer]),
        f.recycled.conversion,
      ];
      for (const r of rates) if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
      expect(f.bySource.reduce((n, s) => n + s.contacts, 0)).toBe(f.counts.contacts);
    },
  );
});

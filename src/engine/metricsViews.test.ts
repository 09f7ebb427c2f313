// Every dashboard view and every area as the API answers it (funnel and speed to lead from the
// store's facts, the other sections from range-trimmed rows) against the same view or area
// computed from rows alone over everything the store holds: the hand-built October history
// (__fixtures__/metricsHistory.ts), for fixed and random ranges and filters, on every dialect.
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import {
  computeArea,
  computeView,
  METRICS_AREAS,
  METRICS_VIEWS,
  type MetricsInput,
  type MetricsQuery,
} from '../core/metrics/index.ts';
import type { Store } from '../core/ports.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { clock, deal, lead } from '../core/metrics/__fixtures__/builders.ts';
import {
  everythingIn,
  METRICS_NOW,
  OCTOBER_FROM,
  OCTOBER_TO,
  seedMetricsHistory,
} from './__fixtures__/metricsHistory.ts';
import { areaReport, viewReport, type MetricsRequest, type MetricsSetup } from './metricsInput.ts';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const SPEND = [
  { period: '2026-09', sales: 1000, marketing: 500, bySource: { organic: 200, paid_search: 300 } },
  { period: '2026-10', sales: 2000, marketing: 900, bySource: { organic: 400, paid_search: 500 } },
  { period: '2026-11', sales: 1500, marketing: 600, bySource: { referral: 600 } },
  { period: '2026-Q4', sales: 4000, marketing: 1800 },
];
const won = (id: string, closed: string, account?: string) =>
  deal(
    Object.assign(
      {
        id,
        status: 'won' as const,
        closedAt: at(closed),
        amount: 5000,
        moves: [
          ['qualified', at(closed) - 20 * DAY],
          ['won', at(closed)],
        ] as const,
      },
      account === undefined ? {} : { account },
    ),
  );
/** Leads that became MQLs twice (recycled in between): economics counts only the first entry. */
const RECYCLED = [
  lead({
    key: 'email:twice@twice-co.com',
    at: at('2026-09-25T14:00:00Z'),
    path: ['lead', 'mql', 'recycled', 'mql'],
    step: 12 * DAY,
    source: 'organic',
  }),
  lead({
    key: 'email:late@late-co.com',
    at: at('2026-10-20T14:00:00Z'),
    path: ['lead', 'mql', 'recycled', 'mql'],
    step: 8 * DAY,
    source: 'paid_search',
  }),
];
/** Clocks of one id under two names (the first by due time names it), escalated, late, unowned. */
const handoff = (who: string, started: string, extra: Partial<SlaClock>) =>
  clock(
    Object.assign(
      {
        key: `sla:email:${who}:x-handoff:${started}`,
        contactKey: `email:${who}`,
        clockId: 'x-handoff',
        name: 'Handoff',
        startedAt: at(started),
        dueAt: at(started) + DAY,
      },
      extra,
    ),
  );
const step = (index: number, started: string) => ({
  index,
  action: 'notify_rep' as const,
  at: at(started) + DAY + index,
  to: 'rep:priya',
});
const CLOCKS = [
  handoff('twice@twice-co.com', '2026-10-05T14:00:00Z', {
    name: 'Handoff (renamed)',
    status: 'breached',
    owner: 'priya',
    lateWallMs: 7_200_000,
    steps: [step(0, '2026-10-05T14:00:00Z'), step(1, '2026-10-05T14:00:00Z')],
  }),
  handoff('late@late-co.com', '2026-10-06T14:00:00Z', {
    status: 'breached',
    owner: 'priya',
    lateWallMs: 600_000,
    steps: [step(0, '2026-10-06T14:00:00Z')],
  }),
  handoff('twice@twice-co.com', '2026-10-28T14:00:00Z', { status: 'met', owner: 'leo' }),
  handoff('late@late-co.com', '2026-11-05T14:00:00Z', { status: 'breached', lateWallMs: 60_000 }),
];
const DEALS = [
  won('x-acme-1', '2026-09-20T15:00:00Z', 'acme.com'),
  won('x-acme-2', '2026-10-10T15:00:00Z', 'acme.com'),
  won('x-beta-1', '2026-10-05T15:00:00Z', 'beta.com'),
  won('x-beta-2', '2026-11-03T15:00:00Z', 'beta.com'),
  won('x-solo', '2026-10-20T15:00:00Z'),
  won('x-edge', '2026-11-01T04:00:00Z', 'edge.com'),
  Object.assign(won('x-reopened', '2026-10-12T15:00:00Z', 'gamma.com'), { status: 'open' as const }),
];

describe.each(DIALECTS)('views and areas from facts on $name', (dialect) => {
  let store: Store;
  let setup: MetricsSetup;
  let everything: MetricsInput;
  beforeAll(async () => {
    store = await dialect.open();
    const seeded = await seedMetricsHistory(store);
    // Spend periods that overlap (a month and its quarter) and an account's second win, a deal
    // won without an account and one reopened after a win: economics counts first wins per
    // account and first MQL entries per source inside the periods.
    setup = Object.assign({}, seeded, { model: Object.assign({}, seeded.model, { spend: SPEND }) });
    await store.transaction(async (tx) => {
      await tx.upsertDeals(DEALS);
      await tx.upsertContacts(RECYCLED.map((r) => r.contact));
      await tx.appendStageHistory(RECYCLED.flatMap((r) => r.history));
      await tx.upsertClocks(CLOCKS);
    });
    everything = await everythingIn(store);
  });
  afterAll(() => store.close());

  async function same(query: MetricsQuery): Promise<void> {
    const request: MetricsRequest = Object.assign(
      { from: String(query.from), to: String(query.to) },
      query.source === undefined ? {} : { source: query.source },
      query.team === undefined ? {} : { team: query.team },
    );
    for (const view of METRICS_VIEWS)
      expect((await viewReport(store, setup, view, request, METRICS_NOW)).metrics, view).toEqual(
        computeView(view, everything, setup.model, query, METRICS_NOW),
      );
    for (const area of METRICS_AREAS)
      expect((await areaReport(store, setup, area, request, METRICS_NOW)).metrics, area).toEqual(
        computeArea(area, everything, setup.model, query, METRICS_NOW),
      );
  }

  it('for October, by source and by team', async () => {
    expect(
      (await areaReport(store, setup, 'economics', { from: '2026-09-01', to: '2026-12-31' }, METRICS_NOW))
        .metrics.newCustomers,
    ).toBe(5); // acme, beta, the deal without an account, edge (1 November, New York) and the fixture's dee
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, source: 'organic' });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, team: 'general' });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, team: 'plg', source: 'paid_search' });
    await same({ from: at('2026-09-01T04:00:00Z'), to: at('2027-01-01T05:00:00Z') });
    await same({ from: at('2026-08-01T04:00:00Z'), to: at('2026-12-01T05:00:00Z'), source: 'organic' });
  });

  const START = Date.parse('2026-08-15T00:00:00Z');
  const SPAN = 110 * DAY;
  /** Any instant of the span, or one a row of the history was written at (the edges that matter). */
  const instant = () =>
    fc.oneof(
      fc.integer({ min: START, max: START + SPAN }),
      fc
        .tuple(
          fc.constantFrom(
            ...[everything.history, everything.touches, everything.assignments].flatMap((rows) =>
              rows.map((r) => r.at),
            ),
            ...everything.clocks.map((c) => c.startedAt),
            ...everything.deals.flatMap((d) => [
              d.createdAt,
              ...(d.closedAt === undefined ? [] : [d.closedAt]),
            ]),
          ),
          fc.constantFrom(-1, 0, 1),
        )
        .map(([at, delta]) => at + delta),
    );

  // `chain`: the history's instants exist only once beforeAll has seeded the store.
  fcTest.prop(
    [
      fc.constant(null).chain(instant),
      fc.integer({ min: 1, max: SPAN }),
      fc.constantFrom(undefined, 'organic', 'paid_search', 'unknown'),
      fc.constantFrom(undefined, 'general', 'plg', 'enterprise'),
    ],
    { numRuns: 30 },
  )('for any range and filter', async (from, length, source, team) => {
    await same(
      Object.assign(
        { from, to: from + length },
        source === undefined ? {} : { source },
        team === undefined ? {} : { team },
      ),
    );
  });
});

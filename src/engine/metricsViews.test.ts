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
import { METRICS_NOW, OCTOBER_FROM, OCTOBER_TO, seedMetricsHistory } from './__fixtures__/metricsHistory.ts';
import { areaReport, viewReport, type MetricsRequest, type MetricsSetup } from './metricsInput.ts';

const DAY = 86_400_000;

describe.each(DIALECTS)('views and areas from facts on $name', (dialect) => {
  let store: Store;
  let setup: MetricsSetup;
  let everything: MetricsInput;
  beforeAll(async () => {
    store = await dialect.open();
    setup = await seedMetricsHistory(store);
    everything = {
      contacts: await store.listContacts(),
      history: await store.stageHistory(),
      touches: await store.touches(),
      assignments: await store.listAssignments(),
      clocks: await store.listClocks(),
      deals: await store.listDeals(),
      approvals: await store.listApprovals(),
    };
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
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, source: 'organic' });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, team: 'general' });
    await same({ from: OCTOBER_FROM, to: OCTOBER_TO, team: 'plg', source: 'paid_search' });
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

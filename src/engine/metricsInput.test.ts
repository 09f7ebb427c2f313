// The metrics reads and report on every dialect, over the hand-built October history
// (__fixtures__/metricsHistory.ts): the range as people write it, what is read and dropped, the
// exact funnel, and — for every area and view, for any range and filter — the same numbers as
// computing on everything the store holds.
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { RevopsError } from '../core/errors.ts';
import {
  computeArea,
  computeView,
  METRICS_AREAS,
  METRICS_VIEWS,
  type MetricsInput,
  type MetricsQuery,
} from '../core/metrics/index.ts';
import type { Store } from '../core/ports.ts';
import {
  everythingIn,
  METRICS_NOW,
  OCTOBER,
  OCTOBER_COUNTS,
  OCTOBER_FROM,
  OCTOBER_TO,
  seedMetricsHistory,
} from './__fixtures__/metricsHistory.ts';
import {
  areaOfName,
  areaReport,
  loadMetricsInput,
  metricsParts,
  resolveMetricsQuery,
  viewReport,
  type MetricsSetup,
} from './metricsInput.ts';

const DAY = 86_400_000;

function codeOf(run: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof RevopsError) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error('no error');
}

describe.each(DIALECTS)('metrics input on $name', (dialect) => {
  let store: Store;
  let setup: MetricsSetup;
  /** Everything the store holds, untrimmed. */
  let everything: MetricsInput;
  beforeAll(async () => {
    store = await dialect.open();
    setup = await seedMetricsHistory(store);
    everything = await everythingIn(store);
  });
  afterAll(() => store.close());

  describe('the range', () => {
    const query = (request: Parameters<typeof resolveMetricsQuery>[0]) =>
      resolveMetricsQuery(request, setup, METRICS_NOW);

    it('reads dates as local days in the company zone, `to` included', () => {
      expect(query(OCTOBER)).toEqual({ from: OCTOBER_FROM, to: OCTOBER_TO });
      // 1 November 2026 is 25 hours long in New York (EDT ends): 04:00Z to 05:00Z the next day.
      expect(query({ from: '2026-11-01', to: '2026-11-01' })).toEqual({
        from: Date.parse('2026-11-01T04:00:00Z'),
        to: Date.parse('2026-11-02T05:00:00Z'),
      });
    });

    it('takes ISO times with a zone and epoch milliseconds as they are', () => {
      expect(query({ from: '2026-10-01T00:00:00Z', to: '2026-10-02T09:30:00+02:00' })).toEqual({
        from: Date.parse('2026-10-01T00:00:00Z'),
        to: Date.parse('2026-10-02T07:30:00Z'),
      });
      expect(query({ from: '1790827200000', to: String(METRICS_NOW) })).toEqual({
        from: 1790827200000,
        to: METRICS_NOW,
      });
    });

    it('defaults to the 90 days before `to`, and `to` to now', () => {
      expect(query({})).toEqual({ from: METRICS_NOW - 90 * DAY, to: METRICS_NOW });
      expect(query({ from: '  ', to: '' })).toEqual({ from: METRICS_NOW - 90 * DAY, to: METRICS_NOW });
      expect(query({ from: '2026-10-01' })).toEqual({ from: OCTOBER_FROM, to: METRICS_NOW });
      expect(query({ to: '2026-10-31' })).toEqual({ from: OCTOBER_TO - 90 * DAY, to: OCTOBER_TO });
    });

    it('keeps the filters, trimmed; an empty one is no filter', () => {
      expect(query({ source: ' organic ', team: 'plg' })).toMatchObject({ source: 'organic', team: 'plg' });
      expect(query({ source: '', team: ' ' })).toEqual({ from: METRICS_NOW - 90 * DAY, to: METRICS_NOW });
    });

    it.each(['yesterday', '2026-02-30', '2026-10-01T00:00:00', '10/01/2026', '-5'])(
      'refuses `%s` with metrics.invalid_range saying what to send',
      (text) => {
        const error = codeOf(() => query({ from: text }));
        expect(error.code).toBe('metrics.invalid_range');
        expect(error.message).toBe(`\`from\` is not a date or a time: \`${text}\``);
        expect(error.hint).toContain('from=2026-10-01&to=2026-12-31');
        expect(error.hint).toContain('America/New_York');
      },
    );

    it('refuses `from` not before `to` with metrics.invalid_range', () => {
      expect(codeOf(() => query({ from: '2026-10-05', to: '2026-10-04' }))).toMatchObject({
        code: 'metrics.invalid_range',
        message: '`from` (2026-10-05T04:00:00.000Z) is not before `to` (2026-10-05T04:00:00.000Z)',
      });
      expect(codeOf(() => query({ from: '2026-12-01' })).code).toBe('metrics.invalid_range');
    });

    it('refuses a team the config lacks, listing the teams', () => {
      expect(codeOf(() => query({ team: 'sales' }))).toEqual({
        code: 'metrics.unknown_team',
        message: 'no team `sales` in the config',
        hint: 'use one of `enterprise`, `plg`, `west`, `central`, `east`, `international`, `general` or `cs` (team.teams), or leave `team` out for everyone',
      });
    });
  });

  describe('what is read', () => {
    it('reads only the parts an area or view uses; a source filter adds the contacts', () => {
      const sorted = (s: Set<string>) => [...s].sort();
      expect(sorted(metricsParts({ area: 'funnel' }, {}))).toEqual(['contacts', 'history']);
      expect(sorted(metricsParts({ area: 'sla' }, {}))).toEqual(['clocks']);
      expect(sorted(metricsParts({ area: 'sla' }, { source: 'organic' }))).toEqual(['clocks', 'contacts']);
      expect(sorted(metricsParts({ area: 'pipeline' }, {}))).toEqual(['approvals', 'deals']);
      expect(sorted(metricsParts({ view: 'sales' }, {}))).toEqual([
        'clocks',
        'contacts',
        'deals',
        'history',
        'touches',
      ]);
    });

    it('drops touches, routing decisions and clocks before `from`; keeps contacts, history and deals whole', async () => {
      const from = Date.parse('2026-10-10T00:00:00Z');
      const input = await loadMetricsInput(store, { from, to: OCTOBER_TO });
      expect(input.contacts).toHaveLength(8);
      expect(input.history).toEqual(everything.history);
      expect(input.deals.map((d) => d.id).sort()).toEqual(['d-cal', 'd-dee']);
      // bea's call (10-08) and her and old's routing and clocks are before the 10th.
      expect(input.touches.map((t) => t.contactKey)).toEqual([
        'email:bob@bob-co.com',
        'email:cal@cal-co.com',
        'email:dee@dee-co.com',
      ]);
      expect(input.assignments.map((a) => a.contactKey)).toEqual([
        'email:bob@bob-co.com',
        'email:cal@cal-co.com',
        'email:dee@dee-co.com',
      ]);
      expect(input.clocks.length).toBe(everything.clocks.length - 6);
      expect(input.clocks.every((c) => c.startedAt >= from)).toBe(true);
      expect(input.approvals).toEqual([]);
    });

    it('leaves the parts it does not read empty', async () => {
      const input = await loadMetricsInput(
        store,
        { from: OCTOBER_FROM, to: OCTOBER_TO },
        new Set(['clocks']),
      );
      expect([input.contacts, input.history, input.touches, input.assignments, input.deals]).toEqual([
        [],
        [],
        [],
        [],
        [],
      ]);
      expect(input.clocks.length).toBeGreaterThan(0);
      expect('approvals' in input).toBe(false);
    });
  });

  describe('the report', () => {
    it('gives the October funnel counted by hand', async () => {
      const report = await areaReport(store, setup, 'funnel', OCTOBER, METRICS_NOW);
      expect([report.from, report.to, report.asOf, report.timezone, report.area]).toEqual([
        '2026-10-01T04:00:00.000Z',
        '2026-11-01T04:00:00.000Z',
        '2026-11-02T12:00:00.000Z',
        'America/New_York',
        'funnel',
      ]);
      const f = report.metrics;
      expect(f.counts).toEqual(OCTOBER_COUNTS);
      expect(f.conversions).toEqual({
        leadToMql: { value: 0.6667, benchmark: { min: 0.05, max: 0.15 }, status: 'high' },
        mqlToSql: { value: 0.75, benchmark: { min: 0.3, max: 0.5 }, status: 'high' },
        sqlToOpportunity: { value: 0.6667, benchmark: { min: 0.5, max: 0.7 }, status: 'ok' },
        opportunityToCustomer: { value: 0.5, status: 'n/a' },
      });
      expect(f.rejections).toEqual({
        total: 1,
        byCode: [{ code: 'FIT-01', reason: 'Company too small', count: 1, share: 1 }],
      });
      expect(f.bySource.map((s) => [s.source, s.contacts, s.leads, s.mqls, s.sqls, s.leadToMql])).toEqual([
        ['organic', 3, 3, 3, 3, 1],
        ['paid_search', 3, 3, 1, 0, 0.3333],
        ['unknown', 1, 0, 0, 0, null],
      ]);
    });

    it('filters by source and by team', async () => {
      const organic = await areaReport(
        store,
        setup,
        'funnel',
        { ...OCTOBER, source: 'organic' },
        METRICS_NOW,
      );
      expect(organic.filters).toEqual({ source: 'organic', team: null });
      expect(organic.metrics.counts).toEqual({
        contacts: 3,
        leads: 3,
        mqls: 3,
        sqls: 3,
        opportunities: 2,
        customers: 1,
      });
      // Team plg is leo alone: cal.
      const plg = await areaReport(store, setup, 'funnel', { ...OCTOBER, team: 'plg' }, METRICS_NOW);
      expect(plg.metrics.counts).toEqual({
        contacts: 1,
        leads: 1,
        mqls: 1,
        sqls: 1,
        opportunities: 1,
        customers: 0,
      });
    });

    it('answers the pipeline, speed to lead and a view from the same history', async () => {
      const pipeline = (await areaReport(store, setup, 'pipeline', OCTOBER, METRICS_NOW)).metrics;
      expect([pipeline.open, pipeline.closed, pipeline.winRate.value, pipeline.winRate.status]).toEqual([
        { deals: 1, amount: 24000 },
        { won: 1, lost: 0, wonAmount: 12000 },
        1,
        'high',
      ]);
      const speed = (await areaReport(store, setup, 'speedToLead', OCTOBER, METRICS_NOW)).metrics;
      // First touches 3, 10, 2 and 1 minutes after the MQL entry: median (2 + 3) / 2 minutes.
      expect([speed.mqls, speed.contacted, speed.medianMs.value, speed.averageMs.value]).toEqual([
        4, 4, 150_000, 240_000,
      ]);
      const view = await viewReport(store, setup, 'executive', OCTOBER, METRICS_NOW);
      expect(view.view).toBe('executive');
      expect(view.metrics).toMatchObject({ leadToMql: { value: 0.6667 }, revenue: { wonInRange: 12000 } });
    });

    it('maps the dashed names to areas', () => {
      expect(['speed-to-lead', 'speedToLead', 'funnel', 'speed'].map(areaOfName)).toEqual([
        'speedToLead',
        'speedToLead',
        'funnel',
        undefined,
      ]);
    });
  });

  describe('reading only what is needed changes no number', () => {
    const SOURCES = [undefined, 'organic', 'paid_search', 'unknown'] as const;
    const TEAMS = [undefined, 'general', 'plg', 'enterprise'] as const;
    const START = Date.parse('2026-08-15T00:00:00Z');
    const SPAN = 110 * DAY;

    async function same(query: MetricsQuery): Promise<void> {
      for (const area of METRICS_AREAS) {
        const input = await loadMetricsInput(store, query, metricsParts({ area }, query));
        expect(computeArea(area, input, setup.model, query, METRICS_NOW), area).toEqual(
          computeArea(area, everything, setup.model, query, METRICS_NOW),
        );
      }
      for (const view of METRICS_VIEWS) {
        const input = await loadMetricsInput(store, query, metricsParts({ view }, query));
        expect(computeView(view, input, setup.model, query, METRICS_NOW), view).toEqual(
          computeView(view, everything, setup.model, query, METRICS_NOW),
        );
      }
    }

    it('for October, by source and by team', async () => {
      await same({ from: OCTOBER_FROM, to: OCTOBER_TO });
      await same({ from: OCTOBER_FROM, to: OCTOBER_TO, source: 'organic' });
      await same({ from: OCTOBER_FROM, to: OCTOBER_TO, team: 'general' });
    });

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
        fc.constantFrom(...SOURCES),
        fc.constantFrom(...TEAMS),
      ],
      { numRuns: 40 },
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
});

// The metric facts roll-ups on every dialect: built from the stored history, kept fresh by the
// engine's own writes (dirty marks in the same transaction), rebuilt when the config they depend on
// changes — and always giving the numbers computed on everything the store holds.
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { metricsModel } from '../config/metricsModel.ts';
import {
  computeArea,
  computeAreaFromFacts,
  FACT_AREAS,
  type MetricsInput,
  type MetricsModel,
  type MetricsQuery,
} from '../core/metrics/index.ts';
import type { Store } from '../core/ports.ts';
import { SimulatedClock } from './clock.ts';
import {
  METRICS_EVENTS,
  METRICS_NOW,
  OCTOBER_FROM,
  OCTOBER_TO,
  midMarket,
  seedMetricsHistory,
} from './__fixtures__/metricsHistory.ts';
import { readMetricFacts, refreshMetricFacts } from './metricFacts.ts';
import { areaReport, type MetricsSetup } from './metricsInput.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-08-15T00:00:00Z');
const SPAN = 110 * DAY;

async function everything(store: Store): Promise<MetricsInput> {
  return {
    contacts: await store.listContacts(),
    history: await store.stageHistory(),
    touches: await store.touches(),
    assignments: [],
    clocks: await store.listClocks(),
    deals: [],
  };
}

/** Every fact area from the store's facts equals the area computed on everything it holds. */
async function expectSame(store: Store, model: MetricsModel, query: MetricsQuery): Promise<void> {
  const all = await everything(store);
  for (const area of FACT_AREAS) {
    const facts = await readMetricFacts(store, model, query, METRICS_NOW, area);
    expect(computeAreaFromFacts(area, facts, model, query, METRICS_NOW), area).toEqual(
      computeArea(area, all, model, query, METRICS_NOW),
    );
  }
}

describe.each(DIALECTS)('metric facts on $name', (dialect) => {
  describe('over the October history', () => {
    let store: Store;
    let setup: MetricsSetup;
    beforeAll(async () => {
      store = await dialect.open();
      setup = await seedMetricsHistory(store);
    });
    afterAll(() => store.close());

    it('are built on first use from the stored history, one row per lead, and then clean', async () => {
      // The engine's writes marked every contact: the seven of October and `old`.
      expect(await store.metricFactsStatus()).toEqual({ dirty: 8 });
      const built = await refreshMetricFacts(store, setup, { now: METRICS_NOW });
      expect(built).toEqual({ full: true, contacts: 8 });
      const status = await store.metricFactsStatus();
      expect(status.dirty).toBe(0);
      expect(status.fingerprint).toContain('tz=America/New_York');
      const facts = await store.metricFacts({ from: OCTOBER_FROM, to: OCTOBER_TO });
      // The cohort's seven leads, counted by what the funnel tells apart: sub never became a lead (-1).
      expect(facts.leads.flatMap((l) => Array<number>(l.count).fill(l.rank)).sort()).toEqual([
        -1, 0, 0, 1, 2, 3, 4,
      ]);
      expect(facts.leads.flatMap((l) => l.rejections)).toEqual(['FIT-01']);
      expect(facts.mqlEntries.map((e) => e.at).sort()).toEqual(
        ['2026-10-08T15:00:00Z', '2026-10-13T15:00:00Z', '2026-10-14T15:00:00Z', '2026-10-15T15:00:00Z'].map(
          (t) => Date.parse(t),
        ),
      );
      // bea's first call came 3 minutes after her MQL entry.
      const bea = facts.mqlEntries.find((e) => e.at === Date.parse('2026-10-08T15:00:00Z'));
      expect((bea?.firstTouchAt ?? 0) - (bea?.at ?? 0)).toBe(180_000);
      // A second refresh with nothing marked writes nothing.
      expect(await refreshMetricFacts(store, setup, { now: METRICS_NOW })).toEqual({
        full: false,
        contacts: 0,
      });
    });

    it('give the report the October funnel counted by hand', async () => {
      const report = await areaReport(
        store,
        setup,
        'funnel',
        { from: '2026-10-01', to: '2026-10-31' },
        METRICS_NOW,
      );
      expect(report.metrics.counts).toEqual({
        contacts: 7,
        leads: 6,
        mqls: 4,
        sqls: 3,
        opportunities: 2,
        customers: 1,
      });
      expect(report.metrics.rejections.byCode).toEqual([
        { code: 'FIT-01', reason: 'Company too small', count: 1, share: 1 },
      ]);
    });

    fcTest.prop(
      [
        fc.integer({ min: START, max: START + SPAN }),
        fc.integer({ min: 1, max: SPAN }),
        fc.constantFrom(undefined, 'organic', 'paid_search', 'unknown'),
        fc.constantFrom(undefined, 'general', 'plg', 'enterprise'),
      ],
      { numRuns: 30 },
    )('equal the full computation for any range and filter', async (from, length, source, team) => {
      await expectSame(
        store,
        setup.model,
        Object.assign(
          { from, to: from + length },
          source === undefined ? {} : { source },
          team === undefined ? {} : { team },
        ),
      );
    });

    it('are rebuilt when the config they depend on changes (another zone)', async () => {
      const other = { model: setup.model, timezone: 'Europe/Berlin' };
      const rebuilt = await refreshMetricFacts(store, other, { now: METRICS_NOW });
      expect(rebuilt.full).toBe(true);
      expect((await store.metricFactsStatus()).fingerprint).toContain('tz=Europe/Berlin');
      // Back under the real setup: rebuilt again, and the numbers are the real ones.
      expect((await refreshMetricFacts(store, setup, { now: METRICS_NOW })).full).toBe(true);
      await expectSame(store, setup.model, { from: OCTOBER_FROM, to: OCTOBER_TO });
    });

    it('stay clean through writes that change nothing they read, and are marked by one that does', async () => {
      const { engine } = runtime(store, midMarket().config, new SimulatedClock(METRICS_NOW));
      expect((await store.metricFactsStatus()).dirty).toBe(0);
      // Page views of three leads past MQL: their score, activity and counts move, their stage,
      // owner and source do not — the facts have nothing to redo.
      const views = ['bob', 'cal', 'dee'].map((name, i) => ({
        id: `view-${i}`,
        type: 'page_view',
        at: '2026-10-30T15:00:00Z',
        contact: { email: `${name}@${name}-co.com` },
        properties: { url: 'https://example.com/pricing', category: 'pricing' },
      }));
      expect((await engine.ingest(views)).accepted).toBe(3);
      const viewed = await store.listContacts();
      expect(viewed.find((c) => c.key === 'email:bob@bob-co.com')?.lastActivityAt).toBe(
        Date.parse('2026-10-30T15:00:00Z'),
      );
      expect((await store.metricFactsStatus()).dirty).toBe(0);
      await expectSame(store, setup.model, { from: OCTOBER_FROM, to: OCTOBER_TO });
      // A source given to one of them moves it between the funnel's sources: marked, and refreshed.
      const identify = {
        id: 'source-1',
        type: 'identify',
        at: '2026-10-30T16:00:00Z',
        contact: { email: 'bob@bob-co.com', source: 'referral' },
      };
      expect((await engine.ingest([identify])).accepted).toBe(1);
      expect((await store.metricFactsStatus()).dirty).toBe(1);
      expect(await refreshMetricFacts(store, setup, { now: METRICS_NOW })).toEqual({
        full: false,
        contacts: 1,
      });
      await expectSame(store, setup.model, { from: OCTOBER_FROM, to: OCTOBER_TO });
      await expectSame(store, setup.model, { from: OCTOBER_FROM, to: OCTOBER_TO, source: 'referral' });
    });
  });

  // Refresh after any prefix of the history, ingest the rest, refresh again: the same numbers as a
  // store that never had facts. Proves the engine marks everything its writes change.
  fcTest.prop([fc.integer({ min: 1, max: METRICS_EVENTS.length - 1 })], { numRuns: 6 })(
    'stay exact when refreshed between any two parts of the history',
    async (split) => {
      const store = await dialect.open();
      try {
        const { config } = midMarket();
        const { engine, setup } = runtime(store, config, new SimulatedClock(METRICS_NOW));
        const facts = {
          model: metricsModel(config, setup.calendar),
          timezone: setup.calendar.spec.timezone,
        };
        await engine.ingest(METRICS_EVENTS.slice(0, split));
        await refreshMetricFacts(store, facts, { now: METRICS_NOW });
        await engine.ingest(METRICS_EVENTS.slice(split));
        expect((await store.metricFactsStatus()).dirty).toBeGreaterThan(0);
        const refreshed = await refreshMetricFacts(store, facts, { now: METRICS_NOW });
        expect(refreshed.full).toBe(false);
        // Whole UTC days: every count comes from the day roll-ups the refreshes moved by deltas.
        await expectSame(store, facts.model, { from: START, to: START + SPAN });
        // New York days: the partial UTC days at the edges come from the fact rows.
        await expectSame(store, facts.model, { from: OCTOBER_FROM, to: OCTOBER_TO });
        await expectSame(store, facts.model, { from: OCTOBER_FROM, to: OCTOBER_TO, team: 'general' });
      } finally {
        await store.close();
      }
    },
  );
});

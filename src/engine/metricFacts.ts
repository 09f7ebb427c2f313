/**
 * Keeps the store's metric facts (migration 0010, core/metrics/facts.ts) up to date for reports:
 * the engine's writes mark contacts dirty in their own transaction; `refreshMetricFacts` folds the
 * marked contacts in before a report reads, or rebuilds everything when the facts were built under
 * another config (funnel ranks, recycling stage, speed-to-lead clock, zone). Concurrent refreshes of
 * one store in this process share one run.
 */
import { factsFingerprint, leadFactsOf } from '../core/metrics/facts.ts';
import {
  type FactArea,
  type MetricsFacts,
  type MetricsModel,
  type MetricsQuery,
} from '../core/metrics/index.ts';
import type {
  DeriveFacts,
  MetricFactsParts,
  MetricFactsRefresh,
  MetricFactsRefreshResult,
  Store,
} from '../core/ports.ts';
import type { Millis } from '../core/types.ts';

export interface FactsSetup {
  readonly model: MetricsModel;
  readonly timezone: string;
}

export interface RefreshFactsOptions {
  readonly full?: boolean;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  readonly now: Millis;
}

const running = new WeakMap<Store, Promise<MetricFactsRefreshResult>>();

/** Refreshes (or rebuilds) the facts; throws if storage fails. */
export function refreshMetricFacts(
  store: Store,
  setup: FactsSetup,
  options: RefreshFactsOptions,
): Promise<MetricFactsRefreshResult> {
  const current = running.get(store);
  if (current !== undefined && options.full !== true) return current;
  const { model } = setup;
  const refresh: MetricFactsRefresh = Object.assign(
    {
      fingerprint: factsFingerprint(model, setup.timezone),
      derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
      now: options.now,
    },
    model.speedToLeadClock === undefined ? {} : { clockId: model.speedToLeadClock },
    options.full === true ? { full: true } : {},
    options.onProgress === undefined ? {} : { onProgress: options.onProgress },
  );
  const run = (current ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => store.refreshMetricFacts(refresh))
    .finally(() => {
      if (running.get(store) === run) running.delete(store);
    });
  running.set(store, run);
  return run;
}

/** What the funnel reads: its cohort, the recycled MQL entries and the closed stays. */
const FUNNEL_PARTS: MetricFactsParts = { leads: true, mqlEntries: 'recycled', closedStays: true };

/**
 * The facts `area`'s report over `query` reads from the store, filtered as the query says: for the
 * funnel the range's cohort, recycled MQL entries and closed stays, and the open stays summed up
 * against the p90s of those closed stays; for speed to lead the range's MQL entries counted by the
 * store (`MetricsFacts.speedToLead`, no entry read as a row). Throws if storage fails.
 */
export async function readMetricFacts(
  store: Store,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
  area: FactArea,
): Promise<MetricsFacts> {
  const filters = Object.assign(
    {},
    query.team === undefined ? {} : { owners: model.teams[query.team] ?? [] },
    query.source === undefined ? {} : { source: query.source },
  );
  if (area === 'speedToLead') {
    const speedToLead = await store.metricSpeedToLead(
      Object.assign(
        { from: query.from, to: query.to, now, targetMs: model.benchmarks.speedToLeadMs },
        filters,
      ),
    );
    return { leads: [], mqlEntries: [], closedStays: new Map(), openStays: new Map(), speedToLead };
  }
  // One snapshot for the counts, the rank lookups and the open stays (see Store.metricFunnelFacts).
  return store.metricFunnelFacts(
    Object.assign({ from: query.from, to: query.to, now, parts: FUNNEL_PARTS }, filters),
  );
}

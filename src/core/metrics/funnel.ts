/**
 * The lead funnel of a cohort: contacts created in [from, to) (after the source and team filters),
 * counted at each funnel stage they ever reached. A contact that reached a later stage counts at
 * every earlier one too (a deal can make a lead an opportunity straight away), so counts never
 * increase down the funnel. Recent cohorts are still converting: compare cohorts of equal age.
 */
import { checkQuery, factFilter } from './context.ts';
import { cohortOf, factsOfInput, type MetricsFacts } from './facts.ts';
import { figure, share, type Figure } from './figures.ts';
import { FUNNEL_STAGES, type MetricsInput, type MetricsModel, type MetricsQuery } from './model.ts';
import type { Millis } from '../types.ts';

/** Conversions between consecutive funnel stages, as fractions. */
export interface FunnelRates {
  readonly leadToMql: number | null;
  readonly mqlToSql: number | null;
  readonly sqlToOpportunity: number | null;
  readonly opportunityToCustomer: number | null;
}

/** Counts of one cohort (or one source of it). */
export interface FunnelCounts {
  /** Contacts created in the window (subscribers that never became leads included). */
  readonly contacts: number;
  readonly leads: number;
  readonly mqls: number;
  readonly sqls: number;
  readonly opportunities: number;
  readonly customers: number;
}

export interface RejectionCount {
  readonly code: string;
  /** The reason in words from `lifecycle.reasonCodes` (the code when unknown). */
  readonly reason: string;
  readonly count: number;
  /** Fraction of all rejections. */
  readonly share: number;
}

/**
 * `GET /v1/metrics/funnel`:
 * - `counts`: the cohort at each stage (`leads` … `customers`: reached it or a later stage, ever);
 * - `conversions`: lead→MQL, MQL→SQL (sales acceptance), SQL→opportunity with their benchmarks;
 *   opportunity→customer (the lead-side win rate; its benchmark lives on the pipeline's win rate);
 * - `rejections`: the cohort's sales rejections by reason code (each rejection counts; a lead
 *   rejected twice counts twice), most frequent first;
 * - `recycled`: recycled MQLs tracked apart — re-entries into MQL in the window after a stay in
 *   the recycling stage (whoever created them), and how many reached SQL or later before the
 *   lead's next MQL entry;
 * - `bySource`: the cohort by `contact.source`, largest first, with the same counts and rates.
 */
export interface FunnelMetrics {
  readonly window: { readonly from: Millis; readonly to: Millis };
  readonly counts: FunnelCounts;
  readonly conversions: {
    readonly leadToMql: Figure;
    readonly mqlToSql: Figure;
    readonly sqlToOpportunity: Figure;
    readonly opportunityToCustomer: Figure;
  };
  readonly rejections: { readonly total: number; readonly byCode: readonly RejectionCount[] };
  readonly recycled: { readonly mqls: number; readonly sqls: number; readonly conversion: number | null };
  readonly bySource: readonly (FunnelCounts & FunnelRates & { readonly source: string })[];
}

const RANK_OF = Object.fromEntries(FUNNEL_STAGES.map((s, i) => [s, i])) as Record<
  (typeof FUNNEL_STAGES)[number],
  number
>;

/** Leads of one highest rank, counted. */
interface RankCount {
  readonly rank: number;
  readonly count: number;
}

function counts(groups: readonly RankCount[]): FunnelCounts {
  const at = (rank: number): number => {
    let n = 0;
    for (const g of groups) if (g.rank >= rank) n += g.count;
    return n;
  };
  return {
    contacts: at(-Infinity),
    leads: at(RANK_OF.lead),
    mqls: at(RANK_OF.mql),
    sqls: at(RANK_OF.sql),
    opportunities: at(RANK_OF.opportunity),
    customers: at(RANK_OF.customer),
  };
}

export function funnelRates(c: FunnelCounts): FunnelRates {
  return {
    leadToMql: share(c.mqls, c.leads),
    mqlToSql: share(c.sqls, c.mqls),
    sqlToOpportunity: share(c.opportunities, c.sqls),
    opportunityToCustomer: share(c.customers, c.opportunities),
  };
}

function rejections(model: MetricsModel, byCode: ReadonlyMap<string, number>): FunnelMetrics['rejections'] {
  let total = 0;
  for (const count of byCode.values()) total += count;
  const rows = [...byCode.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, count]) => ({
      code,
      reason: model.reasonCodes[code] ?? code,
      count,
      share: share(count, total) ?? 0,
    }));
  return { total, byCode: rows };
}

/** The funnel of `query`'s cohort. Throws `metrics.invalid_range` for an empty range. */
export function funnelMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  _now: Millis,
): FunnelMetrics {
  checkQuery(query);
  const facts = factsOfInput(input, model);
  return funnelFromFacts(
    { leads: cohortOf(facts.leads, query.from, query.to), mqlEntries: facts.mqlEntries },
    model,
    query,
  );
}

/**
 * The funnel of `query`'s cohort from lead facts: the cohort's leads counted in groups and the MQL
 * entries (those outside the range are ignored). Throws `metrics.invalid_range` for an empty range.
 */
export function funnelFromFacts(
  facts: Pick<MetricsFacts, 'leads' | 'mqlEntries'>,
  model: MetricsModel,
  query: MetricsQuery,
): FunnelMetrics {
  const passes = factFilter(model, query);
  const inWindow = (at: Millis) => at >= query.from && at < query.to;
  const ranks: RankCount[] = [];
  const bySource = new Map<string, RankCount[]>();
  const codes = new Map<string, number>();
  for (const group of facts.leads) {
    if (!passes(group)) continue;
    ranks.push(group);
    const list = bySource.get(group.source);
    if (list === undefined) bySource.set(group.source, [group]);
    else list.push(group);
    for (const code of group.rejections) codes.set(code, (codes.get(code) ?? 0) + group.count);
  }
  let recycledMqls = 0;
  let recycledSqls = 0;
  for (const entry of facts.mqlEntries) {
    if (!entry.recycled || !inWindow(entry.at) || !passes(entry)) continue;
    recycledMqls++;
    if (entry.reachedSql) recycledSqls++;
  }
  const total = counts(ranks);
  const rates = funnelRates(total);
  const b = model.benchmarks;
  return {
    window: { from: query.from, to: query.to },
    counts: total,
    conversions: {
      leadToMql: figure(rates.leadToMql, b.leadToMql, 'no leads in the cohort'),
      mqlToSql: figure(rates.mqlToSql, b.mqlToSql, 'no MQLs in the cohort'),
      sqlToOpportunity: figure(rates.sqlToOpportunity, b.sqlToOpportunity, 'no SQLs in the cohort'),
      opportunityToCustomer: figure(rates.opportunityToCustomer, undefined, 'no opportunities in the cohort'),
    },
    rejections: rejections(model, codes),
    recycled: { mqls: recycledMqls, sqls: recycledSqls, conversion: share(recycledSqls, recycledMqls) },
    bySource: [...bySource.entries()]
      .map(([source, list]) => {
        const c = counts(list);
        return Object.assign({ source }, c, funnelRates(c));
      })
      .sort((a, b) => b.leads - a.leads || b.contacts - a.contacts || a.source.localeCompare(b.source)),
  };
}

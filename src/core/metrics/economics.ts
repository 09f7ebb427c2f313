/**
 * Unit economics for [from, to).
 *
 * - Spend: the `metrics.spend` rows whose period lies wholly inside the range, summed as given (do
 *   not list a month and its quarter both).
 * - New customers: accounts (a deal without an account counts alone) whose first won deal closed
 *   in one of those periods. Sales and marketing spend are not split by team or lead source, so
 *   CAC, LTV and payback ignore the query's filters.
 * - CAC = (sales + marketing spend) ÷ new customers; LTV = ARPA × gross margin ÷ monthly churn;
 *   LTV:CAC; payback = CAC ÷ (ARPA × gross margin), in months.
 * - Cost per MQL = marketing spend on a source (`bySource`) ÷ leads of that source whose first
 *   MQL entry fell in those periods; the total uses all marketing spend and all MQLs. The source
 *   filter keeps one source's row.
 * Every figure is null with a reason when an input is missing.
 */
import type { Millis } from '../types.ts';
import { checkQuery, createContext, entriesInto, sourceOf, type Context } from './context.ts';
import { figure, money, ratio, type Figure } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery, SpendRow } from './model.ts';
import { periodBounds, type Period } from './period.ts';

export interface SourceCost {
  readonly source: string;
  readonly spend: number;
  readonly mqls: number;
  readonly costPerMql: number | null;
}

/**
 * `GET /v1/metrics/economics`:
 * - `spend`: the periods covered and their `sales`, `marketing` and `total` spend;
 * - `newCustomers`, `cac`, `ltv`, `ltvToCac` (benchmark 3–5), `paybackMonths`;
 * - `costPerMql`: `total` (all marketing spend ÷ all MQLs) and `bySource`, largest spend first.
 */
export interface EconomicsMetrics {
  readonly spend: {
    readonly periods: readonly string[];
    readonly sales: number;
    readonly marketing: number;
    readonly total: number;
  };
  readonly newCustomers: number;
  readonly cac: Figure;
  readonly ltv: Figure;
  readonly ltvToCac: Figure;
  readonly paybackMonths: Figure;
  readonly costPerMql: { readonly total: Figure; readonly bySource: readonly SourceCost[] };
}

const SPEND_HINT =
  'add a `metrics.spend` row for a period inside the range, like `{ period: 2026-Q1, sales: 650000, marketing: 280000 }`';

function covered(model: MetricsModel, query: MetricsQuery): { rows: SpendRow[]; periods: Period[] } {
  const rows: SpendRow[] = [];
  const periods: Period[] = [];
  for (const row of model.spend) {
    const period = periodBounds(row.period, model);
    if (period === undefined || period.from < query.from || period.to > query.to) continue;
    rows.push(row);
    periods.push(period);
  }
  return { rows, periods };
}

function newCustomers(input: MetricsInput, within: (at: Millis) => boolean): number {
  const firstWin = new Map<string, number>();
  for (const deal of input.deals) {
    if (deal.status !== 'won' || deal.closedAt === undefined) continue;
    const account = deal.account ?? `deal:${deal.id}`;
    const seen = firstWin.get(account);
    if (seen === undefined || deal.closedAt < seen) firstWin.set(account, deal.closedAt);
  }
  let n = 0;
  for (const at of firstWin.values()) if (within(at)) n++;
  return n;
}

function mqlsBySource(ctx: Context, within: (at: Millis) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const contact of ctx.input.contacts) {
    const first = entriesInto(ctx.historyOf(contact.key), 'mql')[0];
    if (first === undefined || !within(first.at)) continue;
    const source = sourceOf(contact);
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  return counts;
}

function ltvFigure(model: MetricsModel): { ltv: Figure; raw: number | null } {
  const { arpa, grossMargin, monthlyChurn } = model.economics;
  if (arpa === undefined)
    return {
      ltv: figure(null, undefined, 'set metrics.economics.arpa (average revenue per account per month)'),
      raw: null,
    };
  if (monthlyChurn === undefined)
    return { ltv: figure(null, undefined, 'set metrics.economics.monthlyChurn'), raw: null };
  if (monthlyChurn === 0)
    return { ltv: figure(null, undefined, 'monthly churn is 0%: lifetime value has no bound'), raw: null };
  const raw = (arpa * grossMargin) / monthlyChurn;
  return { ltv: figure(money(raw)), raw };
}

/**
 * What economics counts from stored rows, in the spend periods inside the range
 * (`economicsPeriods`): accounts whose first won deal closed in one of them, and per lead source
 * the leads whose first MQL entry fell in one of them (no filter applies to either).
 */
export interface EconomicsCounts {
  readonly newCustomers: number;
  readonly mqlsBySource: ReadonlyMap<string, number>;
}

/** The spend periods wholly inside the range, as instants [from, to); they may overlap. Does not throw. */
export function economicsPeriods(
  model: MetricsModel,
  query: MetricsQuery,
): { readonly from: Millis; readonly to: Millis }[] {
  return covered(model, query).periods.map((p) => ({ from: p.from, to: p.to }));
}

export function economicsMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): EconomicsMetrics {
  const ctx = createContext(input, model, query, now);
  const { periods } = covered(model, query);
  const within = (at: Millis): boolean => periods.some((p) => at >= p.from && at < p.to);
  return economicsFromCounts(
    { newCustomers: newCustomers(input, within), mqlsBySource: mqlsBySource(ctx, within) },
    model,
    query,
  );
}

/**
 * Economics from the counts a store made (`EconomicsCounts`) over `economicsPeriods(model, query)`.
 * Throws `metrics.invalid_range` for an empty range.
 */
export function economicsFromCounts(
  counts: EconomicsCounts,
  model: MetricsModel,
  query: MetricsQuery,
): EconomicsMetrics {
  checkQuery(query);
  const { rows } = covered(model, query);
  const sales = rows.reduce((n, r) => n + r.sales, 0);
  const marketing = rows.reduce((n, r) => n + r.marketing, 0);
  const customers = counts.newCustomers;
  const ids = rows.map((r) => r.period);
  let cacRaw: number | null = null;
  let cac: Figure;
  if (rows.length === 0)
    cac = figure(null, undefined, `no spend for a period inside the range: ${SPEND_HINT}`);
  else if (customers === 0) cac = figure(null, undefined, `no new customer in ${ids.join(', ')}`);
  else {
    cacRaw = (sales + marketing) / customers;
    cac = figure(money(cacRaw));
  }
  const { ltv, raw: ltvRaw } = ltvFigure(model);
  const ltvToCac =
    ltvRaw === null || cacRaw === null || cacRaw === 0
      ? figure(null, model.benchmarks.ltvToCac, ltvRaw === null ? ltv.reason : (cac.reason ?? 'CAC is 0'))
      : figure(ratio(ltvRaw / cacRaw), model.benchmarks.ltvToCac);
  const { arpa, grossMargin } = model.economics;
  const monthly = arpa === undefined ? 0 : arpa * grossMargin;
  const paybackMonths =
    cacRaw === null
      ? figure(null, undefined, cac.reason)
      : monthly === 0
        ? figure(null, undefined, 'set metrics.economics.arpa (and a gross margin above 0%)')
        : figure(ratio(cacRaw / monthly));

  const mqls = counts.mqlsBySource;
  const allMqls = [...mqls.values()].reduce((n, v) => n + v, 0);
  const spendBySource = new Map<string, number>();
  for (const row of rows)
    for (const [source, amount] of Object.entries(row.bySource ?? {}))
      spendBySource.set(source, (spendBySource.get(source) ?? 0) + amount);
  const bySource = [...spendBySource.entries()]
    .filter(([source]) => query.source === undefined || source === query.source)
    .map(([source, spend]): SourceCost => {
      const n = mqls.get(source) ?? 0;
      return { source, spend: money(spend), mqls: n, costPerMql: n === 0 ? null : money(spend / n) };
    })
    .sort((a, b) => b.spend - a.spend || a.source.localeCompare(b.source));
  const total =
    rows.length === 0
      ? figure(null, undefined, `no spend for a period inside the range: ${SPEND_HINT}`)
      : allMqls === 0
        ? figure(null, undefined, `no MQL in ${ids.join(', ')}`)
        : figure(money(marketing / allMqls));
  return {
    spend: {
      periods: ids,
      sales: money(sales),
      marketing: money(marketing),
      total: money(sales + marketing),
    },
    newCustomers: customers,
    cac,
    ltv,
    ltvToCac,
    paybackMonths,
    costPerMql: { total, bySource },
  };
}

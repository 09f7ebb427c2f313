/**
 * Forecast categories and forecast against actual.
 *
 * Category of an open deal, from its stage probability: `commit` at 75% or more, `best_case` at
 * 40% or more, `pipeline` above 0% (or no probability configured), `omitted` at 0%. A stale deal or
 * one flagged for forecast review (close date pushed twice) drops one category.
 *
 * Forecast against actual, for [from, to): the deals open at `from` whose close date as of `from`
 * fell in the range (the date before the first push after `from`; pulled-in dates are not
 * recorded, so they count with today's date), valued at their amount and at amount × the
 * probability of their stage as of `from`; actual is the amount won in the range (every deal).
 */
import type { DealState } from '../pipeline/types.ts';
import type { Context } from './context.ts';
import { figure, money, rate, type Figure } from './figures.ts';
import { stageProbability } from './dealStages.ts';

export const FORECAST_CATEGORIES = ['commit', 'best_case', 'pipeline', 'omitted'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];
export const COMMIT_FROM = 0.75;
export const BEST_CASE_FROM = 0.4;

export interface CategoryRow {
  readonly category: ForecastCategory;
  readonly deals: number;
  readonly amount: number;
  /** Σ amount × stage probability. */
  readonly weighted: number;
}

export interface ForecastVsActual {
  readonly forecast: {
    readonly deals: number;
    readonly amount: number;
    readonly weighted: number;
    /** Amount of the deals that were in `commit` by probability at `from`. */
    readonly commit: number;
  };
  readonly actual: {
    readonly won: number;
    readonly wonAmount: number;
    /** Won amount of the forecast deals. */
    readonly forecastWonAmount: number;
  };
  /** Won amount ÷ weighted forecast. */
  readonly accuracy: Figure;
}

function byProbability(p: number | undefined): ForecastCategory {
  if (p === undefined) return 'pipeline';
  if (p >= COMMIT_FROM) return 'commit';
  if (p >= BEST_CASE_FROM) return 'best_case';
  return p > 0 ? 'pipeline' : 'omitted';
}

/** The forecast category of an open deal now. */
export function forecastCategory(ctx: Context, deal: DealState): ForecastCategory {
  const base = byProbability(stageProbability(ctx.model.pipelines, deal.pipeline, deal.stage));
  const flagged = deal.flags.stale !== undefined || deal.flags.forecastReview;
  if (!flagged) return base;
  return FORECAST_CATEGORIES[Math.min(FORECAST_CATEGORIES.indexOf(base) + 1, 3)] as ForecastCategory;
}

export function categoryRows(ctx: Context, open: readonly DealState[]): CategoryRow[] {
  return FORECAST_CATEGORIES.map((category) => {
    const mine = open.filter((d) => forecastCategory(ctx, d) === category);
    let amount = 0;
    let weighted = 0;
    for (const d of mine) {
      amount += d.amount ?? 0;
      weighted += (d.amount ?? 0) * (stageProbability(ctx.model.pipelines, d.pipeline, d.stage) ?? 0);
    }
    return { category, deals: mine.length, amount: money(amount), weighted: money(weighted) };
  });
}

function closeDateAt(deal: DealState, at: number): string | undefined {
  const later = deal.pushes.filter((p) => p.at > at).sort((a, b) => a.at - b.at);
  return later[0]?.from ?? deal.closeDate;
}

function stageAt(deal: DealState, at: number): string | undefined {
  let stage: string | undefined;
  for (const move of deal.history) if (move.at <= at) stage = move.to;
  return stage;
}

export function forecastVsActual(ctx: Context, deals: readonly DealState[]): ForecastVsActual {
  const { from, to } = ctx.query;
  const first = ctx.model.localTime(from).date;
  const last = ctx.model.localTime(to - 1).date;
  let amount = 0;
  let weighted = 0;
  let commit = 0;
  let forecastWonAmount = 0;
  let count = 0;
  for (const deal of deals) {
    if (deal.createdAt > from || (deal.closedAt !== undefined && deal.closedAt <= from)) continue;
    const date = closeDateAt(deal, from);
    const stage = stageAt(deal, from);
    if (date === undefined || stage === undefined || date < first || date > last) continue;
    const p = stageProbability(ctx.model.pipelines, deal.pipeline, stage);
    count++;
    amount += deal.amount ?? 0;
    weighted += (deal.amount ?? 0) * (p ?? 0);
    if (byProbability(p) === 'commit') commit += deal.amount ?? 0;
    if (deal.status === 'won' && deal.closedAt !== undefined && ctx.inWindow(deal.closedAt))
      forecastWonAmount += deal.amount ?? 0;
  }
  const won = deals.filter((d) => d.status === 'won' && d.closedAt !== undefined && ctx.inWindow(d.closedAt));
  const wonAmount = won.reduce((n, d) => n + (d.amount ?? 0), 0);
  return {
    forecast: { deals: count, amount: money(amount), weighted: money(weighted), commit: money(commit) },
    actual: { won: won.length, wonAmount: money(wonAmount), forecastWonAmount: money(forecastWonAmount) },
    accuracy: figure(
      weighted === 0 ? null : rate(wonAmount / weighted),
      undefined,
      'no open deal was forecast to close in the range at its start',
    ),
  };
}

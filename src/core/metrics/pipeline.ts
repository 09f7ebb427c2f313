/**
 * Pipeline figures from deals (source filter by the deal's `source`, team filter by its owner).
 *
 * - Open pipeline: deals open now, their count and amount.
 * - Win rate: deals closed in [from, to), won ÷ (won + lost); also by source.
 * - Velocity per day: (open deals × average won amount × win rate) ÷ average sales cycle in days,
 *   the last three from the deals won (or closed) in the range; the cycle runs from creation to
 *   close.
 * - Coverage: open pipeline amount ÷ remaining quota, where remaining = the quota of the quota
 *   period holding `now` (the team's, or the company's) − the amount won in that period. All open
 *   deals count, whatever their close date.
 * - Slip: of the deals open at some point in the range, the share with at least one close-date push
 *   (by `to`); `pushes` counts the pushes made in the range.
 * - Stale and forecast review: open deals flagged now.
 */
import type { DealState } from '../pipeline/types.ts';
import { DAY_MS } from '../time/localDay.ts';
import type { Millis } from '../types.ts';
import { createContext, UNKNOWN_SOURCE, type Context } from './context.ts';
import { dealDeskMetrics, type DealDeskMetrics } from './dealDesk.ts';
import { dealStageRows, type DealStageRow } from './dealStages.ts';
import { figure, mean, money, ratio, share, sum, type Figure } from './figures.ts';
import { categoryRows, forecastVsActual, type CategoryRow, type ForecastVsActual } from './forecast.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';
import { quotaPeriodAt } from './period.ts';

/**
 * `GET /v1/metrics/pipeline`:
 * - `open`: `deals` and `amount` open now;
 * - `stages`: per pipeline and open stage, conversion and time in stage (see dealStages.ts);
 * - `winRate` (benchmark 20–30%), `closed` (`won`, `lost`, `wonAmount`), `winRateBySource`;
 * - `averageWonAmount`, `averageCycleDays`, `velocityPerDay` (money per day);
 * - `coverage` (benchmark 3–4×) with `quota` (the period, its quota, won, remaining);
 * - `slip` (`deals`, `slipped`, `slipRate`, `pushes`, `averageSlipDays`), `stale`, `forecastReview`;
 * - `forecast`: open deals by category, and forecast against actual for the range (forecast.ts);
 * - `dealDesk`: approval requests in the range (present only when approvals were given).
 */
export interface PipelineMetrics {
  readonly open: { readonly deals: number; readonly amount: number };
  readonly stages: readonly DealStageRow[];
  readonly winRate: Figure;
  readonly closed: { readonly won: number; readonly lost: number; readonly wonAmount: number };
  readonly winRateBySource: readonly {
    readonly source: string;
    readonly won: number;
    readonly lost: number;
    readonly winRate: number | null;
  }[];
  readonly averageWonAmount: number | null;
  readonly averageCycleDays: number | null;
  readonly velocityPerDay: Figure;
  readonly coverage: Figure;
  readonly quota: {
    readonly period: string;
    readonly from: Millis;
    readonly to: Millis;
    readonly quota: number | null;
    readonly won: number;
    readonly remaining: number | null;
  };
  readonly slip: {
    readonly deals: number;
    readonly slipped: number;
    readonly slipRate: number | null;
    readonly pushes: number;
    readonly averageSlipDays: number | null;
  };
  readonly stale: number;
  readonly forecastReview: number;
  readonly forecast: { readonly categories: readonly CategoryRow[]; readonly vsActual: ForecastVsActual };
  readonly dealDesk?: DealDeskMetrics;
}

const amountOf = (deals: readonly DealState[]): number => sum(deals.map((d) => d.amount ?? 0));
const closedIn = (ctx: Context, d: DealState): boolean =>
  d.closedAt !== undefined && ctx.inWindow(d.closedAt);

function velocity(
  openDeals: number,
  averageWon: number | null,
  winRate: number | null,
  cycleDays: number | null,
): Figure {
  if (winRate === null) return figure(null, undefined, 'no deal was won or lost in the range');
  if (averageWon === null || cycleDays === null)
    return figure(null, undefined, 'no deal with an amount was won in the range');
  if (cycleDays <= 0) return figure(null, undefined, 'the won deals closed the day they were created');
  return figure(money((openDeals * averageWon * winRate) / cycleDays));
}

function coverage(ctx: Context, deals: readonly DealState[], openAmount: number) {
  const period = quotaPeriodAt(ctx.now, ctx.model);
  const team = ctx.query.team;
  const quota = team === undefined ? ctx.model.totalQuota : ctx.model.teamQuotas[team];
  const won = amountOf(
    deals.filter(
      (d) =>
        d.status === 'won' && d.closedAt !== undefined && d.closedAt >= period.from && d.closedAt < period.to,
    ),
  );
  const remaining = quota === undefined ? null : quota - won;
  const benchmark = ctx.model.benchmarks.pipelineCoverage;
  const value =
    quota === undefined
      ? figure(
          null,
          benchmark,
          `no quota${team === undefined ? '' : ` for team ${team}`}: set metrics.teamQuotas or team.reps[].quota`,
        )
      : remaining !== null && remaining <= 0
        ? figure(null, benchmark, `the ${period.id} quota is already met`)
        : figure(ratio(openAmount / (remaining as number)), benchmark);
  return {
    coverage: value,
    quota: {
      period: period.id,
      from: period.from,
      to: period.to,
      quota: quota ?? null,
      won: money(won),
      remaining: remaining === null ? null : money(remaining),
    },
  };
}

function slip(ctx: Context, deals: readonly DealState[]): PipelineMetrics['slip'] {
  const { from, to } = ctx.query;
  const scope = deals.filter((d) => d.createdAt < to && (d.closedAt === undefined || d.closedAt >= from));
  const slipped = scope.filter((d) => d.pushes.some((p) => p.at < to)).length;
  const pushes = scope.flatMap((d) => d.pushes.filter((p) => ctx.inWindow(p.at)));
  const days = mean(pushes.map((p) => p.slipDays));
  return {
    deals: scope.length,
    slipped,
    slipRate: share(slipped, scope.length),
    pushes: pushes.length,
    averageSlipDays: days === null ? null : ratio(days),
  };
}

export function pipelineMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): PipelineMetrics {
  const ctx = createContext(input, model, query, now);
  const deals = input.deals.filter((d) => ctx.dealIn(d));
  const open = deals.filter((d) => d.status === 'open');
  const openAmount = amountOf(open);
  const won = deals.filter((d) => d.status === 'won' && closedIn(ctx, d));
  const lost = deals.filter((d) => d.status === 'lost' && closedIn(ctx, d));
  const decided = won.length + lost.length;
  const winRate = share(won.length, decided);
  const withAmount = won.filter((d) => d.amount !== undefined);
  const averageWon = mean(withAmount.map((d) => d.amount as number));
  const cycle = mean(won.map((d) => ((d.closedAt as number) - d.createdAt) / DAY_MS));
  const sources = new Map<string, { won: number; lost: number }>();
  for (const d of [...won, ...lost]) {
    const key = d.source ?? UNKNOWN_SOURCE;
    const row = sources.get(key) ?? { won: 0, lost: 0 };
    if (d.status === 'won') row.won++;
    else row.lost++;
    sources.set(key, row);
  }
  const result: PipelineMetrics = Object.assign(
    {
      open: { deals: open.length, amount: money(openAmount) },
      stages: dealStageRows(ctx, deals),
      winRate: figure(winRate, model.benchmarks.winRate, 'no deal was won or lost in the range'),
      closed: { won: won.length, lost: lost.length, wonAmount: money(amountOf(won)) },
      winRateBySource: [...sources.entries()]
        .map(([source, r]) => ({ source, won: r.won, lost: r.lost, winRate: share(r.won, r.won + r.lost) }))
        .sort((a, b) => b.won + b.lost - (a.won + a.lost) || a.source.localeCompare(b.source)),
      averageWonAmount: averageWon === null ? null : money(averageWon),
      averageCycleDays: cycle === null ? null : ratio(cycle),
      velocityPerDay: velocity(open.length, averageWon, decided === 0 ? null : won.length / decided, cycle),
    },
    coverage(ctx, deals, openAmount),
    {
      slip: slip(ctx, deals),
      stale: open.filter((d) => d.flags.stale !== undefined).length,
      forecastReview: open.filter((d) => d.flags.forecastReview).length,
      forecast: { categories: categoryRows(ctx, open), vsActual: forecastVsActual(ctx, deals) },
    },
  );
  if (input.approvals === undefined) return result;
  const byId = new Map(input.deals.map((d) => [d.id, d]));
  return Object.assign(result, { dealDesk: dealDeskMetrics(ctx, input.approvals, byId) });
}

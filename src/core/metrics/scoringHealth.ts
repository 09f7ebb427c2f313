/**
 * Scoring health, by the reference's warning signs (revops-scoring-models.md "Warning Signs Your
 * Model Needs Recalibration"): MQL-to-SQL acceptance below 30%, and MQL volume spiking without
 * pipeline to match.
 *
 * - Acceptance: of the MQL entries in [from, to), sales accepted those that reached SQL (or later)
 *   before a rejection and before the next MQL entry, and rejected those with a sales rejection
 *   first; the rest are pending. Acceptance = accepted ÷ (accepted + rejected), as in
 *   core/calibration; its warning waits for `MIN_DECISIONS` decisions.
 * - Weeks: whole local weeks (Monday first) overlapping the range. A week spikes when its MQL
 *   entries exceed `SPIKE_FACTOR` (1.5) × the average of the 4 weeks before it (that average above
 *   0); the pipeline grew when deals created that week exceed their own 4-week average. A spike
 *   without growth is a warning.
 *
 * Both paths share `scoringFromCounts`: the rows (`scoringHealth`) and the store, which counts the
 * MQL entries of the metric facts and the deals per week of `scoringWeeks` in SQL
 * (`Store.metricScoringCounts`).
 */
import { ACCEPTANCE_FLOOR, MIN_DECISIONS, SPIKE_FACTOR } from '../calibration/warnings.ts';
import type { Millis } from '../types.ts';
import { checkQuery, createContext, entriesInto } from './context.ts';
import { salesDecision } from './facts.ts';
import { figure, ratio, share, type Figure } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';
import { addDays, weekOf, weekStart } from './period.ts';

export const TRAILING_WEEKS = 4;

export interface ScoringWeek {
  /** The Monday, `YYYY-MM-DD`. */
  readonly week: string;
  readonly mqls: number;
  /** Mean MQLs of the 4 weeks before (2 places). */
  readonly trailingAverage: number;
  readonly dealsCreated: number;
  readonly dealsTrailingAverage: number;
  readonly spike: boolean;
}

export interface ScoringWarning {
  readonly code: 'low_acceptance' | 'mql_spike_without_pipeline';
  readonly message: string;
  readonly hint: string;
  readonly week?: string;
}

/**
 * `GET /v1/metrics/scoring`:
 * - `weeks`: per week, `mqls`, `trailingAverage`, `dealsCreated`, `dealsTrailingAverage`, `spike`;
 * - `acceptance`: accepted ÷ decided, against a floor of 30%;
 * - `decisions`: `accepted`, `rejected`, `pending` MQL entries;
 * - `warnings`: `low_acceptance` (recalibrate) and `mql_spike_without_pipeline` (one per week).
 */
export interface ScoringHealth {
  readonly weeks: readonly ScoringWeek[];
  readonly acceptance: Figure;
  readonly decisions: ScoringDecisions;
  readonly warnings: readonly ScoringWarning[];
}

/** What sales decided about the MQL entries in [from, to) (the filters applied). */
export interface ScoringDecisions {
  readonly accepted: number;
  readonly rejected: number;
  readonly pending: number;
}

/**
 * What scoring health is built from, the filters applied (an entry by its lead's source and
 * current owner, a deal by its own):
 * - `mqls`: MQL entries per local week (its Monday, `weekOf`), every entry of the week (also those
 *   before `from` or from `to` on in the range's edge weeks); at least the weeks shown and the 4
 *   before the first (`scoringWeeks`), a week absent counting 0;
 * - `deals`: deals created per local week, the same weeks;
 * - `decisions`: of the MQL entries in [from, to).
 */
export interface ScoringCounts {
  readonly mqls: ReadonlyMap<string, number>;
  readonly deals: ReadonlyMap<string, number>;
  readonly decisions: ScoringDecisions;
}

/** A local week as the instants [from, to) (`weekStart` of its Monday and of the next). */
export interface WeekSpan {
  /** The Monday, `YYYY-MM-DD`. */
  readonly week: string;
  readonly from: Millis;
  readonly to: Millis;
}

const pct = (value: number): string => `${Math.round(value * 100)}%`;

/** The Mondays of the weeks shown for `query` (those overlapping [from, to)), in order. */
function weeksShown(model: MetricsModel, query: MetricsQuery): string[] {
  const weeks: string[] = [];
  const last = weekOf(query.to - 1, model);
  for (let week = weekOf(query.from, model); week <= last; week = addDays(week, 7)) weeks.push(week);
  return weeks;
}

/**
 * The weeks `ScoringCounts` counts for `query` as instants, in time order: the 4 weeks before the
 * first week shown, then the weeks shown; each span ends where the next begins. Throws
 * `metrics.invalid_range` for an empty range.
 */
export function scoringWeeks(model: MetricsModel, query: MetricsQuery): WeekSpan[] {
  checkQuery(query);
  const shown = weeksShown(model, query);
  const first = shown[0] as string;
  const mondays = [
    ...Array.from({ length: TRAILING_WEEKS }, (_, i) => addDays(first, -7 * (TRAILING_WEEKS - i))),
    ...shown,
  ];
  const starts = [...mondays, addDays(mondays[mondays.length - 1] as string, 7)].map((monday) =>
    weekStart(monday, model),
  );
  return mondays.map((week, i) => ({ week, from: starts[i] as Millis, to: starts[i + 1] as Millis }));
}

/** Scoring health from the rows: counts them and builds the report with `scoringFromCounts`. */
export function scoringHealth(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): ScoringHealth {
  const ctx = createContext(input, model, query, now);
  const sqlRank = model.funnelRank['sql'] ?? 2;
  const mqls = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  let accepted = 0;
  let rejected = 0;
  let pending = 0;
  for (const contact of input.contacts) {
    if (!ctx.contactIn(contact)) continue;
    const history = ctx.historyOf(contact.key);
    for (const entry of entriesInto(history, 'mql')) {
      bump(mqls, weekOf(entry.at, model));
      if (!ctx.inWindow(entry.at)) continue;
      const decision = salesDecision(history, entry, model, sqlRank);
      if (decision === undefined) pending++;
      else if (decision) accepted++;
      else rejected++;
    }
  }
  const deals = new Map<string, number>();
  for (const deal of input.deals) if (ctx.dealIn(deal)) bump(deals, weekOf(deal.createdAt, model));
  return scoringFromCounts({ mqls, deals, decisions: { accepted, rejected, pending } }, model, query);
}

/**
 * Scoring health from its counts (see `ScoringCounts`): the weeks shown with their trailing
 * averages and spikes, acceptance and the warnings. Throws `metrics.invalid_range` for an empty
 * range.
 */
export function scoringFromCounts(
  counts: ScoringCounts,
  model: MetricsModel,
  query: MetricsQuery,
): ScoringHealth {
  checkQuery(query);
  const trailing = (map: ReadonlyMap<string, number>, week: string): number => {
    let total = 0;
    for (let i = 1; i <= TRAILING_WEEKS; i++) total += map.get(addDays(week, -7 * i)) ?? 0;
    return total / TRAILING_WEEKS;
  };
  const weeks: ScoringWeek[] = weeksShown(model, query).map((week) => {
    const mqls = counts.mqls.get(week) ?? 0;
    const average = trailing(counts.mqls, week);
    return {
      week,
      mqls,
      trailingAverage: ratio(average),
      dealsCreated: counts.deals.get(week) ?? 0,
      dealsTrailingAverage: ratio(trailing(counts.deals, week)),
      spike: average > 0 && mqls > SPIKE_FACTOR * average,
    };
  });

  const { accepted, rejected } = counts.decisions;
  const acceptance = share(accepted, accepted + rejected);
  const warnings: ScoringWarning[] = [];
  if (acceptance !== null && accepted + rejected >= MIN_DECISIONS && acceptance < ACCEPTANCE_FLOOR)
    warnings.push({
      code: 'low_acceptance',
      message: `Sales accepted ${accepted} of ${accepted + rejected} MQLs (${pct(acceptance)}), below ${pct(ACCEPTANCE_FLOOR)}.`,
      hint: 'Recalibrate scoring (`revops calibrate`): tighten fit criteria or raise the MQL threshold.',
    });
  for (const w of weeks)
    if (w.spike && w.dealsCreated <= w.dealsTrailingAverage)
      warnings.push({
        code: 'mql_spike_without_pipeline',
        week: w.week,
        message: `${w.mqls} MQLs in the week of ${w.week}, over ${SPIKE_FACTOR}× the ${w.trailingAverage} a week before it, with no growth in new deals (${w.dealsCreated}).`,
        hint: 'Check what drove the spike (a campaign, a scoring change) before sales spends time on it; recalibrate if the new MQLs do not convert.',
      });
  return {
    weeks,
    acceptance: figure(acceptance, { min: ACCEPTANCE_FLOOR }, 'no MQL was accepted or rejected yet'),
    decisions: { accepted, rejected, pending: counts.decisions.pending },
    warnings,
  };
}

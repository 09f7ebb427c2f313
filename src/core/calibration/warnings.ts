/**
 * The reference's warning signs that a scoring model needs recalibrating: "MQL-to-SQL acceptance
 * rate drops below 30%", "high-scoring leads don't convert; low-scoring leads do", "MQL volume
 * spikes without corresponding revenue" — plus a caveat when too few outcomes are known for any of
 * the figures to mean much.
 */
import { qualifies, type ScoredLead } from './thresholds.ts';

export const WARNING_CODES = [
  'low_acceptance',
  'high_scores_not_converting',
  'low_scores_converting',
  'mql_spike_without_revenue',
  'too_few_outcomes',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface WarningSign {
  readonly code: WarningCode;
  /** What was seen, with the figures. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
}

export interface CalibrationFacts {
  readonly leads: readonly ScoredLead[];
  readonly threshold: number;
  /** Sales decisions on MQLs. */
  readonly decisions: { readonly accepted: number; readonly rejected: number };
  /** One entry per month (`2026-03`), in any order. */
  readonly months: readonly { readonly month: string; readonly mqls: number; readonly won: number }[];
}

/** Acceptance below this share of decisions is a warning sign… */
export const ACCEPTANCE_FLOOR = 0.3;
/** …once there are at least this many decisions. */
export const MIN_DECISIONS = 10;
/** Outcomes needed on each side (qualifying / not) to compare win rates. */
export const MIN_OUTCOMES_PER_SIDE = 5;
/** Won leads needed before "most wins did not qualify" means anything. */
export const MIN_WON = 5;
/** A month with at least this multiple of the median MQLs of the months before it is a spike… */
export const SPIKE_FACTOR = 1.5;
/** …when at least this many months precede it. */
export const MIN_PRECEDING_MONTHS = 3;
/** Fewer leads with an outcome than this make every figure noisy. */
export const MIN_OUTCOMES = 30;

/** The warning signs that hold, in the order of WARNING_CODES (spikes oldest first). */
export function warningSigns(facts: CalibrationFacts): WarningSign[] {
  return [
    ...lowAcceptance(facts.decisions),
    ...scoresVersusOutcomes(facts.leads, facts.threshold),
    ...spikes(facts.months),
    ...tooFewOutcomes(facts.leads),
  ];
}

function lowAcceptance({ accepted, rejected }: CalibrationFacts['decisions']): WarningSign[] {
  const total = accepted + rejected;
  if (total < MIN_DECISIONS || accepted / total >= ACCEPTANCE_FLOOR) return [];
  return [
    {
      code: 'low_acceptance',
      message: `Sales accepted ${accepted} of ${total} MQLs (${percent(accepted / total)}), below ${percent(ACCEPTANCE_FLOOR)}.`,
      hint: 'Tighten fit criteria or raise the threshold so fewer unready leads reach sales.',
    },
  ];
}

function scoresVersusOutcomes(leads: readonly ScoredLead[], threshold: number): WarningSign[] {
  const signs: WarningSign[] = [];
  const closed = leads.filter((l) => l.outcome !== undefined);
  const above = closed.filter((l) => qualifies(l, threshold));
  const below = closed.filter((l) => !qualifies(l, threshold));
  const wonAbove = above.filter((l) => l.outcome === 'won').length;
  const wonBelow = below.filter((l) => l.outcome === 'won').length;

  if (
    above.length >= MIN_OUTCOMES_PER_SIDE &&
    below.length >= MIN_OUTCOMES_PER_SIDE &&
    wonAbove / above.length <= wonBelow / below.length
  ) {
    signs.push({
      code: 'high_scores_not_converting',
      message:
        `Leads that qualify at threshold ${threshold} won ${percent(wonAbove / above.length)} ` +
        `(${wonAbove} of ${above.length}), no better than ${percent(wonBelow / below.length)} ` +
        `(${wonBelow} of ${below.length}) for leads that do not.`,
      hint: 'Review which rules add points: lower or remove rules that won and lost deals hit alike, and tighten fit criteria.',
    });
  }

  const won = wonAbove + wonBelow;
  if (won >= MIN_WON && wonBelow > won / 2) {
    signs.push({
      code: 'low_scores_converting',
      message: `${wonBelow} of ${won} won leads (${percent(wonBelow / won)}) would not have qualified at threshold ${threshold}.`,
      hint: 'Lower the threshold or add the signals won deals share.',
    });
  }
  return signs;
}

function spikes(months: CalibrationFacts['months']): WarningSign[] {
  const ordered = [...months].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return ordered.flatMap((m, i): WarningSign[] => {
    if (i < MIN_PRECEDING_MONTHS) return [];
    const before = ordered.slice(0, i);
    const mqlMedian = median(before.map((b) => b.mqls));
    const wonMedian = median(before.map((b) => b.won));
    // A month must also exceed the median: 0 MQLs against a median of 0 is no spike.
    if (!(m.mqls > mqlMedian && m.mqls >= SPIKE_FACTOR * mqlMedian && m.won <= wonMedian)) return [];
    const ratio = mqlMedian > 0 ? ` (${decimal(m.mqls / mqlMedian)}×)` : '';
    return [
      {
        code: 'mql_spike_without_revenue',
        message:
          `${m.month}: ${m.mqls} MQLs against a median of ${decimal(mqlMedian)} over the ${before.length} ` +
          `months before${ratio}, but ${m.won} won (median ${decimal(wonMedian)}).`,
        hint: 'Find the source of the extra MQLs (a campaign, form or list import) and tighten or decay the signals it triggers.',
      },
    ];
  });
}

function tooFewOutcomes(leads: readonly ScoredLead[]): WarningSign[] {
  const closed = leads.filter((l) => l.outcome !== undefined).length;
  if (closed >= MIN_OUTCOMES) return [];
  return [
    {
      code: 'too_few_outcomes',
      message: `Only ${closed} leads have a won or lost outcome; below ${MIN_OUTCOMES} the figures are noisy.`,
      hint: 'Treat the suggestions as rough: widen the history window or wait for more closed deals before changing points.',
    },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? 0;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** At most one decimal: 2, 2.5, 1.7. */
function decimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * What an MQL threshold would have done to leads whose outcome is known: per candidate threshold,
 * how many leads qualify, how many of those were won or lost, precision and recall, and the
 * reference rule for a starting point ("set the threshold just below where 80% of closed-won deals
 * would have scored").
 */

export const OUTCOMES = ['won', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ScoredLead {
  /** The best total the lead reached before its outcome (or the end of history) while eligible. */
  readonly score: number;
  /** Fit and engagement minimums met (an MQL needs the threshold AND both dimensions). */
  readonly eligible: boolean;
  /** Qualified by a fast-track action regardless of threshold. */
  readonly fastTrack: boolean;
  readonly outcome?: Outcome | undefined;
}

export interface ThresholdRow {
  readonly threshold: number;
  /** Leads that qualify: fastTrack || (eligible && score >= threshold); with or without outcome. */
  readonly mqls: number;
  /** Qualifying leads with outcome won. */
  readonly won: number;
  /** Qualifying leads with outcome lost (= falsePositives). */
  readonly lost: number;
  /** won / (won + lost); null when no qualifying lead has an outcome. */
  readonly precision: number | null;
  /** won / all won leads; null when there are no won leads. */
  readonly recall: number | null;
  /** Closed-lost leads that qualify. */
  readonly falsePositives: number;
  /** Closed-won leads that do not qualify. */
  readonly falseNegatives: number;
}

/** Whether the lead would have been an MQL at `threshold`. */
export function qualifies(lead: ScoredLead, threshold: number): boolean {
  return lead.fastTrack || (lead.eligible && lead.score >= threshold);
}

/** One row per threshold, in the order of `thresholds`. */
export function thresholdTable(leads: readonly ScoredLead[], thresholds: readonly number[]): ThresholdRow[] {
  const totalWon = leads.filter((l) => l.outcome === 'won').length;
  return thresholds.map((threshold) => {
    let mqls = 0;
    let won = 0;
    let lost = 0;
    for (const lead of leads) {
      if (!qualifies(lead, threshold)) continue;
      mqls++;
      if (lead.outcome === 'won') won++;
      else if (lead.outcome === 'lost') lost++;
    }
    return {
      threshold,
      mqls,
      won,
      lost,
      precision: won + lost === 0 ? null : won / (won + lost),
      recall: totalWon === 0 ? null : won / totalWon,
      falsePositives: lost,
      falseNegatives: totalWon - won,
    };
  });
}

/**
 * The reference rule: the highest integer t (searched from the highest won score down to 0) with
 * at least `share` of the won leads qualifying at t. Fast-track won leads qualify at any t and
 * ineligible ones at none, so when even t = 0 misses the share this returns 0 (the caller warns).
 * Undefined without won leads. Throws an Error unless 0 < share ≤ 1.
 */
export function eightyPercentThreshold(leads: readonly ScoredLead[], share = 0.8): number | undefined {
  if (!(share > 0 && share <= 1)) throw new Error(`eightyPercentThreshold: share ${share} is not in (0, 1]`);
  const won = leads.filter((l) => l.outcome === 'won');
  if (won.length === 0) return undefined;
  const top = Math.max(0, Math.floor(Math.max(...won.map((l) => l.score))));

  // The fewest qualifying won leads that reach the share (a ratio, so 12/15 equals 0.8 exactly).
  let needed = 0;
  while (needed / won.length < share) needed++;
  const fastTrack = won.filter((l) => l.fastTrack).length;
  if (needed <= fastTrack) return top;
  // Qualification at integer t: every fast-track lead plus eligible ones scoring ≥ t. The
  // (needed − fastTrack)-th highest eligible score, rounded down, is the highest t that suffices.
  const scores = won
    .filter((l) => !l.fastTrack && l.eligible)
    .map((l) => l.score)
    .sort((a, b) => b - a);
  const score = scores[needed - fastTrack - 1];
  return score === undefined ? 0 : Math.min(top, Math.max(0, Math.floor(score)));
}

/**
 * Candidate thresholds to tabulate: every multiple of `step` (default 5) from `step` up to `max`
 * (100 for weighted models; the highest score seen for additive ones), plus `current` and
 * `suggested` when given; sorted ascending, without duplicates. Throws an Error unless step > 0.
 */
export function candidateThresholds(options: {
  readonly max: number;
  readonly step?: number;
  readonly current: number;
  readonly suggested?: number | undefined;
}): number[] {
  const step = options.step ?? 5;
  if (!(step > 0 && Number.isFinite(step)))
    throw new Error(`candidateThresholds: step ${step} is not positive`);
  const values = new Set<number>([options.current]);
  if (options.suggested !== undefined) values.add(options.suggested);
  for (let k = 1; k * step <= options.max; k++) values.add(k * step);
  return [...values].sort((a, b) => a - b);
}

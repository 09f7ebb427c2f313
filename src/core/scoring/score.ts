/**
 * A contact's score at `now`, from its scoring memory and attributes: fit, engagement after decay,
 * negative signals, the combined total, the MQL decision, grades, an itemised ledger, and the next
 * instant at which time alone changes any of it (so a sweep touches only contacts that are due).
 */
import type { Building } from '../building.ts';
import type { RuleContext } from '../rule.ts';
import type { Millis } from '../types.ts';
import { fitMatches, fitMaximum } from './fit.ts';
import type { ScoringMemory } from './memory.ts';
import type { ScoringModel } from './model.ts';
import { evaluateNegative, type NegativeFacts } from './negative.ts';
import { iso, round2, scoreSignal, signalMaximum } from './signals.ts';

export const SCORE_DIMENSIONS = ['fit', 'engagement', 'negative', 'fast_track'] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];

export type FitGrade = 'A' | 'B' | 'C' | 'D';
export type EngagementGrade = 1 | 2 | 3 | 4;
export type Exclusion = 'exclude_from_scoring' | 'suppress_everything';

/** One contribution: per dimension, the entries' points add up to the dimension's value. */
export interface LedgerEntry {
  /** The group, signal, negative rule or fast-track id; `caps.<dimension>` for a cap. */
  readonly ruleId: string;
  readonly label: string;
  readonly dimension: ScoreDimension;
  readonly points: number;
  /** Points taken away by decay (0 without decay). */
  readonly decayApplied: number;
  readonly reason: string;
}

export interface ScoreResult {
  /** Fit points (after `caps.fit`). */
  readonly fit: number;
  /** Engagement points after decay (after `caps.engagement`). */
  readonly engagement: number;
  /** Negative points, zero or less (floored by `caps.negative`). */
  readonly negative: number;
  /** Weighted: 0–100, rounded. Additive: the sum, at least 0. Capped by `caps.total`; 0 when excluded. */
  readonly total: number;
  /** 100·min(1, fit / fitMax), 0 to 100. */
  readonly fitPercent: number;
  /** 100·min(1, engagement / engagementMax), 0 to 100. */
  readonly engagementPercent: number;
  readonly mql: boolean;
  /** Fit and engagement both reach their minimums (and nothing excludes the lead): the threshold decides. */
  readonly dimensionsMet: boolean;
  /** Why it is or is not an MQL, in words. */
  readonly mqlReason: string;
  /** The fast-track action that made the MQL, when that is how it qualified. */
  readonly fastTrack?: string;
  readonly grades: { readonly fit: FitGrade; readonly engagement: EngagementGrade };
  readonly ledger: readonly LedgerEntry[];
  /** The earliest instant after `now` at which a decay step or an inactivity threshold changes the ledger. */
  readonly nextDecayAt?: Millis;
  readonly excluded?: Exclusion;
}

export interface ScoreInput extends NegativeFacts {
  readonly memory: ScoringMemory;
  /** The contact's attribute context (`ruleContext(contact, account, undefined, …)`). */
  readonly context: RuleContext;
  readonly model: ScoringModel;
  readonly now: Millis;
}

export function scoreContact(input: ScoreInput): ScoreResult {
  const { memory, context, model, now } = input;
  const ledger: LedgerEntry[] = [];
  let nextDecayAt: Millis | undefined;
  const wake = (at: Millis | undefined) => {
    if (at !== undefined && at > now) nextDecayAt = Math.min(nextDecayAt ?? at, at);
  };

  // fit
  let fit = 0;
  for (const match of fitMatches(model.fit.groups, context)) {
    fit += match.bucket.points;
    ledger.push({
      ruleId: match.group.id,
      label: `${match.group.label}: ${match.bucket.label}`,
      dimension: 'fit',
      points: match.bucket.points,
      decayApplied: 0,
      reason: match.reason,
    });
  }
  fit = capAbove(fit, model.caps.fit, 'fit', ledger);

  // engagement
  let engagement = 0;
  for (const signal of model.engagement.signals) {
    const scored = scoreSignal(signal, memory.signals[signal.id], memory.lastActivityAt, memory.resetAt, now);
    if (scored === undefined) continue;
    engagement += scored.points;
    wake(scored.nextStepAt);
    ledger.push({
      ruleId: signal.id,
      label: signal.label,
      dimension: 'engagement',
      points: scored.points,
      decayApplied: scored.decayApplied,
      reason: scored.reason,
    });
  }
  engagement = capAbove(engagement, model.caps.engagement, 'engagement', ledger);

  // negative
  let negative = 0;
  let excluded: Exclusion | undefined;
  for (const rule of model.negative) {
    const outcome = evaluateNegative(rule, context, memory, input, now);
    wake(outcome.firesAt);
    if (!outcome.fires) continue;
    negative += rule.points;
    if (rule.effect === 'suppress_everything') excluded = 'suppress_everything';
    else if (rule.effect === 'exclude_from_scoring') excluded ??= 'exclude_from_scoring';
    ledger.push({
      ruleId: rule.id,
      label: rule.label,
      dimension: 'negative',
      points: rule.points,
      decayApplied: 0,
      reason: rule.effect === 'none' ? outcome.reason : `${outcome.reason} (${rule.effect})`,
    });
  }
  const floor = model.caps.negative;
  if (floor !== undefined && negative < floor) {
    ledger.push(capEntry('negative', floor - negative, `negative points floored at ${floor}`));
    negative = floor;
  }

  // fast-track hits since the engagement reset
  const fastHits = model.fastTrack.flatMap((fast) => {
    const at = memory.fastTrack[fast.id];
    if (at === undefined || at > now || (memory.resetAt !== undefined && at < memory.resetAt)) return [];
    ledger.push({
      ruleId: fast.id,
      label: fast.label,
      dimension: 'fast_track',
      points: 0,
      decayApplied: 0,
      reason: `${fast.event} at ${iso(at)}`,
    });
    return [fast];
  });

  // combination
  const { fitMax, engagementMax } = maxima(model);
  const fitPercent = percentOf(fit, fitMax);
  const engagementPercent = percentOf(engagement, engagementMax);
  const weighted = model.model === 'weighted';
  let total = weighted
    ? clamp(
        Math.round(model.weights.fit * fitPercent + model.weights.engagement * engagementPercent + negative),
        0,
        100,
      )
    : Math.max(0, fit + engagement + negative);
  if (model.caps.total !== undefined) total = Math.min(total, model.caps.total);
  if (excluded !== undefined) total = 0;

  // MQL: the threshold and both minimums, or a fast-track action with enough fit
  const fitMeasure = weighted ? fitPercent : fit;
  const engagementMeasure = weighted ? engagementPercent : engagement;
  const unit = weighted ? '%' : ' points';
  const fitText = `fit ${round2(fitMeasure)}${unit}`;
  const fitPasses = fitMeasure >= model.fitMin;
  const dimensionsMet = excluded === undefined && fitPasses && engagementMeasure >= model.engagementMin;
  const gaps = [
    ...(total >= model.threshold ? [] : [`total ${round2(total)} < threshold ${model.threshold}`]),
    ...(fitPasses ? [] : [`${fitText} < fitMin ${model.fitMin}${unit}`]),
    ...(engagementMeasure >= model.engagementMin
      ? []
      : [`engagement ${round2(engagementMeasure)}${unit} < engagementMin ${model.engagementMin}${unit}`]),
  ];
  const fast = fastHits[0];
  let mql = false;
  let mqlReason: string;
  let fastTrack: string | undefined;
  if (excluded !== undefined) {
    mqlReason = `excluded from scoring (${excluded})`;
  } else if (gaps.length === 0) {
    mql = true;
    mqlReason =
      `total ${round2(total)} ≥ threshold ${model.threshold}, ${fitText} ≥ ${model.fitMin}${unit}, ` +
      `engagement ${round2(engagementMeasure)}${unit} ≥ ${model.engagementMin}${unit}`;
  } else if (fast !== undefined && fitPasses) {
    mql = true;
    fastTrack = fast.id;
    mqlReason = `fast-track ${fast.id} (${fast.label}) with ${fitText} ≥ fitMin ${model.fitMin}${unit}`;
  } else {
    mqlReason =
      gaps.join('; ') +
      (fast === undefined ? '' : `; fast-track ${fast.id} needs ${fitText} ≥ ${model.fitMin}${unit}`);
  }

  const result: Building<ScoreResult> = {
    fit,
    engagement,
    negative,
    total,
    fitPercent,
    engagementPercent,
    mql,
    dimensionsMet,
    mqlReason,
  };
  if (fastTrack !== undefined) result.fastTrack = fastTrack;
  result.grades = {
    fit: fitGrade(fitPercent, model.grades.fit),
    engagement: engagementGrade(engagementPercent, model.grades.engagement),
  };
  result.ledger = ledger;
  if (nextDecayAt !== undefined) result.nextDecayAt = nextDecayAt;
  if (excluded !== undefined) result.excluded = excluded;
  return result as ScoreResult;
}

const MAXIMA = new WeakMap<ScoringModel, { fitMax: number; engagementMax: number }>();

/** The denominators of the percentages, once per model (a model with a thousand rules adds them up once). */
function maxima(model: ScoringModel): { fitMax: number; engagementMax: number } {
  let found = MAXIMA.get(model);
  if (found === undefined) {
    found = {
      fitMax: model.fitMax ?? fitMaximum(model.fit.groups),
      engagementMax:
        model.engagementMax ?? model.engagement.signals.reduce((s, x) => s + signalMaximum(x), 0),
    };
    MAXIMA.set(model, found);
  }
  return found;
}

function capAbove(
  value: number,
  cap: number | undefined,
  dimension: 'fit' | 'engagement',
  ledger: LedgerEntry[],
) {
  if (cap === undefined || value <= cap) return value;
  ledger.push(capEntry(dimension, cap - value, `${dimension} capped at ${cap}`));
  return cap;
}

function capEntry(dimension: ScoreDimension, points: number, reason: string): LedgerEntry {
  return {
    ruleId: `caps.${dimension}`,
    label: `${dimension} cap`,
    dimension,
    points,
    decayApplied: 0,
    reason,
  };
}

/** `100·min(1, value/max)`, never below 0; 0 when there is no maximum. */
function percentOf(value: number, max: number): number {
  if (!(max > 0)) return 0;
  return clamp((100 * value) / max, 0, 100);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function fitGrade(
  percent: number,
  t: { readonly A: number; readonly B: number; readonly C: number },
): FitGrade {
  return percent >= t.A ? 'A' : percent >= t.B ? 'B' : percent >= t.C ? 'C' : 'D';
}

export function engagementGrade(
  percent: number,
  t: { readonly '1': number; readonly '2': number; readonly '3': number },
): EngagementGrade {
  return percent >= t['1'] ? 1 : percent >= t['2'] ? 2 : percent >= t['3'] ? 3 : 4;
}

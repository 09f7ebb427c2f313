/**
 * The calibration report: retro-scored leads (see retro.ts) turned into what a RevOps team decides
 * from — the threshold table, the reference's starting threshold (80% of closed-won qualify), the
 * false positives and negatives at the current threshold, suggested point changes and the warning
 * signs. Pure: the CLI prints it as a table or as JSON.
 */
import type { ScoringModel } from '../scoring/model.ts';
import type { Millis } from '../types.ts';
import type { RetroLead, RetroResult } from './retro.ts';
import { suggestPoints, type PointSuggestions, type RuleFeature } from './suggestions.ts';
import {
  candidateThresholds,
  eightyPercentThreshold,
  qualifies,
  thresholdTable,
  type ThresholdRow,
} from './thresholds.ts';
import { warningSigns, type WarningSign } from './warnings.ts';

export interface MisjudgedLead {
  readonly email: string | null;
  readonly id: string;
  /** The best score it reached before its outcome while fit and engagement met their minimums. */
  readonly score: number;
  readonly eligible: boolean;
  readonly outcome: 'won' | 'lost';
  readonly closedAt: Millis;
  /** Why the model said what it said, as of the outcome. */
  readonly reason: string;
}

export interface CalibrationReport {
  readonly leads: number;
  readonly outcomes: { readonly won: number; readonly lost: number };
  readonly orphanOutcomes: number;
  readonly decisions: { readonly accepted: number; readonly rejected: number };
  readonly threshold: {
    readonly current: number;
    /** The reference's starting point: the highest threshold at which 80% of closed-won qualify. */
    readonly suggested: number | undefined;
    readonly atCurrent: ThresholdRow;
    readonly atSuggested: ThresholdRow | undefined;
    /** Closed-won leads no threshold lets qualify: fit or engagement never met its minimum. */
    readonly wonBelowMinimums: number;
  };
  readonly table: readonly ThresholdRow[];
  /** Closed-lost leads that qualify at the current threshold, highest score first. */
  readonly falsePositives: readonly MisjudgedLead[];
  /** Closed-won leads that do not qualify at the current threshold, lowest score first. */
  readonly falseNegatives: readonly MisjudgedLead[];
  readonly points: PointSuggestions & { readonly l2: number; readonly leads: number };
  readonly warnings: readonly WarningSign[];
  readonly months: RetroResult['months'];
}

export interface CalibrateOptions {
  /** Threshold table step (default 5). */
  readonly step?: number;
  /** L2 penalty of the regression (default 1). */
  readonly l2?: number;
  /** Share of closed-won that must qualify (default 0.8). */
  readonly share?: number;
}

export function calibrationReport(
  retro: RetroResult,
  model: ScoringModel,
  options: CalibrateOptions = {},
): CalibrationReport {
  const leads = retro.leads;
  const closed = leads.filter((l) => l.outcome !== undefined);
  const won = closed.filter((l) => l.outcome === 'won').length;
  const current = model.threshold;
  const suggested = eightyPercentThreshold(leads, options.share ?? 0.8);
  const max = model.model === 'weighted' ? 100 : Math.max(current, ...leads.map((l) => Math.ceil(l.score)));
  const thresholds = candidateThresholds({
    max,
    current,
    suggested,
    ...(options.step === undefined ? {} : { step: options.step }),
  });
  const table = thresholdTable(leads, thresholds);
  const rowAt = (t: number) => table.find((r) => r.threshold === t);
  const atCurrent = rowAt(current) ?? thresholdTable(leads, [current])[0];
  if (atCurrent === undefined) throw new Error('no threshold row for the current threshold');

  const features = ruleFeatures(model);
  const l2 = options.l2 ?? 1;
  const points =
    closed.length === 0
      ? { intercept: 0, scale: 0, converged: false, suggestions: [] }
      : suggestPoints(
          features,
          closed.map((lead) => features.map((f) => lead.hits.has(`${f.dimension}:${f.ruleId}`))),
          closed.map((lead) => (lead.outcome === 'won' ? 1 : 0)),
          { l2 },
        );

  return {
    leads: leads.length,
    outcomes: { won, lost: closed.length - won },
    orphanOutcomes: retro.orphanOutcomes.length,
    decisions: retro.decisions,
    threshold: {
      current,
      suggested,
      atCurrent,
      atSuggested: suggested === undefined ? undefined : rowAt(suggested),
      wonBelowMinimums: closed.filter((l) => l.outcome === 'won' && !l.eligible && !l.fastTrack).length,
    },
    table,
    falsePositives: closed
      .filter((l) => l.outcome === 'lost' && qualifies(l, current))
      .sort((a, b) => b.score - a.score || compareKeys(a, b))
      .map(misjudged),
    falseNegatives: closed
      .filter((l) => l.outcome === 'won' && !qualifies(l, current))
      .sort((a, b) => a.score - b.score || compareKeys(a, b))
      .map(misjudged),
    points: Object.assign({}, points, { l2, leads: closed.length }),
    warnings: warningSigns({ leads, threshold: current, decisions: retro.decisions, months: retro.months }),
    months: retro.months,
  };
}

/** Every rule that can hit, with the points it gives today (a fit group: its best bucket). */
export function ruleFeatures(model: ScoringModel): RuleFeature[] {
  return [
    ...model.fit.groups.map((g) => ({
      ruleId: g.id,
      label: g.label,
      dimension: 'fit' as const,
      points: Math.max(0, ...g.buckets.map((b) => b.points)),
    })),
    ...model.engagement.signals.map((s) => ({
      ruleId: s.id,
      label: s.label,
      dimension: 'engagement' as const,
      points: s.points,
    })),
    ...model.negative.map((n) => ({
      ruleId: n.id,
      label: n.label,
      dimension: 'negative' as const,
      points: n.points,
    })),
  ];
}

function misjudged(lead: RetroLead): MisjudgedLead {
  return {
    email: lead.email ?? null,
    id: lead.key,
    score: lead.score,
    eligible: lead.eligible,
    outcome: lead.outcome ?? 'lost',
    closedAt: lead.closed?.at ?? lead.at,
    reason: lead.final.mqlReason,
  };
}

function compareKeys(a: RetroLead, b: RetroLead): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

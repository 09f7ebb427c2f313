/**
 * The scoring model as core/ needs it: the shape the parsed `scoring:` section of revops.yaml
 * satisfies structurally (config/ is not imported here). Percentages are fractions (`0.3`),
 * durations are `Duration` values, conditions are compiled rules.
 */
import type { CompiledRule } from '../rule.ts';
import type { Duration } from '../time/duration.ts';

export const SCORE_COMBINATIONS = ['weighted', 'additive'] as const;
export type ScoreCombination = (typeof SCORE_COMBINATIONS)[number];

export const ROLLUPS = ['sum', 'max', 'average'] as const;
export type Rollup = (typeof ROLLUPS)[number];

export const NEGATIVE_BUILTIN_SIGNALS = [
  'competitor_domain',
  'free_mail',
  'student_domain',
  'invalid_phone',
] as const;
export type NegativeBuiltin = (typeof NEGATIVE_BUILTIN_SIGNALS)[number];

export const NEGATIVE_RULE_EFFECTS = [
  'none',
  'flag_review',
  'exclude_from_scoring',
  'suppress_everything',
] as const;
export type NegativeEffect = (typeof NEGATIVE_RULE_EFFECTS)[number];

/** Linear step decay: lose `points` per full `every`, counted from the occurrence or last activity. */
export interface DecayModel {
  readonly points: number;
  readonly every: Duration;
  readonly from: 'occurrence' | 'last_activity';
}

export interface FitBucketModel {
  readonly label: string;
  readonly points: number;
  readonly when?: CompiledRule | undefined;
  /** Inclusive bounds on a numeric attribute (`company.employees`). */
  readonly range?:
    | { readonly attribute: string; readonly min?: number | undefined; readonly max?: number | undefined }
    | undefined;
  /** The attribute equals one of the values (case-insensitive). */
  readonly in?: { readonly attribute: string; readonly values: readonly string[] } | undefined;
}

export interface FitGroupModel {
  readonly id: string;
  readonly label: string;
  readonly buckets: readonly FitBucketModel[];
}

export interface SignalModel {
  readonly id: string;
  readonly label: string;
  /** The event type that counts. */
  readonly event: string;
  /** Which of those events count (evaluated against the event's rule context). */
  readonly when?: CompiledRule | undefined;
  readonly points: number;
  readonly frequency: 'once' | 'each';
  /** For `each`: occurrences counted at most. */
  readonly max?: number | undefined;
  readonly count?:
    | {
        readonly atLeast: number;
        readonly within?: Duration | undefined;
        readonly distinctDays: boolean;
      }
    | undefined;
  readonly decay?: DecayModel | undefined;
}

export interface NegativeRuleModel {
  readonly id: string;
  readonly label: string;
  /** Zero or less. */
  readonly points: number;
  readonly builtin?: NegativeBuiltin | undefined;
  readonly when?: CompiledRule | undefined;
  readonly event?: string | undefined;
  readonly on?: CompiledRule | undefined;
  readonly inactiveFor?: Duration | undefined;
  readonly onlyVisited?: readonly string[] | undefined;
  readonly effect: NegativeEffect;
}

export interface FastTrackModel {
  readonly id: string;
  readonly label: string;
  readonly event: string;
  readonly when?: CompiledRule | undefined;
}

export interface BuyingCommitteeRule {
  readonly contacts: number;
  readonly within: Duration;
  readonly minEngagement: number;
}

export interface ScoringModel {
  readonly model: ScoreCombination;
  /** Fractions (0.3 for 30%). */
  readonly weights: { readonly fit: number; readonly engagement: number };
  readonly threshold: number;
  /** Percent of the maximum (weighted) or points (additive). */
  readonly fitMin: number;
  readonly engagementMin: number;
  readonly fitMax?: number | undefined;
  readonly engagementMax?: number | undefined;
  readonly caps: {
    readonly fit?: number | undefined;
    readonly engagement?: number | undefined;
    /** A floor: zero or less. */
    readonly negative?: number | undefined;
    readonly total?: number | undefined;
  };
  readonly fastTrack: readonly FastTrackModel[];
  readonly fit: { readonly groups: readonly FitGroupModel[] };
  readonly engagement: { readonly signals: readonly SignalModel[] };
  readonly negative: readonly NegativeRuleModel[];
  readonly grades: {
    readonly fit: { readonly A: number; readonly B: number; readonly C: number };
    readonly engagement: { readonly '1': number; readonly '2': number; readonly '3': number };
  };
  readonly account: { readonly rollup: Rollup; readonly buyingCommittee: BuyingCommitteeRule };
}

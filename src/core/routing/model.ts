/**
 * Routing as core/ needs it: the decision tree, named accounts, ABM tiers and the fallback queue
 * (`routing:`), and who can take a lead (`team:`), compiled from the config by config/engineModel.ts.
 * Conditions are compiled rules; each rep carries its own business calendar (zone, hours, holidays).
 */
import type { CompiledRule } from '../rule.ts';
import type { BusinessCalendar } from '../time/calendar.ts';
import type { Duration } from '../time/duration.ts';

/** Where a rule sends a lead. */
export type RoutingTarget =
  | { readonly kind: 'account_owner' }
  | { readonly kind: 'territory' }
  | { readonly kind: 'rep'; readonly id: string }
  | { readonly kind: 'team'; readonly id: string }
  | { readonly kind: 'queue'; readonly id: string };

export interface RoutingRuleModel {
  readonly id: string;
  readonly name: string;
  /** Absent: matches every lead. */
  readonly when?: CompiledRule | undefined;
  /** Absent: only the nested rules place the lead. */
  readonly to?: RoutingTarget | undefined;
  /** Keep an existing owner when this rule matches (overrides `keepExistingOwner`). */
  readonly keepOwner?: boolean | undefined;
  /**
   * Skills (lower case) a rep needs to take a lead from this rule or its nested rules, its parents'
   * included: a rule's target only considers reps with every one of them.
   */
  readonly skills: readonly string[];
  readonly rules: readonly RoutingRuleModel[];
}

export interface NamedAccountModel {
  readonly domain: string;
  readonly name?: string | undefined;
  readonly owner: string;
  /** 1 (top strategic) to 3. */
  readonly tier: number;
}

export interface TierModel {
  readonly tier: number;
  readonly name: string;
  readonly alert: 'instant' | 'standard';
  readonly sla: Duration;
}

export const TEAM_STRATEGIES = ['weighted_round_robin', 'round_robin', 'least_loaded'] as const;
export type TeamStrategy = (typeof TEAM_STRATEGIES)[number];
export const RESET_PERIODS = ['daily', 'weekly', 'monthly', 'never'] as const;
export type ResetPeriod = (typeof RESET_PERIODS)[number];

export interface RepModel {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  /** Share of round-robin assignments relative to the team (default 1). */
  readonly weight: number;
  /** Lower case. */
  readonly skills: readonly string[];
  readonly capacity: {
    readonly maxOpenLeads?: number | undefined;
    readonly maxPerDay?: number | undefined;
  };
  /** Days away, inclusive, as local dates `YYYY-MM-DD` in the rep's zone. */
  readonly pto: readonly { readonly from: string; readonly to: string }[];
  /** The rep's own zone and hours over the company calendar. */
  readonly calendar: BusinessCalendar;
  /** Quota for the period (money, in the company currency); undefined without one. */
  readonly quota?: number | undefined;
}

export interface TeamModel {
  readonly id: string;
  readonly name: string;
  /** Rep ids, in the order ties are broken. */
  readonly members: readonly string[];
  readonly strategy: TeamStrategy;
  readonly reset: ResetPeriod;
  readonly respectWorkingHours: boolean;
  readonly quotaPriority: boolean;
}

export interface TerritoryModel {
  readonly id: string;
  readonly name: string;
  readonly when: CompiledRule;
  readonly team: string;
}

export interface QueueModel {
  readonly id: string;
  readonly name: string;
  readonly team?: string | undefined;
  readonly sla: Duration;
}

export interface RoutingModel {
  /** Lifecycle stages whose entry routes the lead. */
  readonly on: readonly string[];
  readonly keepExistingOwner: boolean;
  readonly sameAccountSameOwner: boolean;
  /** By registrable domain. */
  readonly namedAccounts: ReadonlyMap<string, NamedAccountModel>;
  readonly fuzzyNameMatch: { readonly enabled: boolean; readonly threshold: number };
  readonly tiers: ReadonlyMap<number, TierModel>;
  readonly rules: readonly RoutingRuleModel[];
  readonly fallbackQueue: string;
  readonly reps: ReadonlyMap<string, RepModel>;
  readonly teams: ReadonlyMap<string, TeamModel>;
  readonly territories: readonly TerritoryModel[];
  readonly queues: ReadonlyMap<string, QueueModel>;
  /** The company calendar: the zone round-robin periods are counted in. */
  readonly calendar: BusinessCalendar;
  /** Lifecycle stages a rep's lead counts as open in (for `capacity.maxOpenLeads`): the sales-owned ones. */
  readonly openStages: readonly string[];
}

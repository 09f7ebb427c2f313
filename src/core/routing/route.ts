/**
 * Routing a lead, decided from facts the engine gathered first (habit 2: fetch, decide, explain):
 * keep a still-active owner, give the account's owner every contact of an account, send a company
 * name that is close to a named account to review, then walk the decision tree; nobody available
 * anywhere queues the lead in the fallback queue. Pure and deterministic: same input, same decision.
 */
import type { RuleContext } from '../rule.ts';
import type { Duration } from '../time/duration.ts';
import type { RepLoad } from './availability.ts';
import type { NameMatch } from './fuzzy.ts';
import type { NamedAccountModel, RoutingModel, TierModel } from './model.ts';
import type { CandidateTrace, TeamCounters } from './roundRobin.ts';
import type { Placement, RouteScope } from './targets.ts';
import type { RoutingTrace, RuleStep } from './trace.ts';
import { keepOwner, nameReview, sameAccount } from './ownership.ts';
import { walkRules } from './tree.ts';

export interface RoutingInput {
  readonly lead: {
    readonly contactKey: string;
    readonly owner?: string | undefined;
    readonly accountDomain?: string | undefined;
  };
  readonly account?: { readonly domain: string; readonly owner?: string | undefined } | undefined;
  /** The rule context (contact, company, account, lead) as the engine builds it; `account.named`/`account.tier` already filled from namedAccounts. */
  readonly context: RuleContext;
  readonly now: number;
  /** Per rep; missing = 0/0. */
  readonly load: ReadonlyMap<string, RepLoad>;
  /** Per team, as stored; missing = fresh. */
  readonly counters: ReadonlyMap<string, TeamCounters>;
  /** Quota attainment per rep (0.4 = 40%), for teams with `quotaPriority`. */
  readonly attainment?: ReadonlyMap<string, number> | undefined;
  /** Reps who may not get the lead (reassignment: the previous owners). */
  readonly exclude?: readonly string[] | undefined;
}

export type RoutingDecision =
  | {
      readonly kind: 'assigned';
      readonly owner: string;
      readonly rule: string;
      readonly team?: string;
      /** The ABM tier of the lead's named account, with its SLA and alert. */
      readonly tier?: TierModel;
      readonly trace: RoutingTrace;
      /** The picking team's counters to store. */
      readonly counters?: { readonly team: string; readonly value: TeamCounters };
    }
  | { readonly kind: 'kept'; readonly owner: string; readonly rule: string; readonly trace: RoutingTrace }
  | {
      readonly kind: 'queued';
      readonly queue: string;
      readonly rule: string;
      readonly sla?: Duration;
      readonly trace: RoutingTrace;
    }
  | {
      readonly kind: 'review';
      readonly rule: 'fuzzy_name_match';
      readonly matches: readonly NameMatch[];
      readonly trace: RoutingTrace;
    };

/** A decision without its explanation: what `decideRoute` returns. */
export type RoutingChoice = RoutingDecision extends infer D
  ? D extends RoutingDecision
    ? Omit<D, 'trace'>
    : never
  : never;

/**
 * Decides where the lead goes, explaining nothing: the hot path (a routing benchmark's decision
 * CPU). Gives the same decision as `route`, whose trace says why. Never throws for a valid model and
 * a finite `now`.
 */
export function decideRoute(model: RoutingModel, input: RoutingInput): RoutingChoice {
  return decide({ model, input, named: namedAccount(model, input) });
}

export interface RouteOptions {
  /** A step for every rule tried, even in a run a long list's index rules out (default false). */
  readonly everyRule?: boolean | undefined;
}

/**
 * Decides where the lead goes and explains it: every check and rule tried (a long run of rules the
 * lead cannot match, by the rule index, as one `ruled_out` step unless `everyRule`), every candidate rep.
 */
export function route(model: RoutingModel, input: RoutingInput, options: RouteOptions = {}): RoutingDecision {
  const steps: RuleStep[] = [];
  const candidates: CandidateTrace[] = [];
  const named = namedAccount(model, input);
  const choice = decide({ model, input, named, steps, candidates, everyRule: options.everyRule });
  return Object.assign({}, choice, { trace: { steps, candidates } });
}

function namedAccount(model: RoutingModel, input: RoutingInput): NamedAccountModel | undefined {
  const domain = input.lead.accountDomain ?? input.account?.domain;
  if (domain === undefined || model.namedAccounts.size === 0) return undefined;
  return model.namedAccounts.get(domain.toLowerCase());
}

type Assigned = Extract<RoutingChoice, { kind: 'assigned' }>;

function assigned(
  owner: string,
  rule: string,
  tier: TierModel | undefined,
  placement?: Placement,
): RoutingChoice {
  // Filled in the field order of the type, without spreads: every routed lead builds one.
  const choice: { -readonly [K in keyof Assigned]: Assigned[K] } = { kind: 'assigned', owner, rule };
  if (placement?.kind === 'rep' && placement.team !== undefined) choice.team = placement.team;
  if (tier !== undefined) choice.tier = tier;
  if (placement?.kind === 'rep' && placement.counters !== undefined) choice.counters = placement.counters;
  return choice;
}

function decide(scope: RouteScope): RoutingChoice {
  const { model, input, named, steps } = scope;
  const explain = steps !== undefined;
  const tier = named === undefined ? undefined : model.tiers.get(named.tier);
  const kept = keepOwner(model, input, explain);
  if (kept?.step !== undefined) steps?.push(kept.step);
  if (kept?.result !== undefined) return { kind: 'kept', owner: kept.result, rule: 'keep_owner' };
  const account = sameAccount(model, input, explain);
  if (account?.step !== undefined) steps?.push(account.step);
  if (account?.result !== undefined) return assigned(account.result, 'same_account', tier);
  const review = nameReview(model, input, named !== undefined, explain);
  if (review?.step !== undefined) steps?.push(review.step);
  if (review?.result !== undefined) {
    return { kind: 'review', rule: 'fuzzy_name_match', matches: review.result };
  }

  const placed = walkRules(scope, model.rules);
  if (placed?.placement.kind === 'rep')
    return assigned(placed.placement.owner, placed.rule, tier, placed.placement);
  const queue = placed?.placement.kind === 'queue' ? placed.placement.queue : model.fallbackQueue;
  if (placed === undefined) {
    steps?.push({
      rule: 'fallback',
      name: 'Fallback queue',
      path: 'routing.fallback.queue',
      matched: true,
      outcome: 'placed',
      detail: `no rule placed the lead: queued in ${queue}`,
    });
  }
  const sla = model.queues.get(queue)?.sla;
  const rule = placed?.rule ?? 'fallback';
  return { kind: 'queued', queue, rule, ...(sla === undefined ? {} : { sla }) };
}

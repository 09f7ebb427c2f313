/**
 * Where a rule's `to` sends a lead, given who is available now: a rep, a team's pick, the account
 * owner, the team of the first matching territory, or a queue. A target nobody can take does not
 * place the lead; the result says why, and the walk goes on.
 */
import { NO_LOAD, repAvailability } from './availability.ts';
import type { NamedAccountModel, RoutingModel, RoutingTarget } from './model.ts';
import { pickFromTeam, type CandidateTrace, type TeamCounters } from './roundRobin.ts';
import type { RoutingInput } from './route.ts';
import { candidatesFor, otherBoundsAllow, passesBound, RULED_OUT_RUN, RuledOut } from './ruleIndex.ts';
import type { RuleStep } from './trace.ts';

/**
 * One routing call's facts and, when it explains, the trace it collects (the arrays are the call's
 * own). Deciding alone leaves both undefined and builds no text.
 */
export interface RouteScope {
  readonly model: RoutingModel;
  readonly input: RoutingInput;
  /** The named account of the lead's domain, if any. */
  readonly named: NamedAccountModel | undefined;
  readonly steps?: RuleStep[] | undefined;
  readonly candidates?: CandidateTrace[] | undefined;
  /** Explaining: a step for every rule tried, none folded into a `ruled_out` step (tree.ts). */
  readonly everyRule?: boolean | undefined;
}

const skillText = (skills: readonly string[]): string =>
  skills.length === 0 ? '' : `, skills ${skills.join(', ')}`;

/** The text of a detail, built only when the call explains. */
const say = (scope: RouteScope, text: () => string): string => (scope.steps === undefined ? '' : text());

export type Placement =
  | {
      readonly kind: 'rep';
      readonly owner: string;
      readonly team?: string;
      readonly counters?: { readonly team: string; readonly value: TeamCounters };
    }
  | { readonly kind: 'queue'; readonly queue: string };

export type TargetResult =
  | { readonly placed: Placement; readonly detail: string }
  | {
      readonly placed?: undefined;
      readonly outcome: 'nobody_available' | 'no_territory';
      readonly detail: string;
    };

const nobody = (scope: RouteScope, detail: () => string): TargetResult => ({
  outcome: 'nobody_available',
  detail: say(scope, detail),
});

/** The target as written in the config: `team:general`, `account_owner`. */
export function targetText(target: RoutingTarget): string {
  return target.kind === 'account_owner' || target.kind === 'territory'
    ? target.kind
    : `${target.kind}:${target.id}`;
}

function directRep(
  scope: RouteScope,
  id: string,
  why: () => string,
  skills: readonly string[],
): TargetResult {
  const rep = scope.model.reps.get(id);
  if (rep === undefined) return nobody(scope, () => `${why()} ${id} is not in team.reps`);
  const { input } = scope;
  const availability = repAvailability(
    rep,
    undefined,
    input.load.get(id) ?? NO_LOAD,
    input.now,
    input.exclude ?? [],
    skills,
  );
  if (!availability.available)
    return nobody(scope, () => `${why()} ${availability.detail} (${availability.reason})`);
  return { placed: { kind: 'rep', owner: id }, detail: say(scope, () => `${why()} ${id} is available`) };
}

function teamPick(
  scope: RouteScope,
  teamId: string,
  prefix: string,
  skills: readonly string[],
): TargetResult {
  const { model, input } = scope;
  const team = model.teams.get(teamId);
  if (team === undefined) return nobody(scope, () => `${prefix}team ${teamId} is not in team.teams`);
  const pick = pickFromTeam(team, model.reps, {
    now: input.now,
    calendar: model.calendar,
    load: input.load,
    counters: input.counters.get(teamId),
    attainment: input.attainment,
    exclude: input.exclude,
    skills,
    explain: scope.steps !== undefined,
  });
  scope.candidates?.push(...pick.candidates);
  if (pick.chosen === undefined) {
    return nobody(scope, () => {
      const why = pick.candidates.map((c) => `${c.rep}: ${c.reason ?? 'unavailable'}`).join(', ');
      return `${prefix}team ${teamId} (${team.strategy}${skillText(skills)}) has nobody available (${why})`;
    });
  }
  const owner = pick.chosen;
  return {
    placed: { kind: 'rep', owner, team: teamId, counters: { team: teamId, value: pick.counters } },
    detail: say(scope, () => {
      const chosen = pick.candidates.find((c) => c.status === 'chosen');
      return `${prefix}team ${teamId} (${team.strategy}${skillText(skills)}) chose ${owner} (count ${chosen?.count ?? 0}, deficit ${chosen?.deficit ?? 0})`;
    }),
  };
}

const NO_TERRITORY: TargetResult = Object.freeze({ outcome: 'no_territory', detail: '' });

function territory(scope: RouteScope, skills: readonly string[]): TargetResult {
  if (scope.steps === undefined) {
    // Deciding: only the territories the lead's values can match (ruleIndex.ts), in order.
    const { territories } = scope.model;
    const context = scope.input.context;
    const candidates = candidatesFor(territories, context);
    const { positions } = candidates;
    for (let k = 0; k < positions.length; k++) {
      const t = territories[positions[k] ?? 0];
      if (
        t !== undefined &&
        passesBound(candidates, k) &&
        otherBoundsAllow(candidates, k, t, context) &&
        t.when.evaluate(context)
      )
        return teamPick(scope, t.team, '', skills);
    }
    return NO_TERRITORY;
  }
  // Explaining: each territory tried, but a run the index rules out (`RULED_OUT_RUN` or more)
  // is named once, not evaluated — a long territory table would otherwise be walked in full.
  const { territories } = scope.model;
  const context = scope.input.context;
  const ruled =
    scope.everyRule === true || territories.length < RULED_OUT_RUN
      ? undefined
      : new RuledOut(territories, context);
  const errors: string[] = [];
  const unset: string[] = [];
  const checked: string[] = [];
  const folded: string[] = [];
  for (let i = 0; i < territories.length; i++) {
    const t = territories[i];
    if (t === undefined) continue;
    const end = ruled?.foldAt(i);
    if (end !== undefined && ruled !== undefined) {
      const last = territories[end]?.id ?? '';
      folded.push(`${t.id} … ${last} not evaluated, the lead cannot match them: ${ruled.reason(i, end)}`);
      i = end;
      continue;
    }
    checked.push(t.id);
    const result = t.when.explain(context);
    // An attribute the lead does not have is why a territory does not match, not an error.
    if (result.unset !== undefined) unset.push(`${t.id} (${result.unset})`);
    else if (result.error !== undefined) errors.push(`${t.id}: ${result.error}`);
    if (result.value) return teamPick(scope, t.team, `territory ${t.id} → `, skills);
  }
  const cannot = folded.map((run) => `; ${run}`).join('');
  const notSet = unset.length > 0 ? `; attribute not set for ${unset.join(', ')}` : '';
  const failed = errors.length > 0 ? `; errors treated as false: ${errors.join('; ')}` : '';
  return {
    outcome: 'no_territory',
    detail: `no territory matches (checked ${checked.join(', ') || 'none'}${cannot})${notSet}${failed}`,
  };
}

/** Tries one target. Never throws. */
export function tryTarget(
  scope: RouteScope,
  target: RoutingTarget,
  skills: readonly string[] = [],
): TargetResult {
  switch (target.kind) {
    case 'rep':
      return directRep(scope, target.id, () => 'rep', skills);
    case 'team':
      return teamPick(scope, target.id, '', skills);
    case 'territory':
      return territory(scope, skills);
    case 'queue':
      return {
        placed: { kind: 'queue', queue: target.id },
        detail: say(scope, () => `queued in ${target.id}`),
      };
    case 'account_owner': {
      const named = scope.named;
      if (named !== undefined)
        return directRep(scope, named.owner, () => `named account ${named.domain}: owner`, skills);
      const owner = scope.input.account?.owner;
      if (owner === undefined) return nobody(scope, () => 'the account has no owner');
      return directRep(scope, owner, () => `account ${scope.input.account?.domain ?? ''}: owner`, skills);
    }
  }
}

/**
 * Where a rule's `to` sends a lead, given who is available now: a rep, a team's pick, the account
 * owner, the team of the first matching territory, or a queue. A target nobody can take does not
 * place the lead; the result says why, and the walk goes on.
 */
import { NO_LOAD, repAvailability } from './availability.ts';
import type { NamedAccountModel, RoutingModel, RoutingTarget } from './model.ts';
import { pickFromTeam, type CandidateTrace, type TeamCounters } from './roundRobin.ts';
import type { RoutingInput } from './route.ts';

/** One routing call's facts and the trace it collects (the arrays are the call's own). */
export interface RouteScope {
  readonly model: RoutingModel;
  readonly input: RoutingInput;
  /** The named account of the lead's domain, if any. */
  readonly named: NamedAccountModel | undefined;
  readonly candidates: CandidateTrace[];
}

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

const nobody = (detail: string): TargetResult => ({ outcome: 'nobody_available', detail });

/** The target as written in the config: `team:general`, `account_owner`. */
export function targetText(target: RoutingTarget): string {
  return target.kind === 'account_owner' || target.kind === 'territory'
    ? target.kind
    : `${target.kind}:${target.id}`;
}

function directRep(scope: RouteScope, id: string, why: string): TargetResult {
  const rep = scope.model.reps.get(id);
  if (rep === undefined) return nobody(`${why} ${id} is not in team.reps`);
  const { input } = scope;
  const availability = repAvailability(
    rep,
    undefined,
    input.load.get(id) ?? NO_LOAD,
    input.now,
    input.exclude ?? [],
  );
  if (!availability.available) return nobody(`${why} ${availability.detail} (${availability.reason})`);
  return { placed: { kind: 'rep', owner: id }, detail: `${why} ${id} is available` };
}

function teamPick(scope: RouteScope, teamId: string, prefix: string): TargetResult {
  const { model, input } = scope;
  const team = model.teams.get(teamId);
  if (team === undefined) return nobody(`${prefix}team ${teamId} is not in team.teams`);
  const pick = pickFromTeam(team, model.reps, {
    now: input.now,
    calendar: model.calendar,
    load: input.load,
    counters: input.counters.get(teamId),
    attainment: input.attainment,
    exclude: input.exclude,
  });
  scope.candidates.push(...pick.candidates);
  if (pick.chosen === undefined) {
    const why = pick.candidates.map((c) => `${c.rep}: ${c.reason ?? 'unavailable'}`).join(', ');
    return nobody(`${prefix}team ${teamId} (${team.strategy}) has nobody available (${why})`);
  }
  const chosen = pick.candidates.find((c) => c.status === 'chosen');
  return {
    placed: {
      kind: 'rep',
      owner: pick.chosen,
      team: teamId,
      counters: { team: teamId, value: pick.counters },
    },
    detail: `${prefix}team ${teamId} (${team.strategy}) chose ${pick.chosen} (count ${chosen?.count ?? 0}, deficit ${chosen?.deficit ?? 0})`,
  };
}

function territory(scope: RouteScope): TargetResult {
  const errors: string[] = [];
  for (const t of scope.model.territories) {
    const result = t.when.explain(scope.input.context);
    if (result.error !== undefined) errors.push(`${t.id}: ${result.error}`);
    if (result.value) return teamPick(scope, t.team, `territory ${t.id} → `);
  }
  const checked = scope.model.territories.map((t) => t.id).join(', ');
  const failed = errors.length > 0 ? `; errors treated as false: ${errors.join('; ')}` : '';
  return { outcome: 'no_territory', detail: `no territory matches (checked ${checked || 'none'})${failed}` };
}

/** Tries one target. Never throws. */
export function tryTarget(scope: RouteScope, target: RoutingTarget): TargetResult {
  switch (target.kind) {
    case 'rep':
      return directRep(scope, target.id, 'rep');
    case 'team':
      return teamPick(scope, target.id, '');
    case 'territory':
      return territory(scope);
    case 'queue':
      return { placed: { kind: 'queue', queue: target.id }, detail: `queued in ${target.id}` };
    case 'account_owner': {
      if (scope.named !== undefined)
        return directRep(scope, scope.named.owner, `named account ${scope.named.domain}: owner`);
      const owner = scope.input.account?.owner;
      if (owner === undefined) return nobody('the account has no owner');
      return directRep(scope, owner, `account ${scope.input.account?.domain ?? ''}: owner`);
    }
  }
}

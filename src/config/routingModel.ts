/**
 * From the `routing:` and `team:` sections of a loaded config to the RoutingModel core/ routes
 * with: targets parsed, named accounts and tiers indexed, each rep given their own calendar (zone
 * and hours over the company calendar).
 */
import type {
  RepModel,
  RoutingModel,
  RoutingRuleModel,
  RoutingTarget,
  TeamModel,
} from '../core/routing/model.ts';
import { calendarFor, type BusinessCalendar } from '../core/time/calendar.ts';
import type { RevopsConfig } from './schema/index.ts';

type RuleInput = RevopsConfig['routing']['rules'][number];

export function routingModel(config: RevopsConfig, calendar: BusinessCalendar): RoutingModel {
  const { routing, team } = config;
  const reps = new Map<string, RepModel>(
    team.reps.map((rep) => [
      rep.id,
      {
        id: rep.id,
        name: rep.name,
        active: rep.active,
        weight: rep.weight,
        skills: rep.skills.map((skill) => skill.toLowerCase()),
        capacity: rep.capacity,
        pto: rep.pto.map((p) => ({ from: p.from, to: p.to })),
        calendar: calendarFor(calendar, { timezone: rep.timezone, hours: rep.hours }),
        quota: rep.quota,
      },
    ]),
  );
  const teams = new Map<string, TeamModel>(
    team.teams.map((t) => [
      t.id,
      {
        id: t.id,
        name: t.name,
        members: t.members,
        strategy: t.strategy,
        reset: t.reset,
        respectWorkingHours: t.respectWorkingHours,
        quotaPriority: t.quotaPriority,
      },
    ]),
  );
  return {
    on: routing.on,
    keepExistingOwner: routing.keepExistingOwner,
    sameAccountSameOwner: routing.sameAccountSameOwner,
    namedAccounts: new Map(routing.namedAccounts.map((a) => [a.domain, { ...a }])),
    fuzzyNameMatch: routing.fuzzyNameMatch,
    tiers: new Map(routing.tiers.map((t) => [t.tier, t])),
    rules: routing.rules.map((r) => rule(r, [])),
    fallbackQueue: routing.fallback.queue,
    reps,
    teams,
    territories: team.territories.map((t) => ({ id: t.id, name: t.name, when: t.when, team: t.team })),
    queues: new Map(team.queues.map((q) => [q.id, { id: q.id, name: q.name, team: q.team, sla: q.sla }])),
    calendar,
    openStages: config.lifecycle.stages
      .filter((s) => s.owner === 'marketing_to_sales' || s.owner === 'sales')
      .map((s) => s.id),
  };
}

/** A rule with the skills it requires, its parents' included. */
function rule(input: RuleInput, inherited: readonly string[]): RoutingRuleModel {
  const skills = [...new Set([...inherited, ...(input.skills ?? []).map((s) => s.toLowerCase())])];
  return {
    id: input.id,
    name: input.name,
    when: input.when,
    to: input.to === undefined ? undefined : target(input.to),
    keepOwner: input.keepOwner,
    skills,
    rules: (input.rules ?? []).map((nested) => rule(nested, skills)),
  };
}

/** `account_owner`, `territory`, `rep:<id>`, `team:<id>`, `queue:<id>` (the schema checked the shape). */
export function target(text: string): RoutingTarget {
  if (text === 'account_owner') return { kind: 'account_owner' };
  if (text === 'territory') return { kind: 'territory' };
  const [kind, id = ''] = text.split(':', 2);
  if (kind === 'rep' || kind === 'team' || kind === 'queue') return { kind, id };
  throw new Error(`routing target \`${text}\` passed the schema but is not known`);
}

/**
 * Test builders for routing: the company calendar, named instants, reps and teams with overrides,
 * conditions written as plain predicates (a stand-in for compiled CEL), a small routing model and
 * routing inputs. Tests that need the real template conditions compile them through src/config.
 */
import { DateTime } from 'luxon';
import { ruleField, type CompiledRule, type RuleContext, type RuleValue } from '../../rule.ts';
import { calendarFor, createBusinessCalendar, type CalendarOverrides } from '../../time/calendar.ts';
import { parseDuration, type Duration } from '../../time/duration.ts';
import { OFFICE_HOURS } from '../../time/openingHours.ts';
import type { RepModel, RoutingModel, RoutingRuleModel, RoutingTarget, TeamModel } from '../model.ts';
import type { RoutingInput } from '../route.ts';
import type { TeamCounters } from '../roundRobin.ts';

export const NY = 'America/New_York';
export const LA = 'America/Los_Angeles';
export const CHICAGO = 'America/Chicago';

/** The company calendar: New York, Monday to Friday 09:00–17:00, US public holidays. */
export const COMPANY = createBusinessCalendar({
  timezone: NY,
  hours: OFFICE_HOURS,
  holidays: { country: 'US', extra: [], ignore: [] },
});

/** A local wall-clock time in a zone as epoch milliseconds (`2026-11-27T10:00`). */
export const at = (iso: string, zone = NY): number => DateTime.fromISO(iso, { zone }).toMillis();

/** Friday after Thanksgiving (a working day), 10:00 New York; ISO week 2026-W48. */
export const FRI_1000_NY = at('2026-11-27T10:00');
/** Monday 30 November 2026, 10:00 New York; ISO week 2026-W49. */
export const MON_1000_NY = at('2026-11-30T10:00');
/** Saturday 06:00 UTC: still Friday 22:00 in Los Angeles. */
export const SAT_0600_UTC = Date.parse('2026-11-28T06:00:00Z');
/** Saturday 09:00 UTC: Saturday 01:00 in Los Angeles. */
export const SAT_0900_UTC = Date.parse('2026-11-28T09:00:00Z');

export function duration(text: string): Duration {
  const parsed = parseDuration(text);
  if (parsed === undefined) throw new Error(`not a duration: ${text}`);
  return parsed;
}

export type RepOverrides = Partial<Omit<RepModel, 'id' | 'calendar'>> & CalendarOverrides;

/** An active rep of weight 1, no capacity limits, no PTO, on the company calendar (or its own zone). */
export function rep(id: string, overrides: RepOverrides = {}): RepModel {
  const { timezone, hours, ...rest } = overrides;
  return {
    id,
    name: id,
    active: true,
    weight: 1,
    skills: [],
    capacity: {},
    pto: [],
    calendar: calendarFor(COMPANY, { timezone, hours }),
    ...rest,
  };
}

/** A weighted round-robin team, weekly reset, hours not respected, no quota priority. */
export function team(id: string, members: readonly string[], overrides: Partial<TeamModel> = {}): TeamModel {
  return {
    id,
    name: id,
    members,
    strategy: 'weighted_round_robin',
    reset: 'weekly',
    respectWorkingHours: false,
    quotaPriority: false,
    ...overrides,
  };
}

/** A field of a context variable: `field(c, 'company', 'state')`. */
export function field(context: RuleContext, variable: string, name: string): RuleValue | undefined {
  return ruleField(context, variable, name);
}

/** A condition as a plain predicate, shaped like a compiled rule; `error` makes it fail at run time. */
export function when(source: string, test: (context: RuleContext) => boolean, error?: string): CompiledRule {
  const explain = (context: RuleContext) =>
    error === undefined ? { value: test(context) } : { value: false, error };
  return {
    kind: 'rule',
    id: source,
    source,
    scope: 'lead',
    evaluate: (c) => explain(c).value,
    explain,
    terms: [],
    bounds: [],
  };
}

/** A decision-tree rule; `to` as written in the config (`team:general`). */
export function rule(
  id: string,
  to: string | undefined,
  extra: { when?: CompiledRule; rules?: RoutingRuleModel[]; keepOwner?: boolean; skills?: string[] } = {},
): RoutingRuleModel {
  return { id, name: id, rules: [], skills: [], ...extra, ...(to === undefined ? {} : { to: target(to) }) };
}

/** A target as written in the config. */
export function target(text: string): RoutingTarget {
  if (text === 'account_owner' || text === 'territory') return { kind: text };
  const [kind, id = ''] = text.split(':', 2);
  if (kind === 'rep' || kind === 'team' || kind === 'queue') return { kind, id };
  throw new Error(`not a target: ${text}`);
}

export interface ModelParts extends Partial<Omit<RoutingModel, 'reps' | 'teams'>> {
  readonly reps?: readonly RepModel[];
  readonly teams?: readonly TeamModel[];
}

/** A routing model: by default reps ana, ben, cat in team `pool`, one rule `team:pool`, queue `inbound`. */
export function routingModel(parts: ModelParts = {}): RoutingModel {
  const { reps = [rep('ana'), rep('ben'), rep('cat')], teams, ...rest } = parts;
  return {
    on: ['mql'],
    keepExistingOwner: true,
    sameAccountSameOwner: true,
    namedAccounts: new Map(),
    fuzzyNameMatch: { enabled: true, threshold: 0.92 },
    tiers: new Map(),
    rules: [rule('pool', 'team:pool')],
    fallbackQueue: 'inbound',
    territories: [],
    queues: new Map([['inbound', { id: 'inbound', name: 'Inbound', sla: duration('1h') }]]),
    calendar: COMPANY,
    openStages: ['mql', 'sql'],
    ...rest,
    reps: new Map(reps.map((r) => [r.id, r])),
    teams: new Map(
      (
        teams ?? [
          team(
            'pool',
            reps.map((r) => r.id),
          ),
        ]
      ).map((t) => [t.id, t]),
    ),
  };
}

/** A routing input for `lead@acme.example` at Monday 10:00 New York, no load, fresh counters. */
export function routingInput(overrides: Partial<RoutingInput> = {}): RoutingInput {
  return {
    lead: { contactKey: 'lead@acme.example' },
    context: { contact: {}, company: {}, account: {}, lead: {} },
    now: MON_1000_NY,
    load: new Map(),
    counters: new Map(),
    ...overrides,
  };
}

/** Stored counters for a period. */
export function counters(
  period: string,
  counts: Record<string, number>,
  present = Object.keys(counts),
): TeamCounters {
  return { period, counts, present };
}

/**
 * Document 3, routing rules: the decision tree (diagram and table), named accounts and ABM tiers,
 * territories, teams and how they share leads, who is available when, queues and the
 * speed-to-lead ladder.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { WEEKDAYS } from '../schema/calendar.ts';
import { automationsSection, docHeader } from './common.ts';
import { ROLE_NAMES, repName, stageName, teamName, type Clock } from './describe.ts';
import { formatDuration, formatNumber, formatPercent, joinAnd } from './format.ts';
import { blocks, bullets, code, fence, heading, table, text } from './markdown.ts';
import { describeTarget, flattenRules, routingDiagram } from './routingTree.ts';
import { clockBlock } from './sla.ts';

type Team = RevopsConfig['team']['teams'][number];
type Rep = RevopsConfig['team']['reps'][number];

export function renderRouting(config: RevopsConfig): string {
  return blocks(
    docHeader(
      config,
      'Routing rules',
      'It defines who gets each new lead: the rules in the order they are tried, the account, territory and team assignments they use, who counts as available, and how fast the owner must respond.',
    ),
    principles(config),
    blocks(
      heading(2, 'Decision tree'),
      'Rules are tried from the top; the first match decides. The most specific rules come first and the general ones last. Long conditions are shortened in the drawing; the table below has them in full.',
      fence('mermaid', routingDiagram(config)),
    ),
    ruleTable(config),
    namedAccounts(config),
    territories(config),
    teams(config),
    availability(config),
    queues(config),
    speedToLead(config),
    automationsSection(
      config,
      'Automations that assign owners',
      'These automations hand a lead to a new owner outside the stage-entry routing.',
      config.automations.filter((a) => a.actions.some((x) => x.do === 'assign')),
    ),
  );
}

function principles(config: RevopsConfig): string {
  const r = config.routing;
  return blocks(
    heading(2, 'How routing works'),
    bullets([
      `Routing runs when a lead enters ${joinAnd(
        r.on.map((s) => stageName(config, s)),
        'or',
      )}.`,
      r.keepExistingOwner
        ? 'A lead that already has an owner keeps them, unless a rule says otherwise.'
        : 'Every routed lead is assigned afresh, even when it already has an owner, unless a rule says to keep them.',
      r.sameAccountSameOwner
        ? 'Every contact from an account goes to the same owner as the first one, so one account never has two reps.'
        : 'Contacts from the same account are routed one by one and may get different owners.',
      `When nobody can take the lead, it waits in the ${describeTarget(config, `queue:${r.fallback.queue}`).replace(/^queue /, '')} queue, so no lead is ever left without an owner.`,
      'Every decision is logged with the rules tried and the reps skipped, and why.',
    ]),
  );
}

function ruleTable(config: RevopsConfig): string {
  const flat = flattenRules(config.routing.rules);
  const keep = (value: boolean | undefined): string =>
    (value ?? config.routing.keepExistingOwner) ? 'yes' : 'no';
  return blocks(
    heading(2, 'Rules in order'),
    table(
      ['Order', 'Rule', 'Id', 'Condition', 'Goes to', 'Keeps an existing owner'],
      flat.map(({ rule, order, parents }) => [
        order,
        text(rule.name),
        code(rule.id),
        (rule.when !== undefined
          ? code(rule.when.source)
          : rule.to === 'territory'
            ? 'any lead inside a territory'
            : 'any lead (catch-all)') +
          (parents.length > 0 ? ` (inside ${parents.map((p) => code(p.id)).join(' › ')})` : ''),
        (rule.to !== undefined
          ? describeTarget(config, rule.to)
          : (rule.rules?.length ?? 0) > 0
            ? 'the nested rules; if none matches, the next rule'
            : 'the next rule') +
          (rule.skills !== undefined && rule.skills.length > 0
            ? ` — only reps with the skill${rule.skills.length > 1 ? 's' : ''} ${rule.skills.map(code).join(', ')}`
            : ''),
        keep(rule.keepOwner),
      ]),
    ),
  );
}

function namedAccounts(config: RevopsConfig): string {
  const r = config.routing;
  const tierName = (tier: number): string => {
    const t = r.tiers.find((x) => x.tier === tier);
    return t !== undefined ? `${tier}: ${text(t.name)}` : String(tier);
  };
  const fuzzy = r.fuzzyNameMatch.enabled
    ? `A lead whose company name is at least ${formatPercent(r.fuzzyNameMatch.threshold)} similar to a named account, but whose email domain does not match, goes to a person for review; it is never routed on a name match alone.`
    : 'Company-name matching is off: only the email domain links a lead to a named account.';
  return blocks(
    heading(2, 'Named accounts and ABM tiers'),
    r.namedAccounts.length > 0
      ? blocks(
          `A lead whose email domain matches a named account goes to that account\u2019s owner. ${fuzzy}`,
          table(
            ['Domain', 'Account', 'Owner', 'Tier'],
            r.namedAccounts.map((a) => [
              code(a.domain),
              a.name !== undefined ? text(a.name) : '',
              repName(config, a.owner),
              tierName(a.tier),
            ]),
          ),
        )
      : 'No named accounts are listed yet.',
    r.tiers.length > 0 &&
      table(
        ['Tier', 'Name', 'Alert', 'Response SLA', 'Named accounts'],
        [...r.tiers]
          .sort((a, b) => a.tier - b.tier)
          .map((t) => [
            String(t.tier),
            text(t.name),
            t.alert === 'instant' ? 'instant, to the owner' : 'standard',
            formatDuration(t.sla),
            String(r.namedAccounts.filter((a) => a.tier === t.tier).length),
          ]),
      ),
  );
}

function territories(config: RevopsConfig): string {
  const list = config.team.territories;
  if (list.length === 0) return '';
  return blocks(
    heading(2, 'Territories'),
    'A rule that routes to the territory sends the lead to the team of the first territory it matches.',
    table(
      ['Territory', 'Leads that match', 'Team'],
      list.map((t) => [`${text(t.name)} (${code(t.id)})`, code(t.when.source), teamName(config, t.team)]),
    ),
  );
}

const STRATEGIES = {
  weighted_round_robin: 'Weighted round-robin: each rep gets leads in proportion to their weight',
  round_robin: 'Round-robin: leads go to each rep in turn',
  least_loaded: 'Least loaded: the rep with the fewest open leads gets the next one',
} as const;

const RESETS = {
  daily: 'every day',
  weekly: 'every week',
  monthly: 'every month',
  never: 'never (counts carry on)',
} as const;

function teams(config: RevopsConfig): string {
  const list = config.team.teams;
  if (list.length === 0) return '';
  const members = (team: Team): string =>
    team.members
      .map((id) => {
        const rep = config.team.reps.find((r) => r.id === id);
        const weight =
          team.strategy === 'weighted_round_robin' && team.members.length > 1 && rep !== undefined
            ? ` (weight ${formatNumber(rep.weight)})`
            : '';
        return `${repName(config, id)}${weight}`;
      })
      .join(', ');
  return blocks(
    heading(2, 'Teams'),
    table(
      ['Team', 'Members', 'How leads are shared', 'Counts restart', 'Manager', 'Notes'],
      list.map((t) => [
        `${text(t.name)} (${code(t.id)})`,
        members(t),
        t.members.length === 1 ? 'every lead goes to the one member' : STRATEGIES[t.strategy],
        t.members.length === 1 || t.strategy === 'least_loaded' ? 'not used' : RESETS[t.reset],
        t.manager !== undefined ? repName(config, t.manager) : '',
        [
          t.respectWorkingHours ? 'skips reps outside their working hours' : '',
          t.quotaPriority ? 'reps further from quota get slight priority' : '',
          t.channel !== undefined ? `alerts in ${code(t.channel)}` : '',
        ]
          .filter((x) => x !== '')
          .join('; '),
      ]),
    ),
  );
}

function capacity(rep: Rep): string {
  const parts: string[] = [];
  if (rep.capacity.maxOpenLeads !== undefined) parts.push(`${rep.capacity.maxOpenLeads} open leads`);
  if (rep.capacity.maxPerDay !== undefined) parts.push(`${rep.capacity.maxPerDay} new per day`);
  return parts.length > 0 ? `at most ${parts.join(', ')}` : 'no limit';
}

function hours(config: RevopsConfig, rep: Rep): string {
  const show = (v: string | readonly string[]): string =>
    (Array.isArray(v) ? v.join(', ') : String(v)).replace(/-/g, '–');
  const own = WEEKDAYS.flatMap((day) => {
    const mine = rep.hours?.[day];
    if (mine === undefined) return [];
    return show(mine) === show(config.calendar.hours[day]) ? [] : [`${day} ${show(mine)}`];
  });
  const zone = rep.timezone !== undefined ? ` (${rep.timezone})` : '';
  if (own.length === 0) return `company hours${zone}`;
  return `${own.join('; ')}, otherwise company hours${zone}`;
}

function availability(config: RevopsConfig): string {
  const routable = config.team.reps.filter(
    (r) =>
      config.team.teams.some((t) => t.members.includes(r.id)) ||
      config.routing.namedAccounts.some((a) => a.owner === r.id),
  );
  return blocks(
    heading(2, 'Availability'),
    'Before a lead is offered to a rep, the rep is skipped when any of these is true:',
    bullets([
      'they are marked inactive;',
      'the day falls inside their time off (dates in their own time zone);',
      'they have reached their capacity (open leads or new leads today);',
      'their team respects working hours and they are outside them.',
    ]),
    routable.length > 0 &&
      table(
        ['Rep', 'Role', 'Active', 'Capacity', 'Working hours', 'Time off', 'Skills', 'Backup', 'Manager'],
        routable.map((r) => [
          text(r.name),
          ROLE_NAMES[r.role],
          r.active ? 'yes' : 'no',
          capacity(r),
          hours(config, r),
          r.pto.map((p) => `${p.from} to ${p.to}`).join(', ') || 'none',
          r.skills.map(text).join(', '),
          r.backup !== undefined ? repName(config, r.backup) : '',
          r.manager !== undefined ? repName(config, r.manager) : '',
        ]),
      ),
  );
}

function queues(config: RevopsConfig): string {
  const list = config.team.queues;
  if (list.length === 0) return '';
  return blocks(
    heading(2, 'Queues'),
    table(
      ['Queue', 'Worked by', 'Pick up within', 'Role'],
      list.map((q) => [
        `${text(q.name)} (${code(q.id)})`,
        q.team !== undefined ? teamName(config, q.team) : 'anyone',
        formatDuration(q.sla),
        q.id === config.routing.fallback.queue ? 'fallback for unrouted leads' : '',
      ]),
    ),
  );
}

/** Clocks that measure the first response to a routed lead. */
export function speedToLeadClocks(config: RevopsConfig): Clock[] {
  return config.sla.clocks.filter(
    (c) =>
      ('assigned' in c.start || ('stage' in c.start && config.routing.on.includes(c.start.stage))) &&
      c.stop.includes('touch'),
  );
}

function speedToLead(config: RevopsConfig): string {
  const clocks = speedToLeadClocks(config);
  const b = config.metrics.benchmarks;
  return blocks(
    heading(2, 'Speed to lead'),
    `The benchmark is a first touch within ${formatDuration(b.speedToLead)}, and at least ${formatPercent(b.contactedWithinSla)} of leads contacted within their SLA. ` +
      'Any logged call, email, meeting or note by a rep counts as the touch that stops the clock.',
    clocks.length > 0
      ? clocks.map((c) => clockBlock(config, c, 3))
      : 'No SLA clock measures the first touch yet: add one that starts on the routing stage and stops on `touch`.',
    config.routing.tiers.length > 0 &&
      `Named accounts follow their tier\u2019s response SLA (${joinAnd(
        [...config.routing.tiers]
          .sort((a, c) => a.tier - c.tier)
          .map((t) => `tier ${t.tier}: ${formatDuration(t.sla)}`),
      )}).`,
  );
}

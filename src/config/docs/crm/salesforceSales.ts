/** Salesforce setup steps for routing and the dashboard; salesforcePipeline.ts has the pipeline. */
import type { CompiledRule } from '../../../core/rule.ts';
import type { RevopsConfig } from '../../schema/index.ts';
import { repName, teamName, teamPhrase } from '../describe.ts';
import { formatDuration, formatMoney, formatNumber } from '../format.ts';
import { blocks, bullets, code, heading, table, text } from '../markdown.ts';
import { metricList } from '../metrics.ts';
import { speedToLeadClocks } from '../routing.ts';
import { isCatchAll, type RoutingRule } from '../routingTree.ts';
import { salesforceClock } from './salesforceFlows.ts';
import { dashboardViews, salesforceFormula, teamMembers } from './shared.ts';

export interface AssignmentEntry {
  readonly rule: string;
  readonly criteria: string;
  readonly assignTo: string;
}

function criteriaOf(rules: readonly CompiledRule[]): string {
  if (rules.length === 0) return 'no criteria (matches every lead)';
  const formulas = rules.map((r) => salesforceFormula(r));
  if (formulas.every((f) => f !== undefined))
    return code(formulas.length === 1 ? (formulas[0] ?? '') : `AND(${formulas.join(', ')})`);
  return `a formula equivalent to ${rules.map((r) => code(r.source)).join(' and ')}`;
}

/** The queue (or the single user) that receives a team's leads. */
export function queueFor(config: RevopsConfig, teamId: string): string {
  const team = config.team.teams.find((t) => t.id === teamId);
  if (team?.members.length === 1)
    return `User ${repName(config, team.members[0] ?? '')} (the only member of ${teamPhrase(config, teamId)})`;
  return `Queue “${teamName(config, teamId)}” (${teamMembers(config, teamId)})`;
}

/** Lead Assignment Rule entries, in the order Salesforce must try them. */
export function assignmentEntries(config: RevopsConfig): AssignmentEntry[] {
  const entries: AssignmentEntry[] = [];
  const walk = (rules: readonly RoutingRule[], conditions: readonly CompiledRule[]): void => {
    for (const rule of rules) {
      const own = rule.when !== undefined ? [...conditions, rule.when] : conditions;
      if (rule.rules !== undefined) walk(rule.rules, own);
      const target = rule.to;
      if (target === undefined) continue;
      const name = `${text(rule.name)} (${code(rule.id)})`;
      if (target === 'territory') {
        for (const t of config.team.territories)
          entries.push({
            rule: `${name}, ${text(t.name)}`,
            criteria: criteriaOf([...own, t.when]),
            assignTo: queueFor(config, t.team),
          });
        continue;
      }
      const [kind, ref = ''] = target.split(':') as [string, string];
      const assignTo =
        target === 'account_owner'
          ? 'the account owner: the “Named account match” flow sets the owner first; tick “Do Not Reassign Owner”'
          : kind === 'rep'
            ? `User ${repName(config, ref)}`
            : kind === 'team'
              ? queueFor(config, ref)
              : `Queue “${text(config.team.queues.find((q) => q.id === ref)?.name ?? ref)}”`;
      entries.push({ rule: name, criteria: criteriaOf(own), assignTo });
    }
  };
  walk(config.routing.rules, []);
  if (!config.routing.rules.some(isCatchAll)) {
    const q = config.team.queues.find((x) => x.id === config.routing.fallback.queue);
    entries.push({
      rule: 'Fallback',
      criteria: criteriaOf([]),
      assignTo: `Queue “${text(q?.name ?? config.routing.fallback.queue)}”`,
    });
  }
  return entries;
}

export function salesforceRouting(config: RevopsConfig): string {
  const r = config.routing;
  const entries = assignmentEntries(config);
  const fallback = config.team.queues.find((q) => q.id === r.fallback.queue);
  const away = config.team.reps.flatMap((rep) =>
    rep.pto.map((p) => `${text(rep.name)} ${p.from} to ${p.to}`),
  );
  return blocks(
    heading(3, 'Lead assignment rule'),
    `Create one active lead assignment rule, “RevOps routing”, with these entries in this sort order; Salesforce stops at the first entry that matches. Each entry's criteria is “formula evaluates to true”.`,
    table(
      ['Sort order', 'Rule', 'Criteria', 'Assign to'],
      entries.map((e, i) => [String(i + 1), e.rule, e.criteria, e.assignTo]),
    ),
    r.keepExistingOwner &&
      'Run the rule only for leads still owned by the integration user or a queue, so existing owners are kept.',
    r.namedAccounts.length > 0 && heading(3, 'Named accounts'),
    r.namedAccounts.length > 0 &&
      blocks(
        `On Account, add ${code('Named_Account__c')} (checkbox) and ${code('ABM_Tier__c')} (number), and set the owner:`,
        table(
          ['Website', 'Account owner', 'ABM tier'],
          r.namedAccounts.map((a) => [code(a.domain), repName(config, a.owner), String(a.tier)]),
        ),
        `**Flow “Named account match”**: before-save on Lead create. Get Records: the Account whose ${code('Website')} matches the email domain; if found, set the lead owner to the account owner and copy ${code('Named_Account__c')} and ${code('ABM_Tier__c')}.` +
          (r.fuzzyNameMatch.enabled
            ? ` Add a duplicate rule with fuzzy matching on company name that reports (not blocks) near matches, so a person reviews them.`
            : ''),
      ),
    heading(3, 'Queues and distribution'),
    bullets(
      config.team.teams
        .filter((t) => t.members.length > 1)
        .map((t) => {
          const how =
            t.strategy === 'least_loaded'
              ? 'Omni-Channel, with the “Least Active” routing model'
              : `a round-robin flow over a custom “Rep Assignment” object holding each rep's ${t.strategy === 'weighted_round_robin' ? 'weight and ' : ''}last assignment time`;
          return `${queueFor(config, t.id)}: distribute through ${how}; ${t.reset === 'never' ? 'counts never restart' : `counts restart ${t.reset}`}.`;
        }),
    ),
    fallback !== undefined &&
      `Leads left in the “${text(fallback.name)}” queue for more than ${formatDuration(fallback.sla)} trigger an alert to ${fallback.team !== undefined ? teamPhrase(config, fallback.team) : 'the queue members'}.`,
    away.length > 0 && `Mark reps unavailable in their Rep Assignment record while away: ${away.join('; ')}.`,
    speedToLeadClocks(config).length > 0 && heading(3, 'Speed-to-lead scheduled paths'),
    speedToLeadClocks(config).length > 0 &&
      'The lifecycle stages document lists the same paths on the stage flow: build them once.',
    speedToLeadClocks(config).map((c) => salesforceClock(config, c, 'Lifecycle_Stage_Date__c')),
  );
}

const SALESFORCE_REPORTS: Readonly<Record<string, string>> = {
  'New leads': 'Leads report grouped by Lead Source',
  'Lead-to-MQL rate': `Lead history report on ${'`Lifecycle_Stage__c`'} (field history tracking on)`,
  'MQL-to-SQL rate': 'Lead history report on the lifecycle field',
  'SQL-to-opportunity rate': 'Leads with converted lead information',
  'Win rate (overall and by source)': 'Opportunities report, closed, grouped by Lead Source and Won',
  'Rejection reasons': 'Leads grouped by Rejection Reason',
  'Recycled-MQL conversion': 'Leads filtered to the recycled flag, grouped by status',
  'Time in stage': 'Opportunity History (stage duration) and lead field history',
  'Deal stage conversion': 'Opportunity History report by stage',
  'Pipeline value': 'Opportunity Pipeline report (amount and expected revenue)',
  'Pipeline velocity': 'Opportunities with a custom summary formula',
  'Pipeline coverage': 'Collaborative Forecasts against quotas',
  'Forecast accuracy': 'Forecasts against closed won, by period',
  'Speed to lead': 'Leads with a formula on First_Touch_At__c minus MQL_Date__c',
  'SLA compliance': 'Leads by the SLA breach flags',
  'Cost per MQL': 'outside Salesforce: spend from the config ÷ MQLs',
  'Customer acquisition cost (CAC)': 'outside Salesforce: spend from the config ÷ new customers',
  'LTV:CAC': 'outside Salesforce: from the config economics',
  'Revenue against target': 'Collaborative Forecasts: closed against quota',
};

export function salesforceMetrics(config: RevopsConfig): string {
  const metrics = metricList(config);
  const quotas = config.team.reps
    .filter((r) => r.quota !== undefined)
    .map((r) => `${text(r.name)} ${formatMoney(r.quota ?? 0, config.company.currency)}`);
  return blocks(
    heading(3, 'Tracking'),
    `Turn on field history tracking for ${code('Lifecycle_Stage__c')} on Lead and Contact and for Lead Status; opportunity stage history is built in.`,
    heading(3, 'Reports'),
    table(
      ['Metric', 'Salesforce report'],
      metrics.map((m) => [text(m.name), SALESFORCE_REPORTS[m.name] ?? 'custom report']),
    ),
    heading(3, 'Dashboards'),
    dashboardViews(metrics),
    heading(3, 'Quotas'),
    quotas.length > 0
      ? `Enable Collaborative Forecasts with a ${config.metrics.quotaPeriod}ly period and load the quotas: ${quotas.join(', ')}. Coverage is held to ${formatNumber(config.metrics.benchmarks.pipelineCoverage.min ?? 3)}× quota or more.`
      : 'No rep quotas are set in the config; load them into Collaborative Forecasts before using the coverage report.',
  );
}

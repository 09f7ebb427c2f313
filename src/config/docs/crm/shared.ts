/**
 * What the HubSpot and Salesforce setup sections share: how our rule variables map to CRM fields,
 * CEL conditions in CRM terms (with the rule as written when it does not translate), custom field
 * names, and the delays between escalation steps.
 */
import type { CompiledRule } from '../../../core/rule.ts';
import type { Duration } from '../../../core/time/duration.ts';
import type { RevopsConfig } from '../../schema/index.ts';
import type { DocName } from '../index.ts';
import { formatDecay, formatDuration, formatPoints } from '../format.ts';
import { bullets, code, table, text } from '../markdown.ts';
import { signalFrequency } from '../scoringSignals.ts';
import {
  conditionFormula,
  conditionWords,
  parseCondition,
  type FormulaField,
  type FormulaKind,
} from './celFilter.ts';

/** A CRM's setup guide: its name and the setup steps for each of the five documents. */
export interface CrmGuide {
  readonly name: string;
  readonly sections: Readonly<Record<DocName, (config: RevopsConfig) => string>>;
}

/** [HubSpot property label, Salesforce field API name, Salesforce field kind] per rule variable. */
const FIELDS: Readonly<Record<string, readonly [string, string, FormulaKind]>> = {
  'contact.email': ['Email', 'Email', 'text'],
  'contact.title': ['Job title', 'Title', 'text'],
  'contact.seniority': ['Seniority', 'Seniority__c', 'picklist'],
  'contact.department': ['Department', 'Department__c', 'picklist'],
  'contact.source': ['Original source', 'LeadSource', 'picklist'],
  'contact.country': ['Country/Region', 'Country', 'text'],
  'contact.state': ['State/Region', 'State', 'text'],
  'contact.phone': ['Phone number', 'Phone', 'text'],
  'contact.emailDomain': ['Email domain', 'Email_Domain__c', 'text'],
  'contact.freeMail': ['Free email address', 'Free_Mail__c', 'checkbox'],
  'contact.role': ['Buying role', 'Buying_Role__c', 'picklist'],
  'company.domain': ['Company domain name', 'Website', 'text'],
  'company.name': ['Company name', 'Company', 'text'],
  'company.employees': ['Number of employees', 'NumberOfEmployees', 'number'],
  'company.industry': ['Industry', 'Industry', 'picklist'],
  'company.revenue': ['Annual revenue', 'AnnualRevenue', 'number'],
  'company.country': ['Country/Region', 'Country', 'text'],
  'company.state': ['State/Region', 'State', 'text'],
  'company.techStack': ['Technologies', 'Tech_Stack__c', 'multi'],
  'company.techMaturity': ['Tech maturity', 'Tech_Maturity__c', 'picklist'],
  'account.named': ['Target account', 'Named_Account__c', 'checkbox'],
  'account.tier': ['ABM tier', 'ABM_Tier__c', 'number'],
  'account.engagedContacts': ['Engaged contacts', 'Engaged_Contacts__c', 'number'],
  'account.score': ['Account score', 'Account_Score__c', 'number'],
  'lead.stage': ['Lifecycle stage', 'Lifecycle_Stage__c', 'picklist'],
  'lead.source': ['Original source', 'LeadSource', 'picklist'],
  'lead.recycled': ['Recycled MQL', 'Recycled_MQL__c', 'checkbox'],
  'lead.daysInStage': ['Days in stage', 'Days_In_Stage__c', 'number'],
  'lead.teamMembers': ['Product team members', 'Team_Members__c', 'number'],
  'lead.score.fit': ['Fit score', 'Fit_Score__c', 'number'],
  'lead.score.engagement': ['Engagement score', 'Engagement_Score__c', 'number'],
  'lead.score.negative': ['Negative points', 'Negative_Score__c', 'number'],
  'lead.score.total': ['RevOps score', 'Lead_Score__c', 'number'],
  'lead.score.mql': ['Meets MQL rule', 'Meets_MQL_Rule__c', 'checkbox'],
  'deal.amount': ['Amount', 'Amount', 'number'],
  'deal.currency': ['Currency', 'CurrencyIsoCode', 'picklist'],
  'deal.discountPercent': ['Discount (%)', 'Discount_Percent__c', 'number'],
  'deal.termMonths': ['Term (months)', 'Term_Months__c', 'number'],
  'deal.paymentTerms': ['Payment terms', 'Payment_Terms__c', 'picklist'],
  'deal.customTerms': ['Custom terms', 'Custom_Terms__c', 'checkbox'],
  'deal.source': ['Deal source', 'LeadSource', 'picklist'],
  'deal.stage': ['Deal stage', 'StageName', 'picklist'],
  'deal.pushes': ['Close date pushes', 'Close_Date_Pushes__c', 'number'],
};

function hubspotLabel(path: string): string | undefined {
  const property = /^event\.properties\.(\w+)$/.exec(path);
  if (property !== null) return property[1];
  return FIELDS[path]?.[0];
}

function salesforceField(path: string): FormulaField | undefined {
  const spec = FIELDS[path];
  return spec === undefined ? undefined : { api: spec[1], kind: spec[2] };
}

/** A rule in HubSpot filter words, or the CEL rule as written. */
export function hubspotFilter(rule: CompiledRule | string): string {
  const source = typeof rule === 'string' ? rule : rule.source;
  const parsed = parseCondition(source);
  const words = parsed === undefined ? undefined : conditionWords(parsed, hubspotLabel);
  return words !== undefined ? text(words) : `filters equivalent to ${code(source)}`;
}

/** A rule as a Salesforce formula, or undefined when it does not translate. */
export function salesforceFormula(rule: CompiledRule | string): string | undefined {
  const parsed = parseCondition(typeof rule === 'string' ? rule : rule.source);
  return parsed === undefined ? undefined : conditionFormula(parsed, salesforceField);
}

/** A rule as a Salesforce formula in code, or the CEL rule with a note. */
export function salesforceCriteria(rule: CompiledRule | string): string {
  const source = typeof rule === 'string' ? rule : rule.source;
  const formula = salesforceFormula(source);
  return formula !== undefined ? code(formula) : `a formula equivalent to ${code(source)}`;
}

/** `painPoints` → `Pain_Points__c`. */
export function customField(id: string): string {
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[_\s-]+/);
  const word = (w: string): string =>
    ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1);
  return `${words.map(word).join('_')}__c`;
}

const ACRONYMS = new Set(['mql', 'sql', 'sla', 'abm', 'acv', 'nps', 'cs', 'id', 'url']);

const MINUTES = { minute: 1, hour: 60, day: 1440, week: 10080, month: 43200 } as const;

/** The wait between two escalation steps, when it can be said exactly. */
export function delayBetween(previous: Duration | undefined, next: Duration): string {
  if (next.kind !== 'duration') return `until ${formatDuration(next)} after the start`;
  if (previous === undefined) return formatDuration(next);
  if (previous.kind !== 'duration' || previous.business !== next.business)
    return `until ${formatDuration(next)} after the start`;
  if (previous.unit === next.unit) {
    return formatDuration(Object.assign({}, next, { amount: next.amount - previous.amount, source: '' }));
  }
  if (next.business) return `until ${formatDuration(next)} after the start`;
  const minutes = next.amount * MINUTES[next.unit] - previous.amount * MINUTES[previous.unit];
  const unit = minutes % 1440 === 0 ? 'day' : minutes % 60 === 0 ? 'hour' : 'minute';
  return formatDuration({
    kind: 'duration',
    business: false,
    amount: minutes / MINUTES[unit],
    unit,
    source: '',
  });
}

/** `Sam Ortiz → Lee Park; Lee Park → Sam Ortiz`: each owner and who stands in for them. */
export function backupPairs(config: RevopsConfig): string {
  const name = (id: string): string => text(config.team.reps.find((r) => r.id === id)?.name ?? id);
  const pairs = config.team.reps
    .filter((r) => r.backup !== undefined)
    .map((r) => `${text(r.name)} → ${name(r.backup ?? '')}`);
  return pairs.length > 0 ? pairs.join('; ') : 'no backups are set in the config';
}

/** Reps the routing rules can hand a lead to: rule targets, territory teams, named-account owners. */
export function routedReps(config: RevopsConfig): Set<string> {
  const reps = new Set(config.routing.namedAccounts.map((a) => a.owner));
  const addTeam = (id: string): void =>
    config.team.teams.find((t) => t.id === id)?.members.forEach((m) => reps.add(m));
  const walk = (rules: RevopsConfig['routing']['rules']): void => {
    for (const rule of rules) {
      const [kind, ref = ''] = (rule.to ?? '').split(':') as [string, string];
      if (kind === 'rep') reps.add(ref);
      if (kind === 'team') addTeam(ref);
      if (rule.to === 'territory') config.team.territories.forEach((t) => addTeam(t.team));
      walk(rule.rules ?? []);
    }
  };
  walk(config.routing.rules);
  const fallback = config.team.queues.find((q) => q.id === config.routing.fallback.queue);
  if (fallback?.team !== undefined) addTeam(fallback.team);
  return reps;
}

/**
 * Who the owner's manager is, for reps that routing can pick: one name when they share a manager,
 * else `owner → manager` pairs.
 */
export function ownerManagers(config: RevopsConfig): { readonly single?: string; readonly pairs: string } {
  const name = (id: string): string => text(config.team.reps.find((r) => r.id === id)?.name ?? id);
  const owners = routedReps(config);
  const reps = config.team.reps.filter((r) => owners.has(r.id) && r.manager !== undefined);
  const managers = [...new Set(reps.map((r) => r.manager ?? ''))];
  const pairs = reps.map((r) => `${text(r.name)} → ${name(r.manager ?? '')}`).join('; ');
  return managers.length === 1 ? { single: name(managers[0] ?? ''), pairs } : { pairs };
}

/** Active members of a team with their weights, by name. */
export function teamMembers(config: RevopsConfig, teamId: string, withWeights = false): string {
  const team = config.team.teams.find((t) => t.id === teamId);
  if (team === undefined) return teamId;
  return team.members
    .map((id) => {
      const rep = config.team.reps.find((r) => r.id === id);
      const weight =
        withWeights && rep !== undefined && team.strategy === 'weighted_round_robin'
          ? ` (weight ${rep.weight})`
          : '';
      return `${text(rep?.name ?? id)}${weight}`;
    })
    .join(', ');
}

const EVENT_WORDS: Readonly<Record<string, string>> = {
  identify: 'Contact update',
  page_view: 'Page view',
  form_submit: 'Form submission',
  content_download: 'Content download',
  webinar: 'Webinar',
  email: 'Marketing email',
  product: 'Product event (custom behavioral event)',
  social: 'Social interaction',
  meeting: 'Meeting',
  rep_activity: 'Sales activity',
  sales_decision: 'Sales decision',
  deal: 'Deal update',
  nps: 'Feedback survey answer',
  referral: 'Referral',
};

/** `Page view where event category is pricing, 3+ times within 30 days`. */
export function eventCriteria(
  event: string,
  when: CompiledRule | undefined,
  count?: {
    readonly atLeast: number;
    readonly within?: Duration | undefined;
    readonly distinctDays: boolean;
  },
): string {
  const base = `${EVENT_WORDS[event] ?? code(event)}${when !== undefined ? ` where ${hubspotFilter(when)}` : ''}`;
  if (count === undefined) return base;
  const times = count.distinctDays ? `on ${count.atLeast}+ distinct days` : `${count.atLeast}+ times`;
  return `${base}, ${times}${count.within !== undefined ? ` within ${formatDuration(count.within)}` : ''}`;
}

type Negative = RevopsConfig['scoring']['negative'][number];

/** How a negative signal is detected, in the CRM's terms. */
export function negativeCriteria(config: RevopsConfig, n: Negative, crm: 'hubspot' | 'salesforce'): string {
  const hubspot = crm === 'hubspot';
  const domain = hubspot ? 'Email domain' : code('Email_Domain__c');
  switch (n.builtin) {
    case 'competitor_domain':
      return `${domain} is any of ${config.company.competitors.map(code).join(', ') || '(none listed)'}`;
    case 'student_domain':
      return `${domain} ends with ${config.hygiene.studentDomains.map((d) => code(`.${d}`)).join(', ')}`;
    case 'free_mail':
      return hubspot
        ? 'Email domain is on your list of free mail providers'
        : `${code('Free_Mail__c')} is true (set from a list of free mail domains)`;
    case 'invalid_phone':
      return hubspot
        ? 'Phone number fails HubSpot phone validation'
        : 'Phone fails validation (a formula or data quality tool)';
    default:
      break;
  }
  if (n.when !== undefined) return hubspot ? hubspotFilter(n.when) : salesforceCriteria(n.when);
  if (n.inactiveFor !== undefined) {
    if (n.event !== undefined)
      return `no ${eventCriteria(n.event, n.on)} in the last ${formatDuration(n.inactiveFor)}`;
    return `${hubspot ? 'Last activity date' : code('LastActivityDate')} is more than ${formatDuration(n.inactiveFor)} ago`;
  }
  if (n.onlyVisited !== undefined) return `viewed only ${n.onlyVisited.map(code).join(', ')} pages`;
  return eventCriteria(n.event ?? '', n.on);
}

/** Every flag the config can raise: stage actions, SLA escalations, automations, recycling. */
export function allFlags(config: RevopsConfig): string[] {
  const fromActions = (actions: readonly { readonly do: string; readonly flag?: string }[]): string[] =>
    actions.flatMap((a) => (a.do === 'set_flag' && a.flag !== undefined ? [a.flag] : []));
  return [
    ...new Set([
      config.lifecycle.recycling.flag,
      ...config.lifecycle.stages.flatMap((s) => fromActions(s.onEntry)),
      ...config.sla.clocks.flatMap((c) => [
        ...c.escalation.flatMap((e) => (e.action === 'flag' ? [e.flag ?? 'sla_breached'] : [])),
        ...fromActions(c.onBreach),
      ]),
      ...config.automations.flatMap((a) => fromActions(a.actions)),
    ]),
  ];
}

/** The engagement-signal table both CRM sections show (criteria, points, frequency, decay). */
export function engagementSignalTable(scoring: RevopsConfig['scoring']): string {
  return table(
    ['Signal', 'Criteria', 'Points', 'How often', 'Decay'],
    scoring.engagement.signals.map((x) => [
      text(x.label),
      eventCriteria(x.event, x.when, x.count),
      formatPoints(x.points),
      signalFrequency(x),
      formatDecay(x.decay),
    ]),
    ['left', 'left', 'right', 'left', 'left'],
  );
}

/** The negative-signal table, with criteria in the CRM's terms; empty when there are none. */
export function negativeSignalTable(config: RevopsConfig, crm: 'hubspot' | 'salesforce'): string {
  return table(
    ['Signal', 'Criteria', 'Points'],
    config.scoring.negative.map((n) => [
      text(n.label),
      negativeCriteria(config, n, crm),
      formatPoints(n.points),
    ]),
    ['left', 'left', 'right'],
  );
}

/** Which metrics each dashboard view (marketing, sales, executive) shows, as a bullet list. */
export function dashboardViews(
  metrics: readonly { readonly name: string; readonly views: readonly string[] }[],
): string {
  return bullets(
    (['marketing', 'sales', 'executive'] as const).map(
      (v) =>
        `**${v.charAt(0).toUpperCase()}${v.slice(1)}:** ${metrics
          .filter((m) => m.views.includes(v))
          .map((m) => text(m.name))
          .join(', ')}`,
    ),
  );
}

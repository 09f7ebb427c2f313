/** HubSpot setup steps for routing, the deal pipeline and the metrics dashboard. */
import type { RevopsConfig } from '../../schema/index.ts';
import { describeRecipient, repName, teamName, teamPhrase } from '../describe.ts';
import { formatDuration, formatMoney, formatNumber, formatPercent, joinAnd } from '../format.ts';
import { blocks, bullets, code, heading, numbered, table, text } from '../markdown.ts';
import { metricList } from '../metrics.ts';
import { fieldLabel, type Pipeline } from '../pipeline.ts';
import { speedToLeadClocks } from '../routing.ts';
import { describeTarget, flattenRules, isCatchAll } from '../routingTree.ts';
import { hubspotAction, hubspotClockWorkflow, hubspotStage } from './hubspotWorkflows.ts';
import { dashboardViews, hubspotFilter, teamMembers } from './shared.ts';

function rotation(config: RevopsConfig, teamId: string): string {
  const team = config.team.teams.find((t) => t.id === teamId);
  if (team === undefined) return `Rotate record to owner among the ${text(teamId)} team`;
  if (team.members.length === 1) return `Set contact owner to ${repName(config, team.members[0] ?? '')}`;
  const base = `Rotate record to owner among ${teamMembers(config, teamId)}`;
  const reps = team.members.map((id) => config.team.reps.find((r) => r.id === id));
  const weights = slotCounts(reps.map((r) => r?.weight ?? 1));
  if (team.strategy === 'least_loaded')
    return `${base} (HubSpot has no least-loaded option; watch open leads per owner)`;
  if (team.strategy !== 'weighted_round_robin' || weights.every((w) => w === weights[0])) return base;
  let slot = 0;
  const slots = reps.map((r, i) => {
    const count = weights[i] ?? 1;
    const range = count === 1 ? `${slot}` : `${slot}–${slot + count - 1}`;
    slot += count;
    return `${range} → ${text(r?.name ?? '')}`;
  });
  return `Weighted rotation with a number property “${text(team.name)} rotation” counting 0 to ${slot - 1}: ${slots.join(', ')}; add 1 after each assignment and reset at ${slot}`;
}

/** Whole rotation slots per rep in proportion to their weights (1.2, 1, 1 → 6, 5, 5). */
function slotCounts(weights: readonly number[]): number[] {
  for (let k = 1; k <= 10; k++) {
    if (weights.every((w) => Math.abs(w * k - Math.round(w * k)) < 1e-9))
      return weights.map((w) => Math.max(1, Math.round(w * k)));
  }
  return weights.map((w) => Math.max(1, Math.round(w * 10)));
}

function targetAction(config: RevopsConfig, target: string | undefined): string {
  if (target === undefined)
    return 'the nested branches below; if none matches, carry on with the next branch';
  if (target === 'account_owner') return "Copy the associated company's owner to the contact owner";
  if (target === 'territory')
    return `Branch again by territory: ${config.team.territories.map((t) => `${text(t.name)} (${hubspotFilter(t.when)}) → ${rotation(config, t.team)}`).join('; ')}`;
  const [kind, ref = ''] = target.split(':') as [string, string];
  if (kind === 'rep') return `Set contact owner to ${repName(config, ref)}`;
  if (kind === 'team') return rotation(config, ref);
  return `Add to the list “${describeTarget(config, target).replace(/^queue /, '')}” and create a task for the team that works it`;
}

export function hubspotRouting(config: RevopsConfig): string {
  const r = config.routing;
  const flat = flattenRules(r.rules);
  const catchAll = r.rules.some(isCatchAll);
  const fallback = config.team.queues.find((q) => q.id === r.fallback.queue);
  const away = config.team.reps.flatMap((rep) =>
    rep.pto.map((p) => `${text(rep.name)} ${p.from} to ${p.to}`),
  );
  const capped = config.team.reps.filter(
    (rep) => rep.capacity.maxOpenLeads !== undefined || rep.capacity.maxPerDay !== undefined,
  );
  return blocks(
    r.namedAccounts.length > 0 && heading(3, 'Named accounts'),
    r.namedAccounts.length > 0 &&
      'On each named company, set “Target account” to Yes, the company owner, and a dropdown property “ABM tier”:',
    r.namedAccounts.length > 0 &&
      table(
        ['Company domain name', 'Company owner', 'ABM tier'],
        r.namedAccounts.map((a) => [code(a.domain), repName(config, a.owner), String(a.tier)]),
      ),
    heading(3, 'Routing workflow'),
    `**Workflow “Routing”.** Trigger: lifecycle stage is changed to ${r.on.map((s) => `“${hubspotStage(config, s)}”`).join(' or ')}` +
      (r.keepExistingOwner ? '; enroll only contacts without a contact owner.' : '.') +
      (r.sameAccountSameOwner
        ? ' First branch: the associated company has an owner → copy the company owner to the contact owner.'
        : '') +
      ' Then add one if/then branch per rule, in this order; HubSpot takes the first branch that matches.',
    table(
      ['Branch', 'Criteria', 'Action'],
      [
        ...flat.map(({ rule, order, parents }) => [
          `${order} ${text(rule.name)}`,
          (rule.when !== undefined
            ? hubspotFilter(rule.when)
            : rule.to === 'territory'
              ? 'inside one of the territories below'
              : 'none met (catch-all)') + (parents.length > 0 ? ' (inside the branch above)' : ''),
          targetAction(config, rule.to),
        ]),
        ...(catchAll
          ? []
          : [
              [
                'none met',
                'no branch matched',
                `Add to the list “${text(fallback?.name ?? r.fallback.queue)}”`,
              ],
            ]),
      ],
    ),
    `After every assignment, create task “Follow up” for the new owner and add unassigned contacts to the list “${text(fallback?.name ?? r.fallback.queue)}”${fallback !== undefined ? `, worked within ${formatDuration(fallback.sla)}` : ''}.`,
    heading(3, 'Availability'),
    bullets([
      "HubSpot's rotation skips deactivated users only: it knows nothing of capacity or time off.",
      away.length > 0
        ? `Take reps out of the rotation while they are away: ${away.join('; ')}.`
        : 'No time off is planned in the config.',
      capped.length > 0
        ? `Watch capacity with an “open contacts by owner” report: ${capped.map((rep) => `${text(rep.name)} at most ${rep.capacity.maxOpenLeads ?? rep.capacity.maxPerDay} ${rep.capacity.maxOpenLeads !== undefined ? 'open' : 'per day'}`).join(', ')}.`
        : 'No capacity limits are set.',
    ]),
    speedToLeadClocks(config).length > 0 && heading(3, 'Speed-to-lead workflows'),
    speedToLeadClocks(config).length > 0 &&
      'The lifecycle stages document lists the same workflows: build them once.',
    speedToLeadClocks(config).map((c) =>
      hubspotClockWorkflow(
        config,
        c,
        'stage' in c.start
          ? `lifecycle stage is changed to “${hubspotStage(config, c.start.stage)}”`
          : 'contact owner is assigned after routing',
      ),
    ),
  );
}

const HUBSPOT_DEAL_PROPERTIES: Readonly<Record<string, string>> = {
  name: 'Deal name',
  amount: 'Amount',
  closeDate: 'Close date',
  owner: 'Deal owner',
  lossReason: 'Closed lost reason',
  currency: 'Currency',
  source: 'Original source',
};

function dealProperty(config: RevopsConfig, id: string): string {
  if (id === 'account' || id === 'contacts')
    return `associated ${id === 'account' ? 'company' : 'contacts'} (check with a workflow)`;
  const builtin = HUBSPOT_DEAL_PROPERTIES[id];
  return builtin !== undefined ? `“${builtin}”` : `“${text(fieldLabel(config, id))}” (custom)`;
}

function pipelineSteps(config: RevopsConfig, p: Pipeline): string {
  const open = p.stages.filter((s) => s.kind === 'open');
  const entry = p.stages.filter((s) => s.onEntry.length > 0);
  const won = p.stages.find((s) => s.kind === 'won');
  return blocks(
    heading(3, `Deal pipeline “${text(p.name)}”`),
    'In the deal pipeline settings, create these stages in this order; make the listed properties required when a deal enters the stage (conditional stage properties).',
    table(
      ['Stage', 'Deal probability', 'Stage type', 'Required properties'],
      p.stages.map((s) => [
        text(s.name),
        s.probability !== undefined ? formatPercent(s.probability) : '',
        s.kind === 'open' ? 'open' : s.kind === 'won' ? 'closed won' : 'closed lost',
        s.required.map((f) => dealProperty(config, f)).join(', ') || 'none',
      ]),
    ),
    p.skips === 'block'
      ? 'Turn on the pipeline rule that stops deals from skipping stages.'
      : `Leave stage skipping open, but review a deals report weekly where a later stage's “Date entered” is known and an earlier one's is unknown (for example “Date entered ${text(open[open.length - 1]?.name ?? '')}” known, “Date entered ${text(open[1]?.name ?? open[0]?.name ?? '')}” unknown).`,
    entry.map((s) =>
      blocks(
        `**Deal workflow “Stage: ${text(s.name)}”.** Trigger: deal stage is “${text(s.name)}”.`,
        numbered(s.onEntry.map((a) => hubspotAction(config, a))),
      ),
    ),
    `**Deal workflow “Stale deals”.** One branch per open stage: ${staleLimits(p)}. When the deal is still in the stage: create task “${text(p.stale.alertTask.title)}” due in ${formatDuration(p.stale.alertTask.due)}; delay ${formatDuration(p.stale.managerAfter)}; if still there, notify the deal owner's manager.`,
    `**Deal workflow “Close date pushed”.** Trigger: close date has changed to a later date. Create the properties “Close date push reason” (text), “Close date pushes” (number) and “Forecast review” (checkbox). Actions: increase “Close date pushes” by 1; ${p.closeDate.pushReasonRequired ? 'if “Close date push reason” is unknown, create task “Record why the close date moved” for the deal owner; ' : ''}if “Close date pushes” is at least ${p.closeDate.forecastReviewAfter}, set “Forecast review” to Yes.`,
    won !== undefined &&
      blocks(
        `**Deal workflow “Closed-won handoff”.** Trigger: deal stage is “${text(won.name)}”.`,
        numbered([
          `Set the associated contacts' lifecycle stage to “${hubspotStage(config, p.closedWon.contactsBecome)}”.`,
          p.closedWon.csTeam !== undefined
            ? `${rotationFor(config, p.closedWon.csTeam)}, as the customer success owner.`
            : 'Keep the deal owner as the customer owner.',
          `Create task “${text(p.closedWon.kickoff.title)}” for the customer success owner, due in ${formatDuration(p.closedWon.kickoff.due)}.`,
          ...(p.closedWon.stopSequences
            ? ['Unenroll the associated contacts from every sales sequence.']
            : []),
        ]),
      ),
  );
}

function rotationFor(config: RevopsConfig, team: string): string {
  return `Rotate record to owner among ${teamMembers(config, team)}, from ${teamPhrase(config, team)}`;
}

function staleLimits(p: Pipeline): string {
  const open = p.stages.filter((s) => s.kind === 'open');
  const fixed = open.flatMap((s) =>
    s.staleAfter !== undefined ? [`${text(s.name)} after ${formatDuration(s.staleAfter)}`] : [],
  );
  const average = open.filter((s) => s.staleAfter === undefined).map((s) => text(s.name));
  if (average.length > 0)
    fixed.push(
      `${average.join(', ')} after ${p.stale.averageMultiplier}× ${average.length === 1 ? 'its' : 'their'} average time in stage (read it from the time-in-stage report)`,
    );
  return fixed.join('; ');
}

export function hubspotPipeline(config: RevopsConfig): string {
  const d = config.dealDesk;
  return blocks(
    config.pipeline.pipelines.map((p) => pipelineSteps(config, p)),
    heading(3, 'Deal desk'),
    `**Deal workflow “Deal desk”.** Trigger: “Amount” is greater than ${formatNumber(d.threshold)}, or any tier below applies. Branch in this order${d.match === 'first' ? ' (first match only)' : '; with several matching tiers, run each branch in turn'}:`,
    table(
      ['Tier', 'Criteria', 'Action'],
      d.tiers.map((t) => [
        text(t.name),
        hubspotFilter(t.when),
        t.approvers.length === 0
          ? 'none: approved automatically'
          : `Create task “Approve ${text(t.name)}” for ${joinAnd(t.approvers.map((a) => describeRecipient(config, a)))}${t.approvers.length > 1 ? (t.mode === 'all' ? ' (all must approve)' : ' (one approval is enough)') : ''}, due in ${formatDuration(d.approvalSla)}`,
      ]),
    ),
    `If a task is still open after ${formatDuration(d.approvalSla)}, notify ${describeRecipient(config, d.escalateTo)}. If you send HubSpot quotes, set the same discount limits in the quote approval settings. Deals above ${formatMoney(d.threshold, config.company.currency)} also need a deal desk review task.`,
  );
}

const HUBSPOT_REPORTS: Readonly<Record<string, string>> = {
  'New leads': 'contacts created by original source (single-object report)',
  'Lead-to-MQL rate': 'lifecycle stage funnel report (contacts): Lead → Marketing Qualified Lead',
  'MQL-to-SQL rate': 'lifecycle stage funnel report: Marketing Qualified Lead → Sales Qualified Lead',
  'SQL-to-opportunity rate': 'lifecycle stage funnel report: Sales Qualified Lead → Opportunity',
  'Win rate (overall and by source)': 'deals closed won and lost by original source',
  'Rejection reasons': 'contacts by “Sales rejection reason”',
  'Recycled-MQL conversion': 'lifecycle funnel filtered to the recycled flag',
  'Time in stage': 'time in lifecycle stage and time in deal stage properties',
  'Deal stage conversion': 'deal funnel report for each pipeline',
  'Pipeline value': 'deal forecast, open deals by stage (amount and weighted amount)',
  'Pipeline velocity': 'custom report from deals created and closed',
  'Pipeline coverage': 'forecast against goals',
  'Forecast accuracy': 'forecast submissions against closed won',
  'Speed to lead': 'time between “MQL date” and “Last contacted” (calculation property)',
  'SLA compliance': 'contacts by the SLA breach lists and flags',
  'Cost per MQL': 'outside HubSpot: spend from the config ÷ MQLs',
  'Customer acquisition cost (CAC)': 'outside HubSpot: spend from the config ÷ new customers',
  'LTV:CAC': 'outside HubSpot: from the config economics',
  'Revenue against target': 'revenue goals against closed-won deals',
};

export function hubspotMetrics(config: RevopsConfig): string {
  const metrics = metricList(config);
  const quotas = [
    ...config.metrics.teamQuotas.map(
      (q) => `${teamName(config, q.team)} ${formatMoney(q.amount, config.company.currency)}`,
    ),
    ...config.team.reps
      .filter((r) => r.quota !== undefined)
      .map((r) => `${text(r.name)} ${formatMoney(r.quota ?? 0, config.company.currency)}`),
  ];
  return blocks(
    heading(3, 'Reports'),
    table(
      ['Metric', 'HubSpot report'],
      metrics.map((m) => [text(m.name), HUBSPOT_REPORTS[m.name] ?? 'custom report']),
    ),
    heading(3, 'Dashboards'),
    dashboardViews(metrics),
    heading(3, 'Goals'),
    quotas.length > 0
      ? `Create revenue goals per ${config.metrics.quotaPeriod}: ${quotas.join(', ')}.`
      : 'No quotas are set in the config; add them before building coverage reports.',
  );
}

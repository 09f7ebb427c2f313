/** Salesforce setup steps for the opportunity pipeline: stages, validation rules, flows and approvals. */
import type { RevopsConfig } from '../../schema/index.ts';
import { ROLE_NAMES, describeRecipient } from '../describe.ts';
import { formatDuration, formatMoney, formatPercent, joinAnd } from '../format.ts';
import { blocks, code, fence, heading, numbered, table, text } from '../markdown.ts';
import { fieldLabel, type Pipeline } from '../pipeline.ts';
import { blankCheck, dealFieldApi, salesforceAction, stageValue } from './salesforceFlows.ts';
import { queueFor } from './salesforceSales.ts';
import { salesforceFormula } from './shared.ts';

const FORECAST = (s: Pipeline['stages'][number]): string => {
  if (s.kind === 'won') return 'Closed';
  if (s.kind === 'lost') return 'Omitted';
  const p = s.probability ?? 0;
  return p >= 0.7 ? 'Commit' : p >= 0.4 ? 'Best Case' : 'Pipeline';
};

const RULE_NAME = (name: string): string => name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');

function pipelineSteps(config: RevopsConfig, p: Pipeline): string {
  const ordered = p.stages.filter((s) => s.kind !== 'lost');
  const orderCase = (field: string): string =>
    `CASE(${field}, ${ordered.map((s, i) => `"${s.name.replace(/"/g, '\\"')}", ${i + 1}`).join(', ')}, 0)`;
  const rules = p.stages
    .filter((s) => s.required.length > 0)
    .map((s) => {
      const checks = s.required.flatMap((f) => {
        const check = blankCheck(config, f);
        return check === undefined ? [] : [check];
      });
      const formula = `AND(ISPICKVAL(StageName, "${s.name.replace(/"/g, '\\"')}"), ${checks.length === 1 ? checks[0] : `OR(${checks.join(', ')})`})`;
      return { stage: s, checks, formula };
    })
    .filter((x) => x.checks.length > 0);
  const skip = `AND(ISCHANGED(StageName), ${orderCase('TEXT(StageName)')} - ${orderCase('TEXT(PRIORVALUE(StageName))')} > 1)`;
  const won = p.stages.find((s) => s.kind === 'won');
  const onEntry = p.stages.filter((s) => s.onEntry.length > 0);
  return blocks(
    heading(3, `Opportunity stages for “${text(p.name)}”`),
    `Add these StageName values, then a sales process “${text(p.name)}” (with its record type) that uses them in this order:`,
    table(
      ['Stage', 'Probability', 'Type', 'Forecast category'],
      p.stages.map((s) => [
        text(s.name),
        s.probability !== undefined ? formatPercent(s.probability) : '',
        s.kind === 'open' ? 'Open' : s.kind === 'won' ? 'Closed/Won' : 'Closed/Lost',
        FORECAST(s),
      ]),
    ),
    rules.length > 0 && 'Validation rules, one per stage with required fields:',
    rules.map((x) =>
      blocks(
        `**${code(`Require_${RULE_NAME(x.stage.name)}_Fields`)}**, error message “Fill in ${joinAnd(x.stage.required.filter((f) => f !== 'contacts').map((f) => text(fieldLabel(config, f))))} before moving the deal to ${text(x.stage.name)}.”`,
        fence('text', x.formula),
      ),
    ),
    p.stages.some((s) => s.required.includes('contacts')) &&
      'Contact roles cannot be checked by a validation rule: use a before-save flow with a Custom Error when the opportunity has no contact role.',
    p.skips === 'block'
      ? blocks(
          `Validation rule ${code('No_Stage_Skipping')} (stages must be passed in order):`,
          fence('text', skip),
        )
      : blocks(
          `An after-save flow sets ${code('Stage_Skipped__c')} = true when this is true (use ${code('$Record__Prior')} for the prior stage):`,
          fence('text', skip),
        ),
    p.closeDate.pushReasonRequired &&
      blocks(
        `Validation rule ${code('Close_Date_Push_Needs_Reason')}:`,
        fence(
          'text',
          'AND(ISCHANGED(CloseDate), CloseDate > PRIORVALUE(CloseDate), NOT(ISCHANGED(Close_Date_Push_Reason__c)))',
        ),
      ),
    `**Flow “Close date pushed”**: after save when CloseDate moves later, add 1 to ${code('Close_Date_Pushes__c')}; at ${p.closeDate.forecastReviewAfter} or more, set ${code('Forecast_Review__c')} = true.`,
    `**Scheduled flow “Stale deals”** (daily): open opportunities where ${code('TODAY() - DATEVALUE(LastStageChangeDate)')} is over the stage limit (${p.stages
      .filter((s) => s.kind === 'open')
      .map(
        (s) =>
          `${text(s.name)} ${s.staleAfter !== undefined ? formatDuration(s.staleAfter) : `${p.stale.averageMultiplier}× average`}`,
      )
      .join(
        ', ',
      )}): create task “${text(p.stale.alertTask.title)}” due in ${formatDuration(p.stale.alertTask.due)}; if still stale ${formatDuration(p.stale.managerAfter)} later, email the owner's manager.`,
    onEntry.map((s) =>
      blocks(
        `**Flow “Stage: ${text(s.name)}”** on Opportunity: StageName changes to “${text(s.name)}”.`,
        numbered(s.onEntry.map((a) => salesforceAction(config, a))),
      ),
    ),
    won !== undefined &&
      blocks(
        `**Flow “Closed-won handoff”** on Opportunity: StageName changes to “${text(won.name)}”.`,
        numbered([
          `Update the contacts on the opportunity's contact roles: ${code('Lifecycle_Stage__c')} = “${stageValue(config, p.closedWon.contactsBecome)}”.`,
          p.closedWon.csTeam !== undefined
            ? `Assign the customer success owner from ${queueFor(config, p.closedWon.csTeam)}.`
            : 'Keep the opportunity owner as the customer owner.',
          `Create Records: Task “${text(p.closedWon.kickoff.title)}” for the customer success owner, due in ${formatDuration(p.closedWon.kickoff.due)}.`,
          ...(p.closedWon.stopSequences ? ['Remove the contacts from every sales cadence.'] : []),
        ]),
      ),
  );
}

function approvals(config: RevopsConfig): string {
  const d = config.dealDesk;
  const approver = (a: string): string => {
    if (a === 'manager') return "the owner's Manager field (automatically assign using the user field)";
    if (a.startsWith('role:')) {
      const role = a.slice(5);
      const names = config.team.reps.filter((r) => r.role === role).map((r) => text(r.name));
      return `queue “${ROLE_NAMES[role as keyof typeof ROLE_NAMES] ?? text(role)} approvers” (${joinAnd(names)})`;
    }
    return describeRecipient(config, a);
  };
  const tiers = d.tiers.filter((t) => t.approvers.length > 0);
  const steps = tiers.map((t) => [
    text(t.name),
    salesforceFormula(t.when) !== undefined ? code(salesforceFormula(t.when) ?? '') : code(t.when.source),
    t.approvers.map(approver).join('; '),
    t.mode === 'all' && t.approvers.length > 1 ? 'unanimous approval' : 'first response decides',
  ]);
  return blocks(
    heading(3, 'Approval processes'),
    d.match === 'all'
      ? `One approval process on Opportunity, “Deal desk”, with one step per tier below; each step's criteria is the tier's formula, so every matching tier approves in turn. Tiers without approvers need no step.`
      : 'One approval process per tier below, in this process order; Salesforce uses the first process whose entry criteria match.',
    table(['Tier', 'Criteria', 'Approvers', 'Decision'], steps),
    `Deals above ${formatMoney(d.threshold, config.company.currency)} also get a deal desk review: a first step with the criteria ${code(`Amount > ${d.threshold}`)}, assigned to ${config.team.reps.some((r) => r.role === 'deal_desk') ? describeRecipient(config, 'role:deal_desk') : 'the deal desk'}. Salesforce approvals have no deadline: a scheduled flow reminds the approver and, after ${formatDuration(d.approvalSla)}, notifies ${describeRecipient(config, d.escalateTo)}. Log every approved exception in a ${code('Deal_Exception__c')} object and review it ${d.exceptionsReview}.`,
  );
}

export function salesforcePipeline(config: RevopsConfig): string {
  const fields = [
    ...new Set(config.pipeline.pipelines.flatMap((p) => p.stages.flatMap((s) => s.required))),
  ].filter((f) => f !== 'contacts');
  return blocks(
    heading(3, 'Opportunity fields'),
    table(
      ['Field', 'API name'],
      fields.map((f) => [text(fieldLabel(config, f)), code(dealFieldApi(f))]),
    ),
    config.pipeline.pipelines.map((p) => pipelineSteps(config, p)),
    approvals(config),
  );
}

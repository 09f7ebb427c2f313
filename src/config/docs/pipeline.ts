/**
 * Document 4, pipeline configuration: each pipeline's stages with probabilities, required fields,
 * exit criteria and stale limits, what happens on stage entry, skip and stale policies, close-date
 * discipline, the closed-won handoff, the deal desk and the automations that touch deals.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { automationsSection, docHeader, facts } from './common.ts';
import { describeAction, describeRecipient, stageName, teamPhrase } from './describe.ts';
import { formatDuration, formatMoney, formatPercent, joinAnd } from './format.ts';
import { blocks, bullets, code, heading, numbered, table, text } from './markdown.ts';
import { clocksForDealStage, clocksTable } from './sla.ts';

export type Pipeline = RevopsConfig['pipeline']['pipelines'][number];
export type DealStage = Pipeline['stages'][number];

/** Labels of the deal fields every pipeline knows. */
export const BUILTIN_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Deal name',
  account: 'Account',
  owner: 'Deal owner',
  amount: 'Amount',
  currency: 'Currency',
  closeDate: 'Close date',
  source: 'Source',
  contacts: 'Contacts',
  fitScore: 'Fit score',
  lossReason: 'Loss reason',
  competitor: 'Competitor',
  signedContract: 'Signed contract',
  paymentTerms: 'Payment terms',
  discountPercent: 'Discount (%)',
  termMonths: 'Term (months)',
};

/** The label of a deal field: declared fields first, then the built-in ones. */
export function fieldLabel(config: RevopsConfig, id: string): string {
  return config.pipeline.fields.find((f) => f.id === id)?.label ?? BUILTIN_FIELD_LABELS[id] ?? id;
}

export function renderPipeline(config: RevopsConfig): string {
  return blocks(
    docHeader(
      config,
      'Pipeline configuration',
      'It defines the deal stages, what must be known before a deal moves, what happens on each move, when a deal counts as stale, and which deals need deal desk approval.',
    ),
    config.pipeline.pipelines.map((p) => pipelineSection(config, p)),
    fieldGlossary(config),
    dealDesk(config),
    automationsSection(
      config,
      'Automations on deals',
      'These automations react to deal stage changes and deal events, or ask for approvals.',
      config.automations.filter(
        (a) =>
          a.trigger.on === 'deal_stage' ||
          (a.trigger.on === 'event' && a.trigger.event === 'deal') ||
          a.actions.some((x) => x.do === 'request_approval'),
      ),
    ),
  );
}

function required(config: RevopsConfig, stage: DealStage): string {
  return stage.required.length > 0
    ? stage.required.map((f) => text(fieldLabel(config, f))).join(', ')
    : 'none';
}

function pipelineSection(config: RevopsConfig, p: Pipeline): string {
  const kinds = { open: 'open', won: 'won', lost: 'lost' } as const;
  const onEntry = p.stages.filter((s) => s.onEntry.length > 0 || clocksForDealStage(config, s.id).length > 0);
  const ids = new Set(p.stages.map((s) => s.id));
  const clocks = config.sla.clocks.filter((c) => 'dealStage' in c.start && ids.has(c.start.dealStage));
  return blocks(
    heading(2, `Pipeline: ${text(p.name)} (${code(p.id)})`),
    table(
      ['#', 'Stage', 'Kind', 'Probability', 'Required to enter', 'Exit criterion', 'Stale after'],
      p.stages.map((s, i) => [
        String(i + 1),
        `${text(s.name)} (${code(s.id)})`,
        kinds[s.kind],
        s.probability !== undefined ? formatPercent(s.probability) : '',
        required(config, s),
        s.exit !== undefined ? text(s.exit) : '',
        s.kind !== 'open'
          ? ''
          : s.staleAfter !== undefined
            ? formatDuration(s.staleAfter)
            : `${p.stale.averageMultiplier}× the stage average`,
      ]),
      ['right', 'left', 'left', 'right', 'left', 'left', 'left'],
    ),
    'A deal cannot enter a stage until the fields listed for it are filled in; the move is refused with the names of the missing fields.',
    onEntry.length > 0 && heading(3, 'On entering a stage'),
    onEntry.length > 0 &&
      bullets(
        onEntry.map((s) => ({
          text: `**${text(s.name)}**`,
          items: [
            ...s.onEntry.map((a) => describeAction(config, a)),
            ...clocksForDealStage(config, s.id).map(
              (c) => `Starts the “${text(c.name)}” clock: ${formatDuration(c.target)}`,
            ),
          ],
        })),
      ),
    heading(3, 'Rules'),
    facts([
      [
        'Skipping stages',
        p.skips === 'block'
          ? 'refused: a deal must pass through every open stage in order'
          : 'allowed, but the deal is flagged for review when it jumps over a stage',
      ],
      [
        'Stale deals',
        `a deal is stale past its stage limit, or past ${p.stale.averageMultiplier}× the average time deals spend in that stage. ` +
          `The owner gets the task “${text(p.stale.alertTask.title)}”, due ${formatDuration(p.stale.alertTask.due)} later; ` +
          `if the deal is still stale ${formatDuration(p.stale.managerAfter)} after that alert, the manager is told`,
      ],
      [
        'Close dates',
        `${p.closeDate.pushReasonRequired ? 'moving a close date later needs a written reason' : 'close dates may move without a reason'}; ` +
          `${p.closeDate.forecastReviewAfter} or more pushes flag the deal for forecast review`,
      ],
      ['Closed lost', lostRule(config, p)],
    ]),
    heading(3, 'Closed-won handoff'),
    numbered([
      `Contacts on the deal move to ${stageName(config, p.closedWon.contactsBecome)}.`,
      p.closedWon.csTeam !== undefined
        ? `A customer success owner is assigned from ${teamPhrase(config, p.closedWon.csTeam)} through routing.`
        : 'The deal owner stays the customer owner: no customer success team is named.',
      `Task “${text(p.closedWon.kickoff.title)}” for the customer success owner, due ${formatDuration(p.closedWon.kickoff.due)} later.`,
      p.closedWon.stopSequences
        ? 'Every sales sequence for these contacts stops.'
        : 'Sales sequences keep running until someone stops them.',
    ]),
    clocks.length > 0 && heading(3, 'Deal SLA clocks'),
    clocks.length > 0 && clocksTable(config, clocks),
  );
}

function lostRule(config: RevopsConfig, p: Pipeline): string {
  const lost = p.stages.filter((s) => s.kind === 'lost');
  const fields = [...new Set(lost.flatMap((s) => s.required))];
  return fields.length > 0
    ? `a deal can only close lost with ${joinAnd(fields.map((f) => text(fieldLabel(config, f))))} filled in`
    : 'no fields are required to close a deal lost; consider requiring a loss reason';
}

function fieldGlossary(config: RevopsConfig): string {
  const used = [...new Set(config.pipeline.pipelines.flatMap((p) => p.stages.flatMap((s) => s.required)))];
  const declared = config.pipeline.fields;
  const rows = [
    ...declared.map((f) => [
      text(f.label),
      code(f.id),
      f.type,
      f.options !== undefined ? f.options.map(text).join(', ') : '',
    ]),
    ...used
      .filter((id) => !declared.some((f) => f.id === id))
      .map((id) => [text(fieldLabel(config, id)), code(id), 'built in', '']),
  ];
  if (rows.length === 0) return '';
  return blocks(heading(2, 'Deal fields'), table(['Field', 'Id', 'Type', 'Options'], rows));
}

function dealDesk(config: RevopsConfig): string {
  const d = config.dealDesk;
  const currency = config.company.currency;
  return blocks(
    heading(2, 'Deal desk'),
    facts([
      [
        'Review threshold',
        `deals above ${formatMoney(d.threshold, currency)} in annual value go to deal desk review`,
      ],
      ['Standard payment terms', d.standardPaymentTerms.map(code).join(', ')],
      [
        'Which tiers apply',
        d.match === 'all'
          ? 'every tier whose condition matches must approve'
          : 'only the first tier whose condition matches, in the order below',
      ],
      [
        'Approval SLA',
        `${formatDuration(d.approvalSla)}; after that the request goes to ${describeRecipient(config, d.escalateTo)}`,
      ],
      [
        'Exceptions',
        `every approved exception is logged and reviewed ${d.exceptionsReview}; an exception asked for again and again should become standard`,
      ],
    ]),
    heading(3, 'Approval tiers'),
    table(
      ['#', 'Tier', 'Applies when', 'Approvers', 'Decision'],
      d.tiers.map((t, i) => [
        String(i + 1),
        `${text(t.name)} (${code(t.id)})`,
        code(t.when.source),
        t.approvers.length > 0
          ? joinAnd(t.approvers.map((a) => describeRecipient(config, a)))
          : 'none: approved automatically',
        t.approvers.length === 0
          ? ''
          : t.mode === 'all' || t.approvers.length === 1
            ? 'all must approve'
            : 'any one approves',
      ]),
    ),
  );
}

/**
 * Document 1, lifecycle stages: every stage with its owner, entry and exit criteria, allowed moves,
 * actions on entry and the SLA clocks it starts; then the rejection reason codes and recycling.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { automationsSection, describeCalendar, docHeader, facts } from './common.ts';
import { describeAction, stageName } from './describe.ts';
import { formatDuration, joinAnd, plural } from './format.ts';
import { blocks, bullets, code, fence, heading, mermaidText, numbered, table, text } from './markdown.ts';
import { clockBlock, clocksForStage, clocksTable } from './sla.ts';

type Stage = RevopsConfig['lifecycle']['stages'][number];
type Criterion = Stage['entry'][number];
type ReasonCode = RevopsConfig['lifecycle']['reasonCodes'][number];

export const OWNER_NAMES = {
  marketing: 'Marketing',
  sales: 'Sales',
  sdr: 'Sales (SDR)',
  ae: 'Sales (AE)',
  cs: 'Customer success',
  marketing_to_sales: 'Marketing, handing off to sales',
  cs_and_marketing: 'Customer success and marketing',
} as const;

export function renderLifecycle(config: RevopsConfig): string {
  const { stages } = config.lifecycle;
  return blocks(
    docHeader(
      config,
      'Lifecycle stages',
      'It defines each stage a contact moves through, who owns it, what moves a contact in and out, what happens on entry, and how fast each handoff must be answered.',
    ),
    overview(config),
    blocks(
      heading(2, 'Business hours for SLA clocks'),
      `Targets written in business time count only open hours: ${describeCalendar(config)}. ` +
        "A clock set to the owner's calendar counts that rep's own working hours and time zone instead.",
    ),
    stages.map((stage, i) => stageSection(config, stage, i + 1)),
    otherClocks(config),
    reasonCodes(config),
    recycling(config),
    automationsSection(
      config,
      'Lifecycle automations',
      'These automations react to stage changes, SLA breaches, missed meetings and returning leads.',
      config.automations.filter((a) =>
        ['stage_entered', 'sla_breached', 'no_show', 'dormant_returns'].includes(a.trigger.on),
      ),
    ),
  );
}

function overview(config: RevopsConfig): string {
  const { stages, initialStage } = config.lifecycle;
  const ids = new Map(stages.map((s, i) => [s.id, `s${i + 1}`]));
  const diagram = [
    'flowchart LR',
    ...stages.map((s) => `  ${ids.get(s.id) ?? ''}["${mermaidText(s.name)}"]`),
    ...stages.flatMap((s) => s.next.map((n) => `  ${ids.get(s.id) ?? ''} --> ${ids.get(n) ?? ''}`)),
  ].join('\n');
  return blocks(
    heading(2, 'Stages at a glance'),
    `A new contact starts in ${stageName(config, initialStage)}. A contact can only move along the arrows below; any other move is refused.`,
    table(
      ['#', 'Stage', 'Owner', 'Can move to', 'SLA clocks started'],
      stages.map((s, i) => [
        String(i + 1),
        `${text(s.name)} (${code(s.id)})`,
        OWNER_NAMES[s.owner],
        s.next.length > 0 ? joinAnd(s.next.map((n) => stageName(config, n))) : 'nowhere (final)',
        clocksForStage(config, s.id)
          .map((c) => text(c.name))
          .join(', ') || 'none',
      ]),
    ),
    fence('mermaid', diagram),
  );
}

/** Free text ending with exactly one full stop. */
function sentence(value: string): string {
  const t = text(value).trim();
  return /[.!?:]$/.test(t) ? t : `${t}.`;
}

function criteria(list: readonly Criterion[], none: string): string {
  if (list.length === 0) return none;
  return bullets(
    list.map((c) =>
      c.when !== undefined
        ? `${sentence(c.description)} Automatic check: ${code(c.when.source)}`
        : `${sentence(c.description)} Judged by the stage owner.`,
    ),
  );
}

function stageSection(config: RevopsConfig, stage: Stage, position: number): string {
  const extra: [string, string][] = [];
  if (config.routing.on.includes(stage.id))
    extra.push([
      'Routing',
      'entering this stage assigns an owner through the routing rules (see the routing rules document)',
    ]);
  if (stage.id === 'mql') {
    const s = config.scoring;
    const unit = s.model === 'weighted' ? '% of its maximum' : ' points';
    extra.push([
      'MQL rule',
      `total score of at least ${s.threshold}, with fit at least ${s.fitMin}${unit} and engagement at least ${s.engagementMin}${unit}` +
        (s.fastTrack.length > 0
          ? `, or a fast-track action (${joinAnd(s.fastTrack.map((f) => text(f.label)))})`
          : ''),
    ]);
  }
  if (stage.id === 'sql') {
    const n = config.lifecycle.sqlRequires.bant;
    extra.push([
      'Qualification',
      `at least ${n} of budget, authority, need and timeline confirmed in conversation`,
    ]);
  }
  if (stage.id === 'evangelist') {
    const e = config.lifecycle.evangelist;
    extra.push([
      'Advocacy signal',
      `an NPS answer of ${e.npsMin} or more${e.referral ? ', or a referral' : ''}`,
    ]);
  }
  const required = config.hygiene.requiredFields.filter((r) => r.stage === stage.id).flatMap((r) => r.fields);
  if (required.length > 0) extra.push(['Required contact fields', required.map(code).join(', ')]);

  const clocks = clocksForStage(config, stage.id);
  const automations = config.automations.filter(
    (a) => a.trigger.on === 'stage_entered' && a.trigger.stage === stage.id,
  );
  return blocks(
    heading(2, `${position}. ${text(stage.name)}`),
    facts([
      ['Id', code(stage.id)],
      ['Owner', OWNER_NAMES[stage.owner]],
      [
        'Can move to',
        stage.next.length > 0
          ? joinAnd(stage.next.map((n) => stageName(config, n)))
          : 'nowhere: this is a final stage',
      ],
      ...extra,
    ]),
    heading(3, 'Entry criteria'),
    criteria(stage.entry, 'None written: contacts arrive here by an explicit move or an action.'),
    heading(3, 'Exit criteria'),
    criteria(stage.exit, 'None written: contacts leave by an explicit move.'),
    heading(3, 'Actions on entry'),
    stage.onEntry.length > 0 || automations.length > 0
      ? numbered([
          ...stage.onEntry.map((a) => describeAction(config, a)),
          ...automations.map(
            (a) =>
              `Automation “${text(a.name)}”: ${a.actions.map((x) => describeAction(config, x)).join('; ')}`,
          ),
        ])
      : 'None.',
    clocks.length > 0 && heading(3, `SLA clocks that start here (${clocks.length})`),
    clocks.map((c) => clockBlock(config, c, 4)),
  );
}

function otherClocks(config: RevopsConfig): string {
  const lead = config.sla.clocks.filter((c) => 'assigned' in c.start || 'event' in c.start);
  const deal = config.sla.clocks.filter((c) => 'dealStage' in c.start);
  if (lead.length === 0 && deal.length === 0) return '';
  return blocks(
    heading(2, 'Other handoff clocks'),
    lead.length > 0 && 'These clocks start on an assignment or an event rather than a stage entry.',
    lead.map((c) => clockBlock(config, c, 3, true)),
    deal.length > 0 &&
      'These clocks run on deals; the pipeline configuration document covers them in context.',
    deal.length > 0 && clocksTable(config, deal),
  );
}

export function reasonAction(config: RevopsConfig, rc: ReasonCode): string {
  switch (rc.action) {
    case 'nurture':
      return 'Back to nurture';
    case 'archive':
      return 'Archived; never recycled';
    case 'recycle':
      return `Moved to ${stageName(config, config.lifecycle.recycling.stage)}; back in nurture after ${rc.after !== undefined ? formatDuration(rc.after) : 'the recycle delay'}`;
  }
}

function reasonCodes(config: RevopsConfig): string {
  const codes = config.lifecycle.reasonCodes;
  return blocks(
    heading(2, 'Rejection reason codes'),
    `Sales must pick one of these ${plural(codes.length, 'code')} to reject a lead; the code decides what happens next.`,
    table(
      ['Code', 'Reason', 'What happens', 'Note'],
      codes.map((rc) => [
        code(rc.code),
        text(rc.reason),
        reasonAction(config, rc),
        rc.note !== undefined ? text(rc.note) : '',
      ]),
    ),
  );
}

function recycling(config: RevopsConfig): string {
  const r = config.lifecycle.recycling;
  return blocks(
    heading(2, 'Recycling policy'),
    'A recycled lead gets a second chance without sitting in a rep\u2019s queue:',
    facts([
      ['Stage', stageName(config, r.stage)],
      [
        'Engagement score',
        r.resetEngagement ? 'reset to zero, so the lead has to show fresh interest' : 'kept as it was',
      ],
      ['Fit score', r.keepFit ? 'kept' : 'recomputed from scratch'],
      ['Nurture', `sequence “${text(r.nurtureSequence)}”, sent ${r.cadence}, gentler than the first nurture`],
      ['Archive', `after ${formatDuration(r.archiveAfter)} with no engagement`],
      [
        'Back to MQL',
        `when the lead crosses the MQL threshold again or does one of: ${r.reMqlTriggers.map(code).join(', ') || 'none'}`,
      ],
      ['Flag', `returning leads carry ${code(r.flag)}, so their conversion is reported on its own`],
    ]),
  );
}

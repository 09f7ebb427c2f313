/**
 * One lead in full: who it is and where it stands, its score with the ledger that explains it,
 * every routing decision with its trace, the SLA timeline (each clock's start, due time, stop,
 * status and escalations), the stage history, tasks and touches. Pure.
 */
import type { Touch } from '../../core/types.ts';
import type { ContactDetailView } from '../../server/schemas/contactDetail.ts';
import { badge, section, table, time, type Cell } from '../components.ts';
import { dueText, statusText, type ClockRow } from '../clockTerms.ts';
import { formatDuration, formatInstant } from '../format.ts';
import { markup, type HtmlValue, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';
import { kpiCards } from '../view.ts';
import { traceTables } from './leadTrace.ts';

export interface LeadPage {
  readonly detail: ContactDetailView;
  readonly name: string;
  /** Every SLA clock of the lead (running or not), by start time. */
  readonly clocks: readonly ClockRow[];
  readonly touches: readonly Touch[];
  readonly zone: string;
  readonly user?: string | undefined;
}

const SECTIONS = [
  ['attributes', 'Attributes'],
  ['score', 'Score'],
  ['routing', 'Routing'],
  ['sla', 'SLA timeline'],
  ['stages', 'Stage history'],
  ['tasks', 'Tasks'],
  ['touches', 'Touches'],
] as const;

/** `83.3%`: a percentage to one decimal. */
const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

/** An attribute's value as text: a list joined with commas. */
const shown = (value: string | number | boolean | readonly string[]): string =>
  typeof value === 'object' ? value.join(', ') : String(value);

function summary(page: LeadPage): SafeHtml {
  const d = page.detail;
  const mql = d.score?.mql === true ? markup` ${badge('MQL', 'good')}` : '';
  const items: [string, HtmlValue][] = [
    ['Email', d.email],
    ['Key', markup`<code>${d.key}</code>`],
    ['Account', d.account],
    ['Stage', markup`<strong>${d.stage}</strong> since ${time(d.stageEnteredAt, page.zone)}`],
    ['Owner', d.owner ?? 'unassigned'],
    ['Source', typeof d.attributes['source'] === 'string' ? d.attributes['source'] : null],
    ['Score', d.score === null ? 'not scored' : markup`${d.score.total}${mql}`],
    ['Events', d.eventCount],
    ['Last activity', time(d.lastActivityAt, page.zone)],
    ['Last touch', time(d.lastTouchAt, page.zone)],
  ];
  const shownItems = items.map(
    ([term, value]) =>
      markup`<div><dt>${term}</dt><dd>${value === null || value === undefined || value === '' ? '—' : value}</dd></div>`,
  );
  return markup`<dl class="summary">${shownItems}</dl>`;
}

function attributes(page: LeadPage): SafeHtml {
  const d = page.detail;
  const contact = table({
    caption: 'Contact attributes, latest values and where they came from',
    columns: ['Attribute', 'Value', 'Source', 'Set at', 'Event'],
    rows: Object.entries(d.attributes).map(([name, value]) => {
      const from = d.attributeSources[name];
      return [name, shown(value), from?.source ?? null, time(from?.at, page.zone), from?.eventId ?? null];
    }),
    empty: 'No attributes.',
  });
  const company = Object.entries(d.company);
  return markup`${contact}${
    company.length === 0
      ? ''
      : table({
          caption: 'Company attributes seen on its events',
          columns: ['Attribute', 'Value'],
          rows: company.map(([name, value]) => [name, shown(value)]),
        })
  }`;
}

function score(page: LeadPage): SafeHtml {
  const e = page.detail.explanation;
  if (e === null) return markup`<p>This workspace does not score leads.</p>`;
  const cards = kpiCards([
    {
      label: 'Total',
      value: String(e.total),
      status: e.mql ? 'good' : 'neutral',
      note: e.mql ? 'MQL' : 'not an MQL',
    },
    { label: 'Fit', value: String(e.fit), note: `${percent(e.fitPercent)} · grade ${e.grades.fit}` },
    {
      label: 'Engagement',
      value: String(e.engagement),
      note: `${percent(e.engagementPercent)} · grade ${e.grades.engagement}`,
    },
    { label: 'Negative', value: String(e.negative) },
  ]);
  const notes = [
    `Verdict: ${e.mqlReason}.`,
    e.fastTrack === null ? '' : `Fast track: ${e.fastTrack}.`,
    e.excluded === null ? '' : `Excluded: ${e.excluded}.`,
  ].filter((t) => t !== '');
  const ledger = table({
    caption: `Score ledger as of ${formatInstant(Date.parse(e.asOf), page.zone)}: every rule that gave or took points`,
    columns: [
      'Rule',
      'Dimension',
      { label: 'Points', numeric: true },
      { label: 'Decay applied', numeric: true },
      'Why',
    ],
    rows: e.ledger.map((l) => [
      markup`${l.label} <code>${l.ruleId}</code>`,
      l.dimension,
      l.points,
      l.decayApplied,
      l.reason,
    ]),
    empty: 'No rule has given or taken points.',
  });
  const next =
    e.nextChangeAt === null ? '' : markup` The score next changes ${time(e.nextChangeAt, page.zone)}.`;
  return markup`${cards}
<p>${notes.join(' ')}${next}</p>
${ledger}`;
}

function routing(page: LeadPage): SafeHtml {
  const list = page.detail.assignments;
  const decisions = table({
    caption: 'Routing decisions, oldest first',
    columns: ['When', 'Decision', 'Rule', 'Owner or queue', 'Team'],
    rows: list.map((a) => [
      time(a.at, page.zone),
      a.kind,
      markup`<code>${a.rule}</code>`,
      a.owner ?? (a.queue === null ? 'held for review' : `queue ${a.queue}`),
      a.team,
    ]),
    empty: 'This lead has not been routed.',
  });
  const traces = list.map(
    (a, i) =>
      markup`<details class="trace"${i === list.length - 1 ? markup` open` : ''}>
<summary>Trace of decision ${i + 1}: ${a.kind} by rule <code>${a.rule}</code></summary>
${traceTables(a.trace, `Decision ${i + 1}`)}
</details>`,
  );
  return markup`${decisions}${traces}`;
}

function steps(row: ClockRow, zone: string): Cell {
  if (row.clock.steps.length === 0) return null;
  const items = row.clock.steps.map(
    (s) => markup`<li>${s.action}${s.to === undefined ? '' : markup` → ${s.to}`}, ${time(s.at, zone)}</li>`,
  );
  return markup`<ol class="steps">${items}</ol>`;
}

function sla(page: LeadPage): SafeHtml {
  return table({
    caption: 'SLA clocks, by start time',
    columns: ['Clock', 'Status', 'Owner', 'Started', 'Due', 'Stopped', 'Late by', 'Escalations'],
    rows: page.clocks.map((row) => {
      const c = row.clock;
      const running = c.stoppedAt === undefined && (c.status === 'open' || c.status === 'breached');
      return [
        markup`${c.name} <span class="muted">(${c.target})</span>`,
        markup`${badge(statusText(c), c.status === 'met' ? 'good' : c.status === 'breached' ? 'bad' : 'neutral')}${
          running ? markup` <span class="muted">${dueText(row.due)}</span>` : ''
        }`,
        c.owner ?? 'unassigned',
        time(c.startedAt, c.timezone),
        time(c.dueAt, c.timezone),
        c.stoppedAt === undefined ? null : markup`${time(c.stoppedAt, c.timezone)} (${c.stopReason ?? '—'})`,
        c.lateMs === undefined ? null : `${formatDuration(c.lateMs)}${c.business ? ' of business time' : ''}`,
        steps(row, c.timezone),
      ];
    }),
    empty: 'No SLA clock has started for this lead.',
  });
}

/** The whole document. */
export function renderLead(page: LeadPage): string {
  const d = page.detail;
  const bodies: Readonly<Record<(typeof SECTIONS)[number][0], SafeHtml>> = {
    attributes: attributes(page),
    score: score(page),
    routing: routing(page),
    sla: sla(page),
    stages: table({
      caption: 'Stage history, oldest first',
      columns: ['When', 'From', 'To', 'Cause', 'Why'],
      rows: d.stageHistory.map((s) => [
        time(s.at, page.zone),
        s.from ?? '(new)',
        s.to,
        markup`<code>${s.cause}</code>`,
        s.reason,
      ]),
      empty: 'No stage change recorded.',
    }),
    tasks: table({
      caption: 'Tasks, oldest first',
      columns: ['Task', 'Assignee', 'Status', 'Due', 'Created'],
      rows: d.tasks.map((t) => [
        t.title,
        t.assignee,
        t.overdue ? badge('overdue', 'bad') : t.status,
        time(t.dueAt, page.zone),
        time(t.createdAt, page.zone),
      ]),
      empty: 'No task.',
    }),
    touches: table({
      caption: 'Touches by reps, oldest first',
      columns: ['When', 'Kind', 'Rep', 'Event'],
      rows: page.touches.map((t) => [
        time(t.at, page.zone),
        t.kind,
        t.rep ?? null,
        markup`<code>${t.eventId}</code>`,
      ]),
      empty: 'No rep has touched this lead yet.',
    }),
  };
  const toc = SECTIONS.map(([id, title]) => markup`<li><a href="#${id}">${title}</a></li>`);
  const body = markup`${summary(page)}
<nav class="toc" aria-label="On this page"><ul>${toc}</ul></nav>
${SECTIONS.map(([id, title]) => section(id, title, bodies[id]))}`;
  return layout({ title: page.name, active: 'leads', body, user: page.user });
}

/**
 * The SLA board: every running clock, overdue first (most overdue on top), then soonest due, with
 * its lead, owner and the time left (or late) in business terms; then recent breaches. Pure.
 */
import { badge, section, table, time, type Cell } from '../components.ts';
import { dueText, isOverdue, statusText, type ClockRow } from '../clockTerms.ts';
import { formatCount, formatDuration } from '../format.ts';
import { markup } from '../html.ts';
import { layout, selectField } from '../layout.ts';
import { leadLink } from '../leadRef.ts';
import type { RangeFilters } from '../query.ts';
import { kpiCards } from '../view.ts';

export interface SlaBoardPage {
  /** Running clocks in board order. */
  readonly running: readonly ClockRow[];
  /** Breached clocks in the range, latest due first (at most `breachLimit`). */
  readonly breaches: readonly ClockRow[];
  readonly breachCount: number;
  readonly breachLimit: number;
  readonly range: RangeFilters;
  readonly owner?: string | undefined;
  readonly owners: readonly { readonly value: string; readonly label: string }[];
  readonly zone: string;
  readonly user?: string | undefined;
}

const owner = (row: ClockRow) => (row.clock.owner === undefined ? 'unassigned' : row.clock.owner);

function escalations(row: ClockRow): Cell {
  const steps = row.clock.steps;
  const last = steps[steps.length - 1];
  if (last === undefined) return 'none yet';
  return `${steps.length} ${steps.length === 1 ? 'step' : 'steps'}, last ${last.action}${last.to === undefined ? '' : ` → ${last.to}`}`;
}

/** The whole document. */
export function renderSlaBoard(page: SlaBoardPage): string {
  const overdue = page.running.filter(isOverdue).length;
  const kpis = kpiCards([
    { label: 'Running clocks', value: formatCount(page.running.length) },
    {
      label: 'Overdue now',
      value: formatCount(overdue),
      status: overdue === 0 ? 'good' : 'bad',
    },
    { label: 'Breaches in range', value: formatCount(page.breachCount) },
  ]);
  const running = table({
    caption: 'Running SLA clocks: overdue first, then soonest due',
    columns: ['Lead', 'Clock', 'Owner', 'Status', 'Started', 'Due', 'Due in (business terms)', 'Escalations'],
    rows: page.running.map((row) => [
      leadLink(row.lead),
      markup`${row.clock.name} <span class="muted">(${row.clock.target})</span>`,
      owner(row),
      isOverdue(row)
        ? badge(row.clock.status === 'breached' ? 'Breached' : 'Overdue', 'bad')
        : badge('Open', 'good'),
      time(row.clock.startedAt, row.clock.timezone),
      time(row.clock.dueAt, row.clock.timezone),
      dueText(row.due),
      escalations(row),
    ]),
    empty: 'No clock is running: every lead has been worked within its SLA.',
  });
  const breaches = table({
    caption:
      page.breachCount > page.breaches.length
        ? `Recent breaches: the latest ${page.breaches.length} of ${formatCount(page.breachCount)}`
        : 'Recent breaches, latest due first',
    columns: ['Lead', 'Clock', 'Owner', 'Due', 'Late by', 'Status', 'Stopped by'],
    rows: page.breaches.map((row) => [
      leadLink(row.lead),
      row.clock.name,
      owner(row),
      time(row.clock.dueAt, row.clock.timezone),
      row.clock.lateMs === undefined
        ? null
        : `${formatDuration(row.clock.lateMs)}${row.clock.business ? ' of business time' : ''}`,
      statusText(row.clock),
      row.clock.stopReason ?? (row.clock.stoppedAt === undefined ? 'still running' : null),
    ]),
    empty: 'No breach in this range.',
  });
  const body = markup`${kpis}
${section('running', 'Running clocks', running)}
${section('breaches', 'Recent breaches', breaches)}`;
  return layout({
    title: 'SLA board',
    lede: "Every handoff clock that is still running, with the time left in the clock's own business hours.",
    active: 'sla',
    body,
    user: page.user,
    filters: {
      action: '/sla',
      from: page.range.from,
      to: page.range.to,
      source: page.range.source,
      extra: selectField('owner', 'Owner', page.owner, page.owners),
      note: `The date range picks the breaches (by due time); dates are in ${page.zone}.`,
    },
  });
}

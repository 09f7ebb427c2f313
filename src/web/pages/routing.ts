/**
 * The routing log: recent routing decisions, latest first — the lead, the rule that placed it,
 * the owner or queue and team — filterable by rep and rule, each lead linked to its page. Pure.
 */
import { badge, section, table } from '../components.ts';
import { formatCount } from '../format.ts';
import { markup } from '../html.ts';
import { layout, selectField } from '../layout.ts';
import { leadLink, type LeadRef } from '../leadRef.ts';
import { queryString, type RangeFilters } from '../query.ts';
import { time } from '../components.ts';

export interface RoutingRow {
  readonly at: number;
  readonly lead: LeadRef;
  readonly kind: 'assigned' | 'kept' | 'queued' | 'review';
  readonly rule: string;
  /** The rule's name as the trace gives it. */
  readonly ruleName?: string | undefined;
  readonly owner?: string | undefined;
  readonly queue?: string | undefined;
  readonly team?: string | undefined;
}

export type Choice = { readonly value: string; readonly label: string };

export interface RoutingLogPage {
  readonly rows: readonly RoutingRow[];
  /** How many decisions match the filters (rows holds at most `limit`). */
  readonly matched: number;
  readonly limit: number;
  readonly range: RangeFilters;
  readonly rep?: string | undefined;
  readonly rule?: string | undefined;
  readonly reps: readonly Choice[];
  readonly rules: readonly Choice[];
  readonly zone: string;
  readonly user?: string | undefined;
}

const KIND_TONE = { assigned: 'good', kept: 'neutral', queued: 'warn', review: 'warn' } as const;

function target(row: RoutingRow) {
  if (row.owner !== undefined) return markup`rep <strong>${row.owner}</strong>`;
  if (row.queue !== undefined) return markup`queue <strong>${row.queue}</strong>`;
  return 'held for review';
}

/** The whole document. */
export function renderRoutingLog(page: RoutingLogPage): string {
  const moreHref = `/routing${queryString({
    from: page.range.from,
    to: page.range.to,
    source: page.range.source,
    rep: page.rep,
    rule: page.rule,
    limit: Math.min(1000, page.limit * 2),
  })}`;
  const more =
    page.matched > page.rows.length
      ? markup`<p class="more">Showing the latest ${page.rows.length} of ${formatCount(page.matched)} decisions. <a href="${moreHref}">Show more</a></p>`
      : '';
  const log = table({
    caption: `Routing decisions, latest first (${formatCount(page.matched)} matching)`,
    columns: ['When', 'Lead', 'Decision', 'Rule', 'Owner or queue', 'Team'],
    rows: page.rows.map((row) => [
      time(row.at, page.zone),
      leadLink(row.lead),
      badge(row.kind, KIND_TONE[row.kind]),
      row.ruleName === undefined || row.ruleName === row.rule
        ? markup`<code>${row.rule}</code>`
        : markup`${row.ruleName} <code>${row.rule}</code>`,
      target(row),
      row.team ?? null,
    ]),
    empty: 'No routing decision matches these filters.',
  });
  const body = markup`${section('log', 'Decisions', markup`${log}${more}`)}`;
  return layout({
    title: 'Routing log',
    lede: 'Where each lead went and which rule sent it there. Open a lead for the full trace: every rule tried and every rep considered.',
    active: 'routing',
    body,
    user: page.user,
    filters: {
      action: '/routing',
      from: page.range.from,
      to: page.range.to,
      source: page.range.source,
      extra: [
        selectField('rep', 'Rep', page.rep, page.reps),
        selectField('rule', 'Rule', page.rule, page.rules),
      ],
      note: `Dates are in ${page.zone}.`,
    },
  });
}

/**
 * The lead search: by email or key (straight to the lead), by part of a name, email or company,
 * and by stage and owner; each row links to the lead's page. Pure.
 */
import { section, table, time } from '../components.ts';
import { field, layout, selectField } from '../layout.ts';
import { markup } from '../html.ts';
import { leadLink, type LeadRef } from '../leadRef.ts';
import { queryString, type RangeFilters } from '../query.ts';
import type { Choice } from './routing.ts';

export interface LeadRow {
  readonly lead: LeadRef;
  readonly stage: string;
  readonly owner?: string | undefined;
  readonly score?: number | undefined;
  readonly mql: boolean;
  readonly updatedAt: number;
}

export interface LeadsPage {
  readonly rows: readonly LeadRow[];
  readonly q?: string | undefined;
  readonly stage?: string | undefined;
  readonly owner?: string | undefined;
  readonly range: RangeFilters;
  readonly stages: readonly Choice[];
  readonly owners: readonly Choice[];
  /** The key to continue after (a next page exists). */
  readonly nextAfter?: string | undefined;
  /** Said under the table: `Searched the first 20,000 contacts.` */
  readonly note?: string | undefined;
  readonly zone: string;
  readonly user?: string | undefined;
}

/** The whole document. */
export function renderLeads(page: LeadsPage): string {
  const list = table({
    caption: page.q === undefined ? 'Leads, by key' : `Leads matching “${page.q}”`,
    columns: ['Lead', 'Company', 'Source', 'Stage', 'Owner', { label: 'Score', numeric: true }, 'Updated'],
    rows: page.rows.map((row) => [
      leadLink(row.lead),
      row.lead.company ?? null,
      row.lead.source ?? null,
      row.stage,
      row.owner ?? 'unassigned',
      row.score === undefined
        ? null
        : markup`${row.score}${row.mql ? markup` <span class="badge badge-good">MQL</span>` : ''}`,
      time(row.updatedAt, page.zone),
    ]),
    empty: 'No lead matches. Search by email, part of a name or company, or clear the filters.',
  });
  const next =
    page.nextAfter === undefined
      ? ''
      : markup`<p class="more"><a href="/leads${queryString({
          q: page.q,
          stage: page.stage,
          owner: page.owner,
          source: page.range.source,
          after: page.nextAfter,
        })}">Next page</a></p>`;
  const note = page.note === undefined ? '' : markup`<p class="muted">${page.note}</p>`;
  return layout({
    title: 'Leads',
    active: 'leads',
    body: markup`${section('results', 'Results', markup`${list}${next}${note}`)}`,
    user: page.user,
    filters: {
      action: '/leads',
      noRange: true,
      extra: [
        field('q', 'Search', page.q, { type: 'search', placeholder: 'email, name or company' }),
        selectField('stage', 'Stage', page.stage, page.stages),
        selectField('owner', 'Owner', page.owner, page.owners),
        field('source', 'Source', page.range.source, { placeholder: 'any' }),
      ],
    },
  });
}

/**
 * The lead search: an email or key goes straight to the lead; other text is looked for in names,
 * emails, companies and keys, through the store's contact search (stage and owner filters) page by
 * page, up to `MAX_SCAN` contacts. Rejects only if the store fails.
 */
import type { ContactSearch } from '../../core/ports.ts';
import type { ContactState } from '../../core/types.ts';
import type { ServerContext } from '../../server/context.ts';
import { contactLookup } from '../../server/refs.ts';
import type { LeadRow, LeadsPage } from '../pages/leads.ts';
import type { RangeFilters } from '../query.ts';
import { fromSource, leadRefOf } from './contacts.ts';
import { repChoices, stageChoices, zoneOf } from './workspace.ts';

export const LEADS_PER_PAGE = 50;
/** The most contacts one text search reads. */
export const MAX_SCAN = 20_000;
const BATCH = 500;

export interface LeadsQuery {
  readonly q?: string | undefined;
  readonly stage?: string | undefined;
  /** A rep id, or `none` for unassigned leads. */
  readonly owner?: string | undefined;
  readonly after?: string | undefined;
  readonly range: RangeFilters;
}

function haystack(c: ContactState): string {
  const lead = leadRefOf(c);
  return [lead.name, c.key, c.email ?? '', c.accountDomain ?? '', lead.company ?? ''].join('\n').toLowerCase();
}

function row(c: ContactState): LeadRow {
  return {
    lead: leadRefOf(c),
    stage: c.stage,
    owner: c.owner,
    score: c.score?.total,
    mql: c.score?.mql === true,
    updatedAt: c.updatedAt,
  };
}

/** An exact email or key: the lead's key when exactly one contact has it. */
export async function exactLead(ctx: ServerContext, q: string): Promise<string | undefined> {
  if (!q.includes('@') && !q.startsWith('email:') && !q.startsWith('id:')) return undefined;
  const found = await ctx.store.transaction((tx) => tx.findContacts(contactLookup(q)));
  return found.length === 1 ? found[0]?.key : undefined;
}

export async function loadLeads(ctx: ServerContext, query: LeadsQuery): Promise<Omit<LeadsPage, 'user'>> {
  const needle = query.q?.toLowerCase();
  const base: { -readonly [K in keyof ContactSearch]: ContactSearch[K] } = { limit: BATCH };
  if (query.stage !== undefined) base.stages = [query.stage];
  if (query.owner !== undefined) base.owner = query.owner === 'none' ? null : query.owner;
  const matches: ContactState[] = [];
  let after = query.after;
  let scanned = 0;
  let exhausted = false;
  while (matches.length <= LEADS_PER_PAGE && scanned < MAX_SCAN) {
    const batch = await ctx.store.searchContacts(
      Object.assign({}, base, after === undefined ? {} : { afterKey: after }),
    );
    scanned += batch.length;
    for (const c of batch) {
      if (needle !== undefined && !haystack(c).includes(needle)) continue;
      if (!fromSource(leadRefOf(c), query.range.source)) continue;
      matches.push(c);
      if (matches.length > LEADS_PER_PAGE) break;
    }
    const last = batch[batch.length - 1];
    if (batch.length < BATCH || last === undefined) {
      exhausted = true;
      break;
    }
    after = last.key;
  }
  const page = matches.slice(0, LEADS_PER_PAGE);
  const full = matches.length > LEADS_PER_PAGE;
  const cutShort = !full && !exhausted && scanned >= MAX_SCAN;
  return {
    rows: page.map(row),
    q: query.q,
    stage: query.stage,
    owner: query.owner,
    range: query.range,
    stages: stageChoices(ctx),
    owners: [{ value: 'none', label: 'Unassigned' }, ...repChoices(ctx)],
    // A full page goes on after its last lead; a search cut short goes on after the last contact read.
    nextAfter: full ? page[page.length - 1]?.key : cutShort ? after : undefined,
    note: cutShort
        ? `Searched ${MAX_SCAN.toLocaleString('en-US')} contacts; the next page searches on.`
        : undefined,
    zone: zoneOf(ctx),
  };
}

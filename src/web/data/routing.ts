/**
 * The routing log's data: routing decisions in the range, by rep and rule, latest first, at most
 * `limit`, each with its lead (and the lead's source, which the source filter reads). Without a
 * source filter the store reads only the page's rows and counts the rest (`Store.assignmentLog`);
 * the rule list comes from each rule's first decision. Rejects only if the store fails.
 */
import type { AssignmentLogQuery, AssignmentRow } from '../../core/ports.ts';
import type { ServerContext } from '../../server/context.ts';
import { bareLead } from '../leadRef.ts';
import type { RoutingLogPage, RoutingRow } from '../pages/routing.ts';
import type { RangeFilters } from '../query.ts';
import { contactsByKey, fromSource, leadRefOf } from './contacts.ts';
import { repChoices, zoneOf } from './workspace.ts';

export interface RoutingFilters {
  readonly range: RangeFilters;
  readonly rep?: string | undefined;
  readonly rule?: string | undefined;
  readonly limit: number;
}

/** The name the trace gives the rule that decided (`Territory` for `territory`). */
function ruleName(a: AssignmentRow): string | undefined {
  const steps = (a.trace as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return undefined;
  for (const step of steps as unknown[]) {
    const s = step as { rule?: unknown; name?: unknown } | null;
    if (s !== null && s.rule === a.rule && typeof s.name === 'string') return s.name;
  }
  return undefined;
}

export async function loadRoutingLog(
  ctx: ServerContext,
  filters: RoutingFilters,
): Promise<Omit<RoutingLogPage, 'user'>> {
  const names = new Map<string, string>();
  for (const a of await ctx.store.firstAssignmentOfRules()) names.set(a.rule, ruleName(a) ?? a.rule);
  // Without a source filter the store counts the matches and returns only the page's rows; with
  // one, each matching lead has to be read to know its source.
  const source = filters.range.source;
  const query: AssignmentLogQuery = {
    from: filters.range.fromMs,
    to: filters.range.toMs,
    owner: filters.rep,
    rule: filters.rule,
    limit: source === undefined ? filters.limit : undefined,
  };
  const log = await ctx.store.assignmentLog(query);
  const rows: RoutingRow[] = [];
  let matched = 0;
  const candidates = log.rows;
  const contacts = await contactsByKey(
    ctx.store,
    candidates.map((a) => a.contactKey),
  );
  for (const a of candidates) {
    const contact = contacts.get(a.contactKey);
    const lead = contact === undefined ? bareLead(a.contactKey) : leadRefOf(contact);
    if (!fromSource(lead, source)) continue;
    matched++;
    if (rows.length < filters.limit)
      rows.push({
        at: a.at,
        lead,
        kind: a.kind,
        rule: a.rule,
        ruleName: names.get(a.rule),
        owner: a.owner,
        queue: a.queue,
        team: a.team,
      });
  }
  return {
    rows,
    matched: source === undefined ? log.matched : matched,
    limit: filters.limit,
    range: filters.range,
    rep: filters.rep,
    rule: filters.rule,
    reps: repChoices(ctx),
    rules: [...names].map(([value, label]) => ({ value, label: label === value ? value : `${label} (${value})` })),
    zone: zoneOf(ctx),
  };
}

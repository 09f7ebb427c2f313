/**
 * The routing log's data: routing decisions in the range, by rep and rule, latest first, at most
 * `limit`, each with its lead (and the lead's source, which the source filter reads). Rejects only
 * if the store fails.
 */
import type { AssignmentRow } from '../../core/ports.ts';
import type { ServerContext } from '../../server/context.ts';
import { bareLead } from '../leadRef.ts';
import type { RoutingLogPage, RoutingRow } from '../pages/routing.ts';
import { inRange, type RangeFilters } from '../query.ts';
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
  const all = await ctx.store.listAssignments();
  const names = new Map<string, string>();
  for (const a of all) if (!names.has(a.rule)) names.set(a.rule, ruleName(a) ?? a.rule);
  const matching = all
    .filter(
      (a) =>
        (filters.rep === undefined || a.owner === filters.rep) &&
        (filters.rule === undefined || a.rule === filters.rule) &&
        inRange(a.at, filters.range),
    )
    .reverse();
  const rows: RoutingRow[] = [];
  let matched = 0;
  // Without a source filter every match counts; with one, each lead has to be read to know its source.
  const source = filters.range.source;
  const candidates = source === undefined ? matching.slice(0, filters.limit) : matching;
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
    matched: source === undefined ? matching.length : matched,
    limit: filters.limit,
    range: filters.range,
    rep: filters.rep,
    rule: filters.rule,
    reps: repChoices(ctx),
    rules: [...names].map(([value, label]) => ({ value, label: label === value ? value : `${label} (${value})` })),
    zone: zoneOf(ctx),
  };
}

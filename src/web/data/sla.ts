/**
 * The SLA board's data: the running clocks (open, or breached and not stopped) in board order and
 * the breaches whose due time lies in the range, latest first, each with its lead. Filters: owner,
 * and the lead's source. Rejects only if the store fails.
 */
import { isRunning, type SlaClock } from '../../core/sla/model.ts';
import type { ServerContext } from '../../server/context.ts';
import { boardOrder, type ClockRow } from '../clockTerms.ts';
import { bareLead } from '../leadRef.ts';
import type { SlaBoardPage } from '../pages/sla.ts';
import { inRange, type RangeFilters } from '../query.ts';
import { dueTerms } from './clocks.ts';
import { contactsByKey, fromSource, leadRefOf } from './contacts.ts';
import { repChoices, zoneOf } from './workspace.ts';

/** The most breaches listed. */
export const BREACH_LIMIT = 50;

export async function loadSlaBoard(
  ctx: ServerContext,
  filters: { readonly range: RangeFilters; readonly owner?: string | undefined },
): Promise<Omit<SlaBoardPage, 'user'>> {
  const now = ctx.clock.now();
  const model = ctx.workspace.current().runtime.engine.model.sla;
  const byOwner = (c: SlaClock) => filters.owner === undefined || c.owner === filters.owner;
  const running = (await ctx.store.listClocks({ status: ['open', 'breached'] })).filter(
    (c) => isRunning(c) && byOwner(c),
  );
  // Only the range's breaches are read (the (status, due_at) index), not every breach there was.
  const { fromMs, toMs } = filters.range;
  const breached = (
    await ctx.store.listClocks(
      Object.assign(
        { status: 'breached' as const },
        fromMs === undefined ? {} : { dueFrom: fromMs },
        toMs === undefined ? {} : { dueBefore: toMs },
      ),
    )
  )
    .filter((c) => byOwner(c) && inRange(c.dueAt, filters.range))
    .reverse();
  const contacts = await contactsByKey(
    ctx.store,
    [...running, ...breached].map((c) => c.contactKey),
  );
  const rows = (clocks: readonly SlaClock[]): ClockRow[] =>
    clocks
      .map((clock) => {
        const contact = contacts.get(clock.contactKey);
        const lead = contact === undefined ? bareLead(clock.contactKey) : leadRefOf(contact);
        return { clock, lead, due: dueTerms(clock, model, now) };
      })
      .filter((row) => fromSource(row.lead, filters.range.source));
  const breaches = rows(breached);
  return {
    running: boardOrder(rows(running)),
    breaches: breaches.slice(0, BREACH_LIMIT),
    breachCount: breaches.length,
    breachLimit: BREACH_LIMIT,
    range: filters.range,
    owner: filters.owner,
    owners: repChoices(ctx),
    zone: zoneOf(ctx),
  };
}

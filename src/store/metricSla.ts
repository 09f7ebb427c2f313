/**
 * What SLA compliance reads (core/metrics/sla.ts `SlaClockFigures`): the clocks started in
 * [from, to), of the owners given, and with a source filter of leads of that source (told by the
 * metric facts' lead rows, refreshed first by the caller), in (due_at, key) order — only the six
 * columns the report counts, the escalation steps parsed only where some fired, instead of every
 * clock ever started with all its columns.
 */
import type { Kysely } from 'kysely';
import type { SlaClockFigures } from '../core/metrics/sla.ts';
import type { SlaClocksQuery } from '../core/ports.ts';
import type { SlaClockStatus } from '../core/sla/model.ts';
import type { Database } from './schema.ts';

/** The clocks' figures in (due_at, key) order. Throws if storage fails. */
export async function readSlaClocks(db: Kysely<Database>, query: SlaClocksQuery): Promise<SlaClockFigures[]> {
  if (query.owners !== undefined && query.owners.length === 0) return [];
  const owners = query.owners === undefined ? undefined : [...query.owners];
  const found = await db
    .selectFrom('sla_clocks as c')
    .select(['c.clock_id', 'c.name', 'c.owner', 'c.status', 'c.late_wall_ms', 'c.steps'])
    .where('c.started_at', '>=', query.from)
    .where('c.started_at', '<', query.to)
    .$if(owners !== undefined, (q) => q.where('c.owner', 'in', owners ?? []))
    .$if(query.source !== undefined, (q) =>
      q
        .innerJoin('metric_leads as l', 'l.contact_key', 'c.contact_key')
        .where('l.source', '=', query.source ?? ''),
    )
    .orderBy('c.due_at')
    .orderBy('c.key')
    .execute();
  return found.map((r): SlaClockFigures => {
    const steps = r.steps;
    return Object.assign(
      {
        clockId: r.clock_id,
        name: r.name,
        status: r.status as SlaClockStatus,
        escalations: steps === '[]' ? 0 : (JSON.parse(steps) as unknown[]).length,
      },
      r.owner === null ? {} : { owner: r.owner },
      r.late_wall_ms === null ? {} : { lateWallMs: Number(r.late_wall_ms) },
    );
  });
}

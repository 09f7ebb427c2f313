/**
 * SLA clocks as metric facts (migration 0019, decision 022): a narrow copy of each clock's figures
 * the SLA report counts (`metric_clocks`), and those counted per UTC day of start, clock id, owner,
 * status, lateness bucket and name (`metric_clock_days`), so a report over a long range sums a few
 * hundred rows a day instead of walking every clock ever started.
 *
 * They are facts like the lead facts (metricFacts.ts): a clock write marks its lead dirty in the
 * same transaction, and the refresh before a report rewrites the dirty leads' clock rows and moves
 * the day roll-ups by the difference (old rows counted out, new ones in), so the roll-ups always
 * equal what the clock rows say, and a report reads both in one snapshot. A full rebuild copies
 * every clock in two statements.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ContactKey } from '../core/types.ts';
import { dayOf, dropEmpty } from './metricRollups.ts';
import type { Database } from './schema.ts';

/** The roll-up's lateness bucket for a clock without lateness (a key column cannot be null). */
export const NO_LATENESS = -1000;

type ClockFact = Database['metric_clocks'];

/** The clock columns the facts copy, in `metric_clocks` order. */
const COLUMNS = [
  'started_at',
  'key',
  'contact_key',
  'clock_id',
  'name',
  'owner',
  'status',
  'due_at',
  'late_wall_ms',
  'late_bucket',
  'escalations',
] as const;

const num = (value: unknown): number => Number(value);

/** The changes a rewrite makes to the clock day roll-ups. */
class ClockDeltas {
  private readonly days = new Map<string, Database['metric_clock_days']>();

  add(row: ClockFact, sign: 1 | -1): void {
    const day = dayOf(num(row.started_at));
    const owner = row.owner ?? '';
    const bucket = row.late_bucket === null ? NO_LATENESS : num(row.late_bucket);
    const id = [row.clock_id, owner, row.status, bucket, row.name, day].join('\u0000');
    const escalations = num(row.escalations) * sign;
    const found = this.days.get(id);
    if (found !== undefined) {
      found.n += sign;
      found.escalations += escalations;
    } else
      this.days.set(id, {
        day,
        clock_id: row.clock_id,
        owner,
        status: row.status,
        late_bucket: bucket,
        name: row.name,
        n: sign,
        escalations,
      });
  }

  /** Adds the deltas in key order (writers lock rows in one order), then drops rows that fell to zero. */
  async apply(trx: Transaction<Database>): Promise<void> {
    const rows = [...this.days.entries()]
      .filter(([, row]) => row.n !== 0 || row.escalations !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, row]) => row);
    // 8 columns per row: 500 rows stay under every database's parameter limit.
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('metric_clock_days')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['clock_id', 'owner', 'status', 'late_bucket', 'name', 'day']).doUpdateSet((eb) => ({
            n: eb('metric_clock_days.n', '+', eb.ref('excluded.n')),
            escalations: eb('metric_clock_days.escalations', '+', eb.ref('excluded.escalations')),
          })),
        )
        .execute();
    await dropEmpty(trx, 'metric_clock_days', rows);
  }
}

/** Replaces the clock facts of these leads' clocks with the clocks as stored now. */
export async function rewriteClockFacts(
  trx: Transaction<Database>,
  keys: readonly ContactKey[],
): Promise<void> {
  const list = [...keys];
  if (list.length === 0) return;
  const [old, current] = await Promise.all([
    trx.selectFrom('metric_clocks').select(COLUMNS).where('contact_key', 'in', list).execute(),
    trx.selectFrom('sla_clocks').select(COLUMNS).where('contact_key', 'in', list).execute(),
  ]);
  const deltas = new ClockDeltas();
  for (const row of old) deltas.add(row, -1);
  for (const row of current) deltas.add(row, 1);
  await trx.deleteFrom('metric_clocks').where('contact_key', 'in', list).execute();
  // 11 columns per row: 500 rows stay under every database's parameter limit.
  for (let i = 0; i < current.length; i += 500)
    await trx
      .insertInto('metric_clocks')
      .values(current.slice(i, i + 500))
      .execute();
  await deltas.apply(trx);
}

/**
 * Copies every stored clock into the facts and counts them by day, replacing what was there (a
 * full rebuild, and migration 0019 for the clocks stored before it). Two set-based statements.
 */
export async function rebuildClockFacts(trx: Kysely<Database>): Promise<void> {
  await trx.deleteFrom('metric_clock_days').execute();
  await trx.deleteFrom('metric_clocks').execute();
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into metric_clocks (${columns}) select ${columns} from sla_clocks`.execute(trx);
  await sql`insert into metric_clock_days (day, clock_id, owner, status, late_bucket, name, n, escalations)
    select started_at / ${sql.lit(86_400_000)}, clock_id, coalesce(owner, ''), status,
      coalesce(late_bucket, ${sql.lit(NO_LATENESS)}), name, count(*), sum(escalations)
    from metric_clocks
    group by started_at / ${sql.lit(86_400_000)}, clock_id, coalesce(owner, ''), status,
      coalesce(late_bucket, ${sql.lit(NO_LATENESS)}), name`.execute(trx);
}

/**
 * What the SLA, routing and scoring reports count in SQL (decision 018):
 *
 * - `sla_clocks.escalations`: how many escalation steps a clock fired (the length of `steps`),
 *   written with every clock, filled here from the JSON of the clocks already stored; and a
 *   covering index by start time with the columns the SLA report groups by, so a range's clocks are
 *   counted from the index alone instead of a scan of the wide table.
 * - A covering index on `assignments` by decision time with the columns the routing report groups
 *   by, so a range's decisions are counted without reading their traces.
 * - `metric_mql_entries.decision`: what sales decided about the MQL entry before the next one (1
 *   accepted, 0 rejected, null pending) for scoring health. Derived like every metric fact: the
 *   built state is dropped, so the next report (or `revops metrics rebuild`) rebuilds the facts.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const SLA_COLUMNS = [
  'started_at',
  'clock_id',
  'status',
  'owner',
  'escalations',
  'late_wall_ms',
  'due_at',
  'name',
  'contact_key',
];
const ASSIGNMENT_COLUMNS = ['at', 'kind', 'owner', 'team', 'rule', 'queue', 'contact_key'];

export function reportIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('sla_clocks')
        .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Both SQLite (text) and PostgreSQL (json) have json_array_length.
      await sql`update sla_clocks set escalations = json_array_length(steps) where cast(steps as text) <> '[]'`.execute(
        db,
      );
      await db.schema.createIndex('sla_clocks_started_idx').on('sla_clocks').columns(SLA_COLUMNS).execute();
      await db.schema
        .createIndex('assignments_at_report_idx')
        .on('assignments')
        .columns(ASSIGNMENT_COLUMNS)
        .execute();
      await db.schema.alterTable('metric_mql_entries').addColumn('decision', 'integer').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('metric_mql_entries').dropColumn('decision').execute();
      await db.schema.dropIndex('assignments_at_report_idx').execute();
      await db.schema.dropIndex('sla_clocks_started_idx').execute();
      await db.schema.alterTable('sla_clocks').dropColumn('escalations').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
  };
}

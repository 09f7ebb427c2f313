/**
 * The closed stays' rank index carries the report filters' columns: (stage, bucket, left_at,
 * length) becomes (stage, bucket, left_at, length, owner, source), so a team- or source-filtered
 * funnel finds each exact median and p90 inside its length bucket from the index alone, as the
 * unfiltered one does, instead of reading every closed stay of the range as a row (decision 017).
 */
import type { Kysely, Migration } from 'kysely';

const columns = (withFilters: boolean) =>
  withFilters
    ? ['stage', 'bucket', 'left_at', 'length', 'owner', 'source']
    : ['stage', 'bucket', 'left_at', 'length'];

export function stayFiltersIndex(): Migration {
  const replace = async (db: Kysely<unknown>, withFilters: boolean) => {
    await db.schema.dropIndex('metric_stays_bucket_idx').execute();
    await db.schema
      .createIndex('metric_stays_bucket_idx')
      .on('metric_stays')
      .columns(columns(withFilters))
      .execute();
  };
  return {
    up: (db) => replace(db, true),
    down: (db) => replace(db, false),
  };
}

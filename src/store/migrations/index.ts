/**
 * The store's migrations, listed in code (no folder scan: bundlers and `tsx` see every one). Names
 * sort in the order they run; a new migration gets the next number and is never edited once shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { initialSchema } from './0001_initial.ts';
import { contactScores } from './0002_contact_scores.ts';
import { accountScores } from './0003_account_scores.ts';
import { routing } from './0004_routing.ts';
import { taskContact } from './0005_task_contact.ts';
import { slaClocks } from './0006_sla_clocks.ts';
import { apiKeys } from './0007_api_keys.ts';
import { outboxDelivery } from './0008_outbox_delivery.ts';
import { deals } from './0009_deals.ts';
import { metricFacts } from './0010_metric_facts.ts';
import { metricRollups } from './0011_metric_rollups.ts';
import { loadIndexes } from './0012_load_indexes.ts';
import { responseBuckets } from './0013_response_buckets.ts';
import { stayFiltersIndex } from './0014_stay_filters_index.ts';
import { reportIndexes } from './0015_report_indexes.ts';
import { dealHashes } from './0016_deal_hash.ts';
import { filteredRollups } from './0017_filtered_rollups.ts';
import { responseClasses } from './0018_response_classes.ts';
import { clockFacts } from './0019_clock_facts.ts';

/** The migrations for a database with this profile, as a static provider for Kysely's `Migrator`. */
export function migrationProvider(profile: SqlProfile): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_initial': initialSchema(profile),
    '0002_contact_scores': contactScores(profile),
    '0003_account_scores': accountScores(profile),
    '0004_routing': routing(profile),
    '0005_task_contact': taskContact(),
    '0006_sla_clocks': slaClocks(profile),
    '0007_api_keys': apiKeys(profile),
    '0008_outbox_delivery': outboxDelivery(profile),
    '0009_deals': deals(profile),
    '0010_metric_facts': metricFacts(profile),
    '0011_metric_rollups': metricRollups(profile),
    '0012_load_indexes': loadIndexes(),
    '0013_response_buckets': responseBuckets(),
    '0014_stay_filters_index': stayFiltersIndex(),
    '0015_report_indexes': reportIndexes(),
    '0016_deal_hash': dealHashes(),
    '0017_filtered_rollups': filteredRollups(profile),
    '0018_response_classes': responseClasses(),
    '0019_clock_facts': clockFacts(profile),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

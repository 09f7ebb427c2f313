/**
 * What unit economics counts (core/metrics/economics.ts `EconomicsCounts`), counted in SQL instead
 * of from every contact's stage history and every deal: the accounts whose first won deal closed
 * in one of the spend periods (the deals grouped by account in the database, a deal without an
 * account alone), and per lead source the contacts whose first MQL entry (`seq = 0` of the metric
 * facts' MQL entries) fell in one of them. Both reads see one snapshot.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { EconomicsCounts } from '../core/metrics/economics.ts';
import type { EconomicsCountsQuery } from '../core/ports.ts';
import type { Database } from './schema.ts';

const num = (value: unknown): number => Number(value);

/** `column` inside one of `periods` ([from, to) each). */
function withinAny<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: Expression<unknown>,
  periods: EconomicsCountsQuery['periods'],
): Expression<SqlBool> {
  return eb.or(periods.map((p) => eb.and([eb(column, '>=', p.from), eb(column, '<', p.to)])));
}

/** The counts over `query.periods` (none when there is no period). Throws if storage fails. */
export async function readEconomicsCounts(
  db: Kysely<Database>,
  query: EconomicsCountsQuery,
): Promise<EconomicsCounts> {
  const { periods } = query;
  if (periods.length === 0) return { newCustomers: 0, mqlsBySource: new Map() };
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const firstWins = trx
        .selectFrom('deals')
        .select((eb) => eb.fn.min('closed_at').as('first_win'))
        .where('status', '=', 'won')
        .where('closed_at', 'is not', null)
        .groupBy(sql`coalesce(account_domain, 'deal:' || id)`)
        .as('wins');
      const customers = await trx
        .selectFrom(firstWins)
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => withinAny(eb, eb.ref('wins.first_win'), periods))
        .executeTakeFirst();
      const sources = await trx
        .selectFrom('metric_mql_entries')
        .select((eb) => ['source', eb.fn.countAll().as('n')])
        .where('seq', '=', 0)
        .where((eb) => withinAny(eb, eb.ref('at'), periods))
        .groupBy('source')
        .execute();
      return {
        newCustomers: num(customers?.n ?? 0),
        mqlsBySource: new Map(sources.map((r) => [r.source, num(r.n)])),
      };
    });
}

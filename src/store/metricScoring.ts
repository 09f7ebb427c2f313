/**
 * What scoring health counts (core/metrics/scoringHealth.ts `ScoringCounts`), counted in SQL instead
 * of from every contact, its whole stage history and every deal: per local week, the MQL entries of
 * the metric facts (`metric_mql_entries`, one row per entry with its lead's source and owner) and
 * the deals created; and what sales decided about the entries in [from, to) (the facts' `decision`,
 * migration 0015). Both reads see one snapshot.
 *
 * Weeks arrive as instants: the caller passes the first instant of each week (`scoringWeeks`, found
 * from the company zone's own local time, so exact for half-hour offsets and DST weeks of 167 or
 * 169 hours) and the store counts per span between consecutive bounds; nothing here knows a zone.
 *
 * - MQL entries: one range count per span on the table's order by `at` (SQLite: `WITHOUT ROWID`
 *   keyed by `at`; PostgreSQL: the primary key's index), the spans' counts joined by `union all`,
 *   so each reads only its own rows and nothing is sorted; the same pass sums the decisions of the
 *   entries inside [from, to) (none in the four weeks before the range, every one in the weeks
 *   inside it). Grouping by a `case` over the bounds instead sorts every entry for the `group by`
 *   and tests up to one bound per span on each (about twice as slow at 100,000 contacts); grouping
 *   by a fine UTC bucket that every real offset divides (15 minutes) returns thousands of groups
 *   for the engine to fold into weeks.
 * - Deals (about 55,000 at 1M contacts, none indexed by creation): one grouped count over the spans
 *   with a `case`; a source filter reads the deal's `source` from its JSON (`->>`, which SQLite
 *   3.38+ and PostgreSQL both understand), `unknown` when it has none.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ScoringDecisions } from '../core/metrics/scoringHealth.ts';
import type { ScoringCountsQuery, ScoringSpanCounts } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

const num = (value: unknown): number => Number(value);

/**
 * Spans per statement (about two years of weeks): SQLite allows 500 selects in a compound one and
 * 32,766 parameters, and each span has up to 9 besides the owners (its bounds, the range three
 * times, the source).
 */
const spansPerStatement = (owners: number): number =>
  Math.max(1, Math.min(100, Math.floor(30_000 / (owners + 9))));

/** Rows of [lo, hi) counted: `span` -1 counts decisions only (parts of [from, to) outside the spans). */
interface Piece {
  readonly span: number;
  readonly lo: Millis;
  readonly hi: Millis;
}

/**
 * The counts of `query` (zeros for an owner list that is empty: a team without members). Throws if
 * storage fails.
 */
export function readScoringCounts(
  db: Kysely<Database>,
  query: ScoringCountsQuery,
): Promise<ScoringSpanCounts> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => count(trx, query));
}

async function count(db: Db, query: ScoringCountsQuery): Promise<ScoringSpanCounts> {
  const { bounds, from, to } = query;
  const spans = Math.max(0, bounds.length - 1);
  const mqls = Array<number>(spans).fill(0);
  const deals = Array<number>(spans).fill(0);
  const decisions = { accepted: 0, rejected: 0, pending: 0 };
  if (query.owners !== undefined && query.owners.length === 0) return { mqls, deals, decisions };
  const owners = query.owners === undefined ? undefined : [...query.owners];

  // The spans, then whatever of [from, to) lies outside them (nothing, for `scoringWeeks`' bounds).
  const pieces: Piece[] = bounds.slice(1).map((hi, i) => ({ span: i, lo: bounds[i] as Millis, hi }));
  const first = bounds[0] ?? to;
  const last = bounds[bounds.length - 1] ?? to;
  if (from < Math.min(first, to)) pieces.push({ span: -1, lo: from, hi: Math.min(first, to) });
  if (Math.max(last, from) < to) pieces.push({ span: -1, lo: Math.max(last, from), hi: to });

  const entries = (piece: Piece) =>
    db
      .selectFrom('metric_mql_entries')
      .select((eb) => [
        sql.lit(piece.span).as('span'),
        eb.fn.countAll().as('n'),
        ...decisionSums(piece, query),
      ])
      .where('at', '>=', piece.lo)
      .where('at', '<', piece.hi)
      .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
      .$if(query.source !== undefined, (q) => q.where('source', '=', query.source ?? ''));
  const size = spansPerStatement(owners?.length ?? 0);
  for (let i = 0; i < pieces.length; i += size) {
    const [head, ...rest] = pieces.slice(i, i + size).map(entries);
    if (head === undefined) continue;
    const found = await rest.reduce((all, next) => all.unionAll(next), head).execute();
    for (const r of found) {
      const span = num(r.span);
      if (span >= 0) mqls[span] = num(r.n);
      decisions.accepted += num(r.accepted ?? 0);
      decisions.rejected += num(r.rejected ?? 0);
      decisions.pending += num(r.pending ?? 0);
    }
  }

  if (spans > 0) {
    const week = sql<number>`case ${sql.join(
      bounds.slice(1).map((hi, i) => sql`when created_at < ${hi} then ${sql.lit(i)}`),
      sql` `,
    )} end`;
    const found = await db
      .selectFrom('deals')
      .select((eb) => [week.as('span'), eb.fn.countAll().as('n')])
      .where('created_at', '>=', bounds[0] as Millis)
      .where('created_at', '<', last)
      .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
      .$if(query.source !== undefined, (q) =>
        q.where(sql`coalesce(data ->> 'source', 'unknown')`, '=', query.source ?? ''),
      )
      .groupBy(sql`1`)
      .execute();
    for (const r of found) deals[num(r.span)] = num(r.n);
  }
  return { mqls, deals, decisions };
}

/**
 * The sums of the decisions (1 accepted, 0 rejected, null pending) of a piece's entries inside
 * [from, to): literal zeros for a piece outside it, no test of `at` for a piece inside it.
 */
function decisionSums(piece: Piece, query: ScoringCountsQuery) {
  const names: readonly (keyof ScoringDecisions)[] = ['accepted', 'rejected', 'pending'];
  const tests = [sql`decision = 1`, sql`decision = 0`, sql`decision is null`];
  if (piece.hi <= query.from || piece.lo >= query.to) return names.map((name) => sql<number>`0`.as(name));
  const inside = piece.lo >= query.from && piece.hi <= query.to;
  return names.map((name, i) => {
    const test = tests[i] as RawBuilder<unknown>;
    const when = inside ? test : sql`at >= ${query.from} and at < ${query.to} and ${test}`;
    return sql<number>`sum(case when ${when} then 1 else 0 end)`.as(name);
  });
}

/**
 * Deals and approvals in SQL: each kept whole as JSON beside the columns lists filter on. Shared by
 * the transaction (engine writes) and the store (API and CLI reads).
 */
import { deepFreeze } from '../core/deepFreeze.ts';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ApprovalQuery, DealQuery } from '../core/ports.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The hash kept beside a deal's JSON (`data_hash`): 128 bits of its SHA-256, base64url. */
export function dealHash(json: string): string {
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const CHUNK = 500;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

export async function findDeals(db: Db, ids: readonly string[]): Promise<DealState[]> {
  const found: DealState[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('deals').select('data').where('id', 'in', chunk).execute();
    for (const row of rows) found.push(parse<DealState>(row.data));
  }
  return found;
}

export async function upsertDeals(db: Db, deals: readonly DealState[]): Promise<void> {
  const last = new Map(deals.map((d) => [d.id, d]));
  for (const chunk of chunks([...last.values()])) {
    await db
      .insertInto('deals')
      .values(
        chunk.map((d) => {
          const data = JSON.stringify(d);
          return {
            id: d.id,
            pipeline: d.pipeline,
            stage: d.stage,
            status: d.status,
            owner: d.owner ?? null,
            account_domain: d.account ?? null,
            amount: d.amount ?? null,
            close_date: d.closeDate ?? null,
            created_at: d.createdAt,
            updated_at: d.updatedAt,
            stage_entered_at: d.stageEnteredAt,
            closed_at: d.closedAt ?? null,
            data,
            data_hash: dealHash(data),
          };
        }),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          pipeline: eb.ref('excluded.pipeline'),
          stage: eb.ref('excluded.stage'),
          status: eb.ref('excluded.status'),
          owner: eb.ref('excluded.owner'),
          account_domain: eb.ref('excluded.account_domain'),
          amount: eb.ref('excluded.amount'),
          close_date: eb.ref('excluded.close_date'),
          updated_at: eb.ref('excluded.updated_at'),
          stage_entered_at: eb.ref('excluded.stage_entered_at'),
          closed_at: eb.ref('excluded.closed_at'),
          data: eb.ref('excluded.data'),
          data_hash: eb.ref('excluded.data_hash'),
        })),
      )
      .execute();
  }
}

/** Deals by the query, in id order (`after`: the page after that id). */
/**
 * The distinct sources of the deals, `unknown` for one without (as the metrics read a deal's
 * source), read from each deal's JSON by the database (`->>`, which SQLite 3.38+ and PostgreSQL both
 * understand): one scan of the deals, about 0.2 s for the 55,000 deals of 1M contacts on SQLite.
 */
export async function dealSources(db: Db): Promise<string[]> {
  const found = await db
    .selectFrom('deals')
    .select(sql<string>`coalesce(data ->> 'source', 'unknown')`.as('source'))
    .distinct()
    .execute();
  return found.map((r) => r.source);
}

export async function listDeals(db: Db, query: DealQuery = {}): Promise<DealState[]> {
  const rows = await filtered(db, query)
    .select('data')
    .orderBy('id')
    .$if(query.limit !== undefined, (qb) => qb.limit(query.limit ?? 0))
    .execute();
  return rows.map((r) => parse<DealState>(r.data));
}

/** The deals `query` selects (no order, no limit). */
function filtered(db: Db, query: DealQuery) {
  return db
    .selectFrom('deals')
    .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status ?? ''))
    .$if(query.stage !== undefined, (qb) => qb.where('stage', '=', query.stage ?? ''))
    .$if(query.owner !== undefined, (qb) => qb.where('owner', '=', query.owner ?? ''))
    .$if(query.pipeline !== undefined, (qb) => qb.where('pipeline', '=', query.pipeline ?? ''))
    .$if(query.account !== undefined, (qb) => qb.where('account_domain', '=', query.account ?? ''))
    .$if(query.openOrClosedSince !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('status', '=', 'open'),
          eb('closed_at', 'is', null),
          eb('closed_at', '>=', query.openOrClosedSince ?? 0),
        ]),
      ),
    )
    .$if(query.after !== undefined, (qb) => qb.where('id', '>', query.after ?? ''));
}

/**
 * Deals parsed once and kept while unchanged: the deals of the last `read`, by id, with the hash of
 * the JSON they were parsed from. Deeply frozen: every caller shares them.
 */
export class ParsedDeals {
  private kept = new Map<string, { readonly hash: string; readonly deal: DealState }>();

  /**
   * The deals `query` selects in id order, as `listDeals` returns them, parsing only those whose
   * hash differs from the one they were last parsed under (or that have none). The ids and hashes
   * come from the (id, status, closed_at, data_hash) index; both reads see one snapshot. Keeps
   * exactly the deals returned. Throws if storage fails.
   */
  async read(db: Kysely<Database>, query: DealQuery): Promise<DealState[]> {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const listed = await filtered(trx, query)
          .select(['id', 'data_hash'])
          .orderBy('id')
          .$if(query.limit !== undefined, (qb) => qb.limit(query.limit ?? 0))
          .execute();
        const stale = listed.filter((r) => r.data_hash === null || this.kept.get(r.id)?.hash !== r.data_hash);
        const fresh = new Map<string, { hash: string; deal: DealState }>();
        for (const chunk of chunks(stale.map((r) => r.id))) {
          const rows = await trx
            .selectFrom('deals')
            .select(['id', 'data', 'data_hash'])
            .where('id', 'in', chunk)
            .execute();
          for (const row of rows)
            fresh.set(row.id, { hash: row.data_hash ?? '', deal: deepFreeze(parse<DealState>(row.data)) });
        }
        const kept = new Map<string, { readonly hash: string; readonly deal: DealState }>();
        const deals = listed.map((r) => {
          const entry = fresh.get(r.id) ?? this.kept.get(r.id);
          if (entry === undefined) throw new Error(`deal ${r.id} vanished inside a read-only snapshot`);
          // A deal without a hash (written before migration 0016 by another process) is parsed every time.
          if (r.data_hash !== null) kept.set(r.id, entry);
          return entry.deal;
        });
        this.kept = kept;
        return deals;
      });
  }
}

export async function findApprovals(db: Db, ids: readonly string[]): Promise<ApprovalRequest[]> {
  const found: ApprovalRequest[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('approvals').select('data').where('id', 'in', chunk).execute();
    for (const row of rows) found.push(parse<ApprovalRequest>(row.data));
  }
  return found;
}

export async function approvalsOfDeals(db: Db, dealIds: readonly string[]): Promise<ApprovalRequest[]> {
  const found: ApprovalRequest[] = [];
  for (const chunk of chunks([...new Set(dealIds)])) {
    const rows = await db
      .selectFrom('approvals')
      .select('data')
      .where('deal_id', 'in', chunk)
      .orderBy('requested_at')
      .orderBy('id')
      .execute();
    for (const row of rows) found.push(parse<ApprovalRequest>(row.data));
  }
  return found;
}

export async function upsertApprovals(db: Db, approvals: readonly ApprovalRequest[]): Promise<void> {
  const last = new Map(approvals.map((a) => [a.id, a]));
  for (const chunk of chunks([...last.values()])) {
    await db
      .insertInto('approvals')
      .values(
        chunk.map((a) => ({
          id: a.id,
          deal_id: a.dealId,
          status: a.status,
          requested_at: a.requestedAt,
          due_at: a.dueAt,
          decided_at: a.decidedAt ?? null,
          data: JSON.stringify(a),
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          due_at: eb.ref('excluded.due_at'),
          decided_at: eb.ref('excluded.decided_at'),
          data: eb.ref('excluded.data'),
        })),
      )
      .execute();
  }
}

/** Approvals by the query, newest request first. */
export async function listApprovals(db: Db, query: ApprovalQuery = {}): Promise<ApprovalRequest[]> {
  const rows = await db
    .selectFrom('approvals')
    .select('data')
    .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status ?? ''))
    .$if(query.dealId !== undefined, (qb) => qb.where('deal_id', '=', query.dealId ?? ''))
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .$if(query.limit !== undefined, (qb) => qb.limit(query.limit ?? 0))
    .execute();
  return rows.map((r) => parse<ApprovalRequest>(r.data));
}

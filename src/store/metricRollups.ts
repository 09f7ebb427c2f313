/**
 * Day roll-ups of the metric facts (migrations 0011 and 0017, decisions 014 and 020): leads counted
 * per creation day, closed stays per closing day, length bucket and owner, open stays per day of
 * entry, owner and source. They are kept by deltas in the same transaction that rewrites a
 * contact's facts — its old rows counted out, its new rows counted in — so they always equal what
 * the fact rows say.
 *
 * A report over [from, to) reads the whole UTC days inside the range from the roll-ups and the
 * partial days at its edges from the fact rows, so the answer is exact for any range. A stage's
 * median and p90 are exact too: the bucket counts say which bucket holds a rank, and the
 * (stage, bucket, left_at, length, owner, source) index gives the length at that rank within the
 * bucket, filtered or not (migration 0014).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  soleLength,
  summaryOf,
  summaryRanks,
  type LengthSummary,
  type LeadCount,
} from '../core/metrics/facts.ts';
import type { MetricFactsFilters } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const DAY_MS = 86_400_000;
export const dayOf = (at: Millis): number => Math.floor(at / DAY_MS);

const num = (value: unknown): number => Number(value);

interface LeadRow {
  readonly created_at: number;
  readonly source: string;
  readonly owner: string | null;
  readonly rank: number;
  readonly rejections: string;
}

interface StayRow {
  readonly left_at: number;
  readonly stage: string;
  readonly bucket: number;
  readonly length: number;
  readonly owner: string | null;
}

interface OpenStayRow {
  readonly stage: string;
  readonly entered_at: number;
  readonly owner: string | null;
  readonly source: string;
}

/** The changes a rewrite makes to the day roll-ups. */
export class RollupDeltas {
  private readonly leads = new Map<string, Database['metric_lead_days']>();
  private readonly stays = new Map<string, Database['metric_stay_days']>();
  private readonly open = new Map<string, Database['metric_open_stay_days']>();

  lead(row: LeadRow, sign: 1 | -1): void {
    const day = dayOf(num(row.created_at));
    const owner = row.owner ?? '';
    const id = [day, row.source, owner, row.rank, row.rejections].join('\u0000');
    const found = this.leads.get(id);
    if (found !== undefined) found.n += sign;
    else
      this.leads.set(id, {
        day,
        source: row.source,
        owner,
        rank: num(row.rank),
        rejections: row.rejections,
        n: sign,
      });
  }

  stay(row: StayRow, sign: 1 | -1): void {
    if (num(row.bucket) < 0) return;
    const day = dayOf(num(row.left_at));
    const owner = row.owner ?? '';
    const id = [day, row.stage, row.bucket, owner].join('\u0000');
    const length = num(row.length) * sign;
    const found = this.stays.get(id);
    if (found !== undefined) {
      found.n += sign;
      found.total += length;
    } else
      this.stays.set(id, { day, stage: row.stage, bucket: num(row.bucket), owner, n: sign, total: length });
  }

  openStay(row: OpenStayRow, sign: 1 | -1): void {
    const day = dayOf(num(row.entered_at));
    const owner = row.owner ?? '';
    const id = [row.stage, day, owner, row.source].join('\u0000');
    const found = this.open.get(id);
    if (found !== undefined) found.n += sign;
    else this.open.set(id, { stage: row.stage, day, owner, source: row.source, n: sign });
  }

  /**
   * Adds the deltas to the roll-ups, in key order (two transactions touching the same rows take
   * their locks in the same order), then drops the rows of the touched days that fell to zero.
   */
  async apply(trx: Transaction<Database>): Promise<void> {
    const leads = [...this.leads.entries()]
      .filter(([, row]) => row.n !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, row]) => row);
    const stays = [...this.stays.entries()]
      .filter(([, row]) => row.n !== 0 || row.total !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, row]) => row);
    const open = [...this.open.entries()]
      .filter(([, row]) => row.n !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, row]) => row);
    // 6 columns per row at most: 500 rows stay under every database's parameter limit.
    for (let i = 0; i < leads.length; i += 500)
      await trx
        .insertInto('metric_lead_days')
        .values(leads.slice(i, i + 500))
        .onConflict((oc) =>
          oc
            .columns(['day', 'source', 'owner', 'rank', 'rejections'])
            .doUpdateSet((eb) => ({ n: eb('metric_lead_days.n', '+', eb.ref('excluded.n')) })),
        )
        .execute();
    for (let i = 0; i < stays.length; i += 500)
      await trx
        .insertInto('metric_stay_days')
        .values(stays.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['day', 'stage', 'bucket', 'owner']).doUpdateSet((eb) => ({
            n: eb('metric_stay_days.n', '+', eb.ref('excluded.n')),
            total: eb('metric_stay_days.total', '+', eb.ref('excluded.total')),
          })),
        )
        .execute();
    for (let i = 0; i < open.length; i += 500)
      await trx
        .insertInto('metric_open_stay_days')
        .values(open.slice(i, i + 500))
        .onConflict((oc) =>
          oc
            .columns(['stage', 'day', 'owner', 'source'])
            .doUpdateSet((eb) => ({ n: eb('metric_open_stay_days.n', '+', eb.ref('excluded.n')) })),
        )
        .execute();
    await dropEmpty(trx, 'metric_lead_days', leads);
    await dropEmpty(trx, 'metric_stay_days', stays);
    // The open stays' roll-up is keyed by stage first: its empty rows are found stage by stage.
    const openByStage = new Map<string, { day: number; n: number }[]>();
    for (const row of open) {
      const list = openByStage.get(row.stage);
      if (list === undefined) openByStage.set(row.stage, [row]);
      else list.push(row);
    }
    for (const [stage, rows] of openByStage) await dropEmpty(trx, 'metric_open_stay_days', rows, stage);
  }
}

/** Deletes the rows of the days some delta counted out of that fell to zero (of one stage when given). */
export async function dropEmpty(
  trx: Transaction<Database>,
  table: 'metric_lead_days' | 'metric_stay_days' | 'metric_open_stay_days' | 'metric_clock_days',
  deltas: readonly { readonly day: number; readonly n: number }[],
  stage?: string,
): Promise<void> {
  const days = [...new Set(deltas.filter((r) => r.n < 0).map((r) => r.day))];
  for (let i = 0; i < days.length; i += 500)
    await trx
      .deleteFrom(table)
      .$if(stage !== undefined, (q) => q.where(sql.ref('stage'), '=', stage ?? ''))
      .where('day', 'in', days.slice(i, i + 500))
      .where('n', '=', 0)
      .execute();
}

/** The whole UTC days inside [from, to) as [first, end), and the partial edges around them. */
export function daySplit(
  from: Millis,
  to: Millis,
): { readonly days?: readonly [number, number]; readonly edges: readonly (readonly [Millis, Millis])[] } {
  const first = Math.ceil(from / DAY_MS);
  const end = Math.floor(to / DAY_MS);
  if (first >= end) return { edges: [[from, to]] };
  const edges: [Millis, Millis][] = [];
  if (from < first * DAY_MS) edges.push([from, first * DAY_MS]);
  if (end * DAY_MS < to) edges.push([end * DAY_MS, to]);
  return { days: [first, end], edges };
}

/** The cohort of [from, to) counted by (source, owner, rank, rejections), filtered as asked. */
export async function readLeadCounts(
  db: Db,
  range: { readonly from: Millis; readonly to: Millis },
  filters: MetricFactsFilters,
): Promise<LeadCount[]> {
  if (filters.owners !== undefined && filters.owners.length === 0) return [];
  const owners = filters.owners === undefined ? undefined : [...filters.owners];
  const split = daySplit(range.from, range.to);
  const groups = ['source', 'owner', 'rank', 'rejections'] as const;
  const reads: Promise<
    { source: string; owner: string | null; rank: number; rejections: string; n: unknown }[]
  >[] = split.edges.map(([from, to]) =>
    db
      .selectFrom('metric_leads')
      .select((eb) => [...groups, eb.fn.countAll().as('n')])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
      .$if(filters.source !== undefined, (q) => q.where('source', '=', filters.source ?? ''))
      .groupBy([...groups])
      .execute(),
  );
  if (split.days !== undefined) {
    const [first, end] = split.days;
    reads.push(
      db
        .selectFrom('metric_lead_days')
        .select((eb) => [...groups, eb.fn.sum('n').as('n')])
        .where('day', '>=', first)
        .where('day', '<', end)
        .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
        .$if(filters.source !== undefined, (q) => q.where('source', '=', filters.source ?? ''))
        .groupBy([...groups])
        .execute(),
    );
  }
  const merged = new Map<
    string,
    { source: string; owner: string; rank: number; rejections: string; count: number }
  >();
  for (const rows of await Promise.all(reads))
    for (const r of rows) {
      const owner = r.owner ?? '';
      const id = [r.source, owner, r.rank, r.rejections].join('\u0000');
      const found = merged.get(id);
      if (found !== undefined) found.count += num(r.n);
      else
        merged.set(id, {
          source: r.source,
          owner,
          rank: num(r.rank),
          rejections: r.rejections,
          count: num(r.n),
        });
    }
  const out: LeadCount[] = [];
  for (const g of merged.values()) {
    if (g.count === 0) continue;
    const base = {
      source: g.source,
      rank: g.rank,
      rejections: g.rejections === '' ? [] : g.rejections.split(' '),
      count: g.count,
    };
    out.push(g.owner === '' ? base : Object.assign(base, { owner: g.owner }));
  }
  return out;
}

/**
 * The stays of positive length that closed in [from, to), summed up by stage with exact medians
 * and p90s. Unfiltered or filtered to a team, the counts per length bucket come from the day
 * roll-ups (kept by owner) and the edge days' rows; with a source filter, from the range's rows
 * counted by (stage, bucket) in the database. Either way each median and p90 is then one lookup
 * inside the bucket that holds its rank, on the (stage, bucket, left_at, length, owner, source)
 * index — none when the bucket holds a single whole length.
 */
export async function readStaySummaries(
  db: Db,
  range: { readonly from: Millis; readonly to: Millis },
  filters: MetricFactsFilters = {},
): Promise<Map<string, LengthSummary>> {
  const { from, to } = range;
  if (filters.owners !== undefined && filters.owners.length === 0) return new Map();
  const owners = filters.owners === undefined ? undefined : [...filters.owners];
  // The roll-ups count stays by owner, not by source: a source filter reads the range's rows.
  const split: ReturnType<typeof daySplit> =
    filters.source !== undefined ? { edges: [[from, to]] } : daySplit(from, to);
  const reads: Promise<{ stage: string; bucket: number; n: unknown; total: unknown }[]>[] = split.edges.map(
    ([a, b]) =>
      db
        .selectFrom('metric_stays')
        .select((eb) => ['stage', 'bucket', eb.fn.countAll().as('n'), eb.fn.sum('length').as('total')])
        .where('left_at', '>=', a)
        .where('left_at', '<', b)
        .where('bucket', '>=', 0)
        .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
        .$if(filters.source !== undefined, (q) => q.where('source', '=', filters.source ?? ''))
        .groupBy(['stage', 'bucket'])
        .execute(),
  );
  if (split.days !== undefined) {
    const [first, end] = split.days;
    reads.push(
      db
        .selectFrom('metric_stay_days')
        .select((eb) => ['stage', 'bucket', eb.fn.sum('n').as('n'), eb.fn.sum('total').as('total')])
        .where('day', '>=', first)
        .where('day', '<', end)
        .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
        .groupBy(['stage', 'bucket'])
        .execute(),
    );
  }
  const byStage = new Map<string, Map<number, { n: number; total: number }>>();
  for (const rows of await Promise.all(reads))
    for (const r of rows) {
      const buckets = byStage.get(r.stage) ?? new Map<number, { n: number; total: number }>();
      byStage.set(r.stage, buckets);
      const bucket = num(r.bucket);
      const found = buckets.get(bucket);
      if (found !== undefined) {
        found.n += num(r.n);
        found.total += num(r.total);
      } else buckets.set(bucket, { n: num(r.n), total: num(r.total) });
    }
  const out = new Map<string, LengthSummary>();
  for (const [stage, buckets] of byStage) {
    const ordered = [...buckets.entries()].filter(([, b]) => b.n > 0).sort((a, b) => a[0] - b[0]);
    let count = 0;
    let total = 0;
    for (const [, b] of ordered) {
      count += b.n;
      total += b.total;
    }
    if (count === 0) continue;
    const ranks = summaryRanks(count);
    const wanted = [...new Set([...ranks.median, ranks.p90])];
    const lengths = new Map<number, number>();
    for (const rank of wanted) {
      let before = 0;
      for (const [bucket, b] of ordered) {
        if (rank > before + b.n) {
          before += b.n;
          continue;
        }
        const only = soleLength(bucket);
        if (only !== undefined) {
          lengths.set(rank, only);
          break;
        }
        const row = await db
          .selectFrom('metric_stays')
          .select('length')
          .where('stage', '=', stage)
          .where('bucket', '=', bucket)
          .where('left_at', '>=', from)
          .where('left_at', '<', to)
          .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
          .$if(filters.source !== undefined, (q) => q.where('source', '=', filters.source ?? ''))
          .orderBy('length')
          .limit(1)
          .offset(rank - before - 1)
          .executeTakeFirstOrThrow();
        lengths.set(rank, num(row.length));
        break;
      }
    }
    out.set(
      stage,
      summaryOf(count, total, (rank) => lengths.get(rank) ?? Number.NaN),
    );
  }
  return out;
}

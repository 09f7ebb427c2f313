/**
 * Speed to lead counted in SQL (decision 017): the MQL entries of a range reach JavaScript as some
 * thousands of counted groups and a few thousand response times, not as one object per entry.
 *
 * 1. One grouped read counts the range's entries by local hour, weekday, length bucket of the
 *    response time (`response_bucket`, migration 0013), response class (`RESPONSE_BUCKETS`) and
 *    verdict — computed here from the stored instants, the wall-clock target and `now`, exactly as
 *    `speedVerdict` does — with their summed response times and how many reached SQL. Without the
 *    bucket these are the report's counts; with it they say, for every median the report shows
 *    (over all, by hour, by weekday), which bucket holds each middle rank and at which offset.
 * 2. One more read returns the response times of only those buckets (restricted to the hours and
 *    weekdays that need them); the values at the offsets are the exact medians.
 */
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { SpeedToLeadCount, SpeedToLeadSummary } from '../core/metrics/facts.ts';
import { RESPONSE_BUCKETS } from '../core/metrics/speedToLead.ts';
import type { SpeedToLeadQuery } from '../core/ports.ts';
import { WEEKDAYS, type Weekday } from '../core/time/localDay.ts';
import { middleRanks, type RankAt } from './middleRanks.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Entries = SelectQueryBuilder<Database, 'metric_mql_entries', object>;

const num = (value: unknown): number => Number(value);

/** The response class of `first_touch_at - at` as `responseClass` gives it; null when untouched. */
const responseClassSql = sql<number | null>`case when first_touch_at is null then null ${sql.join(
  RESPONSE_BUCKETS.flatMap((b, i) =>
    Number.isFinite(b.underMs)
      ? [sql`when first_touch_at - at < ${sql.lit(b.underMs)} then ${sql.lit(i)}`]
      : [],
  ),
  sql` `,
)} else ${sql.lit(RESPONSE_BUCKETS.length - 1)} end`;

/** One median to find: the group's middle ranks, located in their buckets. */
interface Wanted {
  readonly at: readonly RankAt[];
}

function locate(counts: ReadonlyMap<number, number>): Wanted | undefined {
  const at = middleRanks(counts);
  return at === undefined ? undefined : { at };
}

/**
 * The speed-to-lead summary of the MQL entries in [from, to) of the owners and source given. Both
 * reads see one snapshot (a refresh committing between them would move the offsets). Throws if
 * storage fails.
 */
export function readSpeedToLead(db: Kysely<Database>, query: SpeedToLeadQuery): Promise<SpeedToLeadSummary> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => summarise(trx, query));
}

async function summarise(db: Db, query: SpeedToLeadQuery): Promise<SpeedToLeadSummary> {
  const empty: SpeedToLeadSummary = {
    counts: [],
    medianMs: null,
    medianByHour: Array<null>(24).fill(null),
    medianByWeekday: WEEKDAYS.map(() => null),
  };
  if (query.owners !== undefined && query.owners.length === 0) return empty;
  const owners = query.owners === undefined ? undefined : [...query.owners];
  const entries = (): Entries =>
    db
      .selectFrom('metric_mql_entries')
      .where('at', '>=', query.from)
      .where('at', '<', query.to)
      .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
      .$if(query.source !== undefined, (q) => q.where('source', '=', query.source ?? ''));
  // Exact for whole-millisecond instants: x <= t and x > t equal x <= ⌊t⌋ and x > ⌊t⌋ for integers.
  const target = Math.floor(query.targetMs);
  const groups = await entries()
    .select((eb) => [
      'hour',
      'weekday',
      'response_bucket',
      responseClassSql.as('response_class'),
      sql<number | null>`case
        when clock_verdict is not null then clock_verdict
        when first_touch_at is not null then case when first_touch_at - at <= ${target} then 1 else 0 end
        when ${query.now} - at > ${target} and (until_at is null or until_at - at > ${target}) then 0
      end`.as('verdict'),
      sql<number>`case when clock_verdict is null then 0 else 1 end`.as('by_clock'),
      eb.fn.countAll().as('n'),
      sql<unknown>`sum(first_touch_at - at)`.as('total'),
      eb.fn.sum('reached_sql').as('sqls'),
    ])
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`, sql`6`])
    .execute();

  // The groups without their bucket are the report's counts; the buckets of the contacted, counted
  // for every group a median is shown for (all, each hour, each weekday), locate the middle ranks.
  const counts = new Map<string, SpeedToLeadCount & { count: number; totalMs: number; sqls: number }>();
  const all = new Map<number, number>();
  const byHour = Array.from({ length: 24 }, () => new Map<number, number>());
  const byWeekday = WEEKDAYS.map(() => new Map<number, number>());
  const add = (into: Map<number, number> | undefined, bucket: number, n: number) =>
    into?.set(bucket, (into.get(bucket) ?? 0) + n);
  for (const r of groups) {
    const hour = num(r.hour);
    const weekday = r.weekday as Weekday;
    const response = r.response_class === null ? null : num(r.response_class);
    const within = r.verdict === null ? null : num(r.verdict) === 1;
    const byClock = num(r.by_clock) === 1;
    const n = num(r.n);
    const id = `${hour}|${weekday}|${response}|${within}|${byClock}`;
    let found = counts.get(id);
    if (found === undefined) {
      found = { hour, weekday, response, within, byClock, count: 0, totalMs: 0, sqls: 0 };
      counts.set(id, found);
    }
    found.count += n;
    found.totalMs += r.total === null ? 0 : num(r.total);
    found.sqls += num(r.sqls ?? 0);
    if (r.response_bucket === null) continue;
    const bucket = num(r.response_bucket);
    add(all, bucket, n);
    add(byHour[hour], bucket, n);
    add(byWeekday[WEEKDAYS.indexOf(weekday)], bucket, n);
  }
  const wanted = { all: locate(all), hours: byHour.map(locate), weekdays: byWeekday.map(locate) };

  // The buckets to read back, each for everyone or for some hours and weekdays only.
  const reads = new Map<number, { everyone: boolean; hours: Set<number>; weekdays: Set<string> }>();
  const need = (
    w: Wanted | undefined,
    mark: (r: { everyone: boolean; hours: Set<number>; weekdays: Set<string> }) => void,
  ) => {
    for (const { bucket } of w?.at ?? []) {
      const r = reads.get(bucket) ?? {
        everyone: false,
        hours: new Set<number>(),
        weekdays: new Set<string>(),
      };
      reads.set(bucket, r);
      mark(r);
    }
  };
  need(wanted.all, (r) => (r.everyone = true));
  wanted.hours.forEach((w, hour) => need(w, (r) => r.hours.add(hour)));
  wanted.weekdays.forEach((w, i) => need(w, (r) => r.weekdays.add(WEEKDAYS[i] ?? '')));
  if (reads.size === 0) return Object.assign(empty, { counts: [...counts.values()] });

  const rows = await entries()
    .select(['hour', 'weekday', 'response_bucket', sql<unknown>`first_touch_at - at`.as('response')])
    .where((eb) =>
      eb.or(
        [...reads].map(([bucket, r]) =>
          r.everyone
            ? eb('response_bucket', '=', bucket)
            : eb.and([
                eb('response_bucket', '=', bucket),
                eb.or([
                  ...(r.hours.size === 0 ? [] : [eb('hour', 'in', [...r.hours])]),
                  ...(r.weekdays.size === 0 ? [] : [eb('weekday', 'in', [...r.weekdays])]),
                ]),
              ]),
        ),
      ),
    )
    .execute();

  // Sorted response times per (group, bucket) read back.
  const values = new Map<string, number[]>();
  const push = (id: string, value: number) => {
    const list = values.get(id);
    if (list === undefined) values.set(id, [value]);
    else list.push(value);
  };
  for (const r of rows) {
    const bucket = num(r.response_bucket);
    const value = num(r.response);
    push(`all|${bucket}`, value);
    push(`h${num(r.hour)}|${bucket}`, value);
    push(`w${r.weekday}|${bucket}`, value);
  }
  for (const list of values.values()) list.sort((a, b) => a - b);
  const medianOf = (group: string, w: Wanted | undefined): number | null => {
    if (w === undefined) return null;
    const middle = w.at.map(({ bucket, offset }) => {
      const value = values.get(`${group}|${bucket}`)?.[offset - 1];
      if (value === undefined) throw new Error(`no response time at offset ${offset} of bucket ${bucket}`);
      return value;
    });
    return middle.length === 1 ? (middle[0] ?? null) : ((middle[0] ?? 0) + (middle[1] ?? 0)) / 2;
  };
  return {
    counts: [...counts.values()],
    medianMs: medianOf('all', wanted.all),
    medianByHour: wanted.hours.map((w, hour) => medianOf(`h${hour}`, w)),
    medianByWeekday: wanted.weekdays.map((w, i) => medianOf(`w${WEEKDAYS[i] ?? ''}`, w)),
  };
}

/**
 * Speed to lead counted in SQL (decisions 017 and 021): the MQL entries of a range reach JavaScript
 * as some thousands of counted groups and a few thousand response times, not as one object per entry.
 *
 * 1. One grouped read counts the range's entries by local hour, weekday, length bucket of the
 *    response time (`response_bucket`, migration 0013), response class (`response_class`, migration
 *    0018) and clock verdict, with their summed response times and how many reached SQL — and the
 *    same for the part within the wall-clock target and the untouched part already past it as of
 *    `now`, so the verdicts come out exactly as `speedVerdict` gives them. Without the bucket these
 *    are the report's counts; with it they say, for every median the report shows (over all, by
 *    hour, by weekday), which bucket holds each middle rank and at which offset. Over a large share
 *    of the entries the read walks an index kept in that grouping order instead of sorting.
 * 2. One more read returns the response times of only those buckets (restricted to the hours and
 *    weekdays that need them); the values at the offsets are the exact medians.
 */
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { SpeedToLeadCount, SpeedToLeadSummary } from '../core/metrics/facts.ts';
import type { SpeedToLeadQuery } from '../core/ports.ts';
import { WEEKDAYS, type Weekday } from '../core/time/localDay.ts';
import { middleRanks, type RankAt } from './middleRanks.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Entries = SelectQueryBuilder<Database, 'metric_mql_entries', object>;

const num = (value: unknown): number => Number(value);

/** From this share of the stored entries on, a report walks the grouping index (decision 021). */
export const WALK_SHARE = 0.25;

/**
 * The share of the stored MQL entries' time span that [from, to) covers: an estimate of the share
 * of the entries a report reads, from the first and last entry (two primary-key lookups).
 */
async function shareOfEntries(db: Db, from: number, to: number): Promise<number> {
  const edge = async (direction: 'asc' | 'desc') =>
    (
      await db
        .selectFrom('metric_mql_entries')
        .select('at')
        .orderBy('at', direction)
        .limit(1)
        .executeTakeFirst()
    )?.at;
  const first = await edge('asc');
  const last = await edge('desc');
  if (first === undefined || last === undefined) return 0;
  const span = num(last) + 1 - num(first);
  return Math.max(0, Math.min(to, num(last) + 1) - Math.max(from, num(first))) / span;
}

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
  const filtered = (q: Entries): Entries =>
    q
      .$if(owners !== undefined, (w) => w.where('owner', 'in', owners ?? []))
      .$if(query.source !== undefined, (w) => w.where('source', '=', query.source ?? ''));
  const entries = (): Entries =>
    filtered(db.selectFrom('metric_mql_entries').where('at', '>=', query.from).where('at', '<', query.to));
  // Exact for whole-millisecond instants: x <= t and x > t equal x <= ⌊t⌋ and x > ⌊t⌋ for integers.
  const target = Math.floor(query.targetMs);
  const response = sql<number | null>`first_touch_at - at`;
  const withinTarget = sql`first_touch_at - at <= ${target}`;
  // An untouched entry without a clock verdict is missed once the target has passed since it
  // arrived (by `now`, and before it left the MQL stage); until then it is not judged.
  const missedUntouched = sql`first_touch_at is null and ${query.now} - at > ${target} and (until_at is null or until_at - at > ${target})`;
  // Over a large share of the entries, walking the (hour, weekday, bucket, class, verdict) index
  // whole is cheaper than reading the range by time and sorting it into groups: `at + 0` keeps
  // the time bounds off the primary key so the planner takes the index (decision 021).
  const walk = (await shareOfEntries(db, query.from, query.to)) >= WALK_SHARE;
  const groups = await filtered(
    walk
      ? db
          .selectFrom('metric_mql_entries')
          .where(sql`at + 0`, '>=', query.from)
          .where(sql`at + 0`, '<', query.to)
      : entries(),
  )
    .select((eb) => [
      'hour',
      'weekday',
      'response_bucket',
      'response_class',
      'clock_verdict',
      eb.fn.countAll().as('n'),
      sql<unknown>`sum(${response})`.as('total'),
      eb.fn.sum('reached_sql').as('sqls'),
      sql<unknown>`sum(case when ${withinTarget} then 1 else 0 end)`.as('within_n'),
      sql<unknown>`sum(case when ${withinTarget} then ${response} else 0 end)`.as('within_total'),
      sql<unknown>`sum(case when ${withinTarget} then reached_sql else 0 end)`.as('within_sqls'),
      sql<unknown>`sum(case when ${missedUntouched} then 1 else 0 end)`.as('missed_n'),
      sql<unknown>`sum(case when ${missedUntouched} then reached_sql else 0 end)`.as('missed_sqls'),
    ])
    .groupBy(['hour', 'weekday', 'response_bucket', 'response_class', 'clock_verdict'])
    .execute();

  // The groups without their bucket are the report's counts; the buckets of the contacted, counted
  // for every group a median is shown for (all, each hour, each weekday), locate the middle ranks.
  const counts = new Map<string, SpeedToLeadCount & { count: number; totalMs: number; sqls: number }>();
  const all = new Map<number, number>();
  const byHour = Array.from({ length: 24 }, () => new Map<number, number>());
  const byWeekday = WEEKDAYS.map(() => new Map<number, number>());
  const add = (into: Map<number, number> | undefined, bucket: number, n: number) =>
    into?.set(bucket, (into.get(bucket) ?? 0) + n);
  const count = (
    hour: number,
    weekday: Weekday,
    response: number | null,
    within: boolean | null,
    byClock: boolean,
    n: number,
    totalMs: number,
    sqls: number,
  ) => {
    if (n === 0) return;
    const id = `${hour}|${weekday}|${response}|${within}|${byClock}`;
    let found = counts.get(id);
    if (found === undefined) {
      found = { hour, weekday, response, within, byClock, count: 0, totalMs: 0, sqls: 0 };
      counts.set(id, found);
    }
    found.count += n;
    found.totalMs += totalMs;
    found.sqls += sqls;
  };
  for (const r of groups) {
    const hour = num(r.hour);
    const weekday = r.weekday as Weekday;
    const response = r.response_class === null ? null : num(r.response_class);
    const n = num(r.n);
    const total = r.total === null ? 0 : num(r.total);
    const sqls = num(r.sqls ?? 0);
    // The verdict as `speedVerdict` gives it: the clock's when it has one; else within when the
    // first touch came by the target; else missed once the target passed untouched, or not judged.
    if (r.clock_verdict !== null)
      count(hour, weekday, response, num(r.clock_verdict) === 1, true, n, total, sqls);
    else if (response !== null) {
      const inN = num(r.within_n);
      const inTotal = num(r.within_total);
      const inSqls = num(r.within_sqls);
      count(hour, weekday, response, true, false, inN, inTotal, inSqls);
      count(hour, weekday, response, false, false, n - inN, total - inTotal, sqls - inSqls);
    } else {
      const missed = num(r.missed_n);
      const missedSqls = num(r.missed_sqls);
      count(hour, weekday, null, false, false, missed, 0, missedSqls);
      count(hour, weekday, null, null, false, n - missed, 0, sqls - missedSqls);
    }
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
  // Each list sorted once, natively (a typed array sorts without a comparator call per comparison).
  const sorted = new Map([...values].map(([id, list]) => [id, Float64Array.from(list).sort()]));
  const medianOf = (group: string, w: Wanted | undefined): number | null => {
    if (w === undefined) return null;
    const middle = w.at.map(({ bucket, offset }) => {
      const value = sorted.get(`${group}|${bucket}`)?.[offset - 1];
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

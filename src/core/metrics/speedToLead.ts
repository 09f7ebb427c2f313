/**
 * Speed to lead: for every entry into MQL in [from, to) (re-entries of recycled leads included;
 * source and team filters applied), the wall-clock time from the entry to the lead's first rep
 * touch after it (and before its next MQL entry). A sales decision without a touch is not a
 * contact.
 *
 * Within SLA — which source decides, per entry:
 * 1. the speed-to-lead SLA clock (`model.speedToLeadClock`) started for that entry: `breached`
 *    (any restart included) is a miss, else `met` is a hit. The clock knows business time and the
 *    owner's calendar, so it is the honest verdict when there is one;
 * 2. otherwise the wall clock against `benchmarks.speedToLeadMs` (5 minutes): touched within it is
 *    a hit; touched later, or untouched once it has passed by `now`, a miss; untouched and still
 *    inside it, pending (not judged).
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEKDAYS } from '../time/localDay.ts';
import type { Millis } from '../types.ts';
import { checkQuery, factFilter } from './context.ts';
import { factsOfInput, type MqlEntryFact, type SpeedToLeadCount, type SpeedToLeadSummary } from './facts.ts';
import { figure, median, ms, share, type Figure } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

/** Response-time buckets of the reference (revops-routing-rules.md "Response Time Impact"). */
export const RESPONSE_BUCKETS = [
  { bucket: 'under_5m', label: '< 5 min', underMs: 5 * MINUTE_MS },
  { bucket: '5_10m', label: '5–10 min', underMs: 10 * MINUTE_MS },
  { bucket: '10_30m', label: '10–30 min', underMs: 30 * MINUTE_MS },
  { bucket: '30_60m', label: '30–60 min', underMs: HOUR_MS },
  { bucket: '1_24h', label: '1–24 h', underMs: DAY_MS },
  { bucket: 'over_24h', label: '> 24 h', underMs: Infinity },
] as const;
export type ResponseBucket = (typeof RESPONSE_BUCKETS)[number]['bucket'];

/** MQLs arriving in one local hour or weekday. */
export interface ArrivalRow {
  readonly mqls: number;
  readonly contacted: number;
  readonly medianMs: number | null;
  /** Share of the judged entries that were within the SLA. */
  readonly withinSla: number | null;
}

/**
 * `GET /v1/metrics/speedToLead`:
 * - `sla`: the target in wall milliseconds and the clock id that judges (null: wall clock only);
 * - `mqls` entries, of which `contacted`, `notContacted` (and of those `pending`);
 * - `averageMs`, `medianMs` of the contacted (benchmark: at most the target), `withinSla` (share
 *   of judged entries; benchmark `contactedWithinSla`, 90%) and `judged` (hits, misses, and how
 *   many verdicts came from a clock or from the wall clock);
 * - `byHour` (0–23) and `byWeekday` (mon–sun) of the MQL's arrival in the company's zone;
 * - `byResponse`: contacted entries by response-time bucket with the share that reached SQL (or
 *   later) before the next MQL entry.
 */
export interface SpeedToLeadMetrics {
  readonly sla: { readonly targetMs: number; readonly clockId: string | null };
  readonly mqls: number;
  readonly contacted: number;
  readonly notContacted: number;
  readonly pending: number;
  readonly averageMs: Figure;
  readonly medianMs: Figure;
  readonly withinSla: Figure;
  readonly judged: {
    readonly within: number;
    readonly missed: number;
    readonly byClock: number;
    readonly byWallClock: number;
  };
  readonly byHour: readonly (ArrivalRow & { readonly hour: number })[];
  readonly byWeekday: readonly (ArrivalRow & { readonly weekday: string })[];
  readonly byResponse: readonly {
    readonly bucket: ResponseBucket;
    readonly label: string;
    readonly leads: number;
    readonly sqls: number;
    readonly conversion: number | null;
  }[];
}

/** The index in `RESPONSE_BUCKETS` of a response time (ms, not negative). */
export function responseClass(responseMs: number): number {
  const i = RESPONSE_BUCKETS.findIndex((b) => responseMs < b.underMs);
  return i === -1 ? RESPONSE_BUCKETS.length - 1 : i;
}

/**
 * The verdict on one MQL entry (see the module comment): true within the SLA, false missed, null
 * pending; `targetMs` is the wall-clock target used when no clock judged.
 */
export function speedVerdict(entry: MqlEntryFact, targetMs: number, now: Millis): boolean | null {
  if (entry.clockVerdict !== undefined) return entry.clockVerdict;
  if (entry.firstTouchAt !== undefined) return entry.firstTouchAt - entry.at <= targetMs;
  return Math.min(now, entry.until) - entry.at > targetMs ? false : null;
}

/**
 * The speed-to-lead summary of MQL entry facts in [from, to) passing the query's filters (entries
 * outside are ignored): the in-memory counterpart of the store's SQL. Throws
 * `metrics.invalid_range` for an empty range.
 */
export function summariseSpeedToLead(
  entries: readonly MqlEntryFact[],
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): SpeedToLeadSummary {
  const passes = factFilter(model, query);
  const target = model.benchmarks.speedToLeadMs;
  const counts = new Map<string, SpeedToLeadCount & { count: number; totalMs: number; sqls: number }>();
  const all: number[] = [];
  const byHour = Array.from({ length: 24 }, (): number[] => []);
  const byWeekday = WEEKDAYS.map((): number[] => []);
  for (const entry of entries) {
    if (entry.at < query.from || entry.at >= query.to || !passes(entry)) continue;
    const responseMs = entry.firstTouchAt === undefined ? undefined : entry.firstTouchAt - entry.at;
    const within = speedVerdict(entry, target, now);
    const response = responseMs === undefined ? null : responseClass(responseMs);
    const byClock = entry.clockVerdict !== undefined;
    const id = `${entry.hour}|${entry.weekday}|${response}|${within}|${byClock}`;
    let found = counts.get(id);
    if (found === undefined) {
      found = {
        hour: entry.hour,
        weekday: entry.weekday,
        response,
        within,
        byClock,
        count: 0,
        totalMs: 0,
        sqls: 0,
      };
      counts.set(id, found);
    }
    found.count += 1;
    if (entry.reachedSql) found.sqls += 1;
    if (responseMs === undefined) continue;
    found.totalMs += responseMs;
    all.push(responseMs);
    byHour[entry.hour]?.push(responseMs);
    byWeekday[WEEKDAYS.indexOf(entry.weekday)]?.push(responseMs);
  }
  return {
    counts: [...counts.values()],
    medianMs: median(all),
    medianByHour: byHour.map((list) => median(list)),
    medianByWeekday: byWeekday.map((list) => median(list)),
  };
}

export function speedToLeadMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): SpeedToLeadMetrics {
  checkQuery(query);
  return speedToLeadFromFacts(factsOfInput(input, model).mqlEntries, model, query, now);
}

/**
 * Speed to lead from MQL entry facts (entries outside the range are ignored). Throws
 * `metrics.invalid_range` for an empty range.
 */
export function speedToLeadFromFacts(
  entries: readonly MqlEntryFact[],
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): SpeedToLeadMetrics {
  return speedToLeadFromSummary(summariseSpeedToLead(entries, model, query, now), model);
}

interface Tally {
  mqls: number;
  contacted: number;
  judged: number;
  within: number;
}

const tally = (): Tally => ({ mqls: 0, contacted: 0, judged: 0, within: 0 });

function arrivals(t: Tally, medianMs: number | null): ArrivalRow {
  return {
    mqls: t.mqls,
    contacted: t.contacted,
    medianMs: ms(medianMs),
    withinSla: share(t.within, t.judged),
  };
}

/** Speed to lead from a summary of the range's MQL entries (filters already applied). Does not throw. */
export function speedToLeadFromSummary(summary: SpeedToLeadSummary, model: MetricsModel): SpeedToLeadMetrics {
  const target = model.benchmarks.speedToLeadMs;
  const clockId = model.speedToLeadClock;
  const total = tally();
  const hours = Array.from({ length: 24 }, tally);
  const weekdays = WEEKDAYS.map(tally);
  const responses = RESPONSE_BUCKETS.map(() => ({ leads: 0, sqls: 0 }));
  let totalMs = 0;
  let byClock = 0;
  for (const c of summary.counts) {
    for (const t of [total, hours[c.hour], weekdays[WEEKDAYS.indexOf(c.weekday)]]) {
      if (t === undefined) continue;
      t.mqls += c.count;
      if (c.response !== null) t.contacted += c.count;
      if (c.within !== null) t.judged += c.count;
      if (c.within === true) t.within += c.count;
    }
    if (c.byClock && c.within !== null) byClock += c.count;
    const bucket = c.response === null ? undefined : responses[c.response];
    if (bucket === undefined) continue;
    bucket.leads += c.count;
    bucket.sqls += c.sqls;
    totalMs += c.totalMs;
  }
  const limit = { max: target };
  const all = arrivals(total, summary.medianMs);

  return {
    sla: { targetMs: target, clockId: clockId ?? null },
    mqls: total.mqls,
    contacted: total.contacted,
    notContacted: total.mqls - total.contacted,
    pending: total.mqls - total.judged,
    averageMs: figure(
      total.contacted === 0 ? null : ms(totalMs / total.contacted),
      limit,
      'no MQL was contacted',
    ),
    medianMs: figure(all.medianMs, limit, 'no MQL was contacted'),
    withinSla: figure(
      all.withinSla,
      { min: model.benchmarks.contactedWithinSla },
      'no MQL was judged against the SLA yet',
    ),
    judged: {
      within: total.within,
      missed: total.judged - total.within,
      byClock,
      byWallClock: total.judged - byClock,
    },
    byHour: hours.map((t, hour) => Object.assign({ hour }, arrivals(t, summary.medianByHour[hour] ?? null))),
    byWeekday: WEEKDAYS.map((weekday, i) =>
      Object.assign({ weekday }, arrivals(weekdays[i] ?? tally(), summary.medianByWeekday[i] ?? null)),
    ),
    byResponse: RESPONSE_BUCKETS.map(({ bucket, label }, i) => {
      const { leads, sqls } = responses[i] ?? { leads: 0, sqls: 0 };
      return { bucket, label, leads, sqls, conversion: share(sqls, leads) };
    }),
  };
}

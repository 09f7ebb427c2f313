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
import { factsOfInput, type MqlEntryFact } from './facts.ts';
import { figure, mean, median, ms, share, type Figure } from './figures.ts';
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

interface Outcome {
  readonly entry: MqlEntryFact;
  readonly responseMs?: number;
  /** true within, false missed, undefined pending. */
  readonly within?: boolean;
  readonly byClock: boolean;
}

function arrivals(outcomes: readonly Outcome[]): ArrivalRow {
  const responses = outcomes.flatMap((o) => (o.responseMs === undefined ? [] : [o.responseMs]));
  const judged = outcomes.filter((o) => o.within !== undefined);
  return {
    mqls: outcomes.length,
    contacted: responses.length,
    medianMs: ms(median(responses)),
    withinSla: share(judged.filter((o) => o.within === true).length, judged.length),
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
  const passes = factFilter(model, query);
  const target = model.benchmarks.speedToLeadMs;
  const clockId = model.speedToLeadClock;
  const outcomes: Outcome[] = [];
  for (const entry of entries) {
    if (entry.at < query.from || entry.at >= query.to || !passes(entry)) continue;
    const responseMs = entry.firstTouchAt === undefined ? undefined : entry.firstTouchAt - entry.at;
    let within = entry.clockVerdict;
    if (within === undefined) {
      if (responseMs !== undefined) within = responseMs <= target;
      else if (Math.min(now, entry.until) - entry.at > target) within = false;
    }
    outcomes.push(
      Object.assign(
        { entry, byClock: entry.clockVerdict !== undefined },
        responseMs === undefined ? {} : { responseMs },
        within === undefined ? {} : { within },
      ),
    );
  }
  const all = arrivals(outcomes);
  const responses = outcomes.flatMap((o) => (o.responseMs === undefined ? [] : [o.responseMs]));
  const judged = outcomes.filter((o) => o.within !== undefined);
  const within = judged.filter((o) => o.within === true).length;
  const limit = { max: target };

  return {
    sla: { targetMs: target, clockId: clockId ?? null },
    mqls: outcomes.length,
    contacted: all.contacted,
    notContacted: outcomes.length - all.contacted,
    pending: outcomes.length - judged.length,
    averageMs: figure(ms(mean(responses)), limit, 'no MQL was contacted'),
    medianMs: figure(all.medianMs, limit, 'no MQL was contacted'),
    withinSla: figure(
      all.withinSla,
      { min: model.benchmarks.contactedWithinSla },
      'no MQL was judged against the SLA yet',
    ),
    judged: {
      within,
      missed: judged.length - within,
      byClock: judged.filter((o) => o.byClock).length,
      byWallClock: judged.filter((o) => !o.byClock).length,
    },
    byHour: Array.from({ length: 24 }, (_, hour) =>
      Object.assign({ hour }, arrivals(outcomes.filter((o) => o.entry.hour === hour))),
    ),
    byWeekday: WEEKDAYS.map((weekday) =>
      Object.assign({ weekday }, arrivals(outcomes.filter((o) => o.entry.weekday === weekday))),
    ),
    byResponse: RESPONSE_BUCKETS.map(({ bucket, label, underMs }, i) => {
      const floor = RESPONSE_BUCKETS[i - 1]?.underMs ?? 0;
      const inBucket = outcomes.filter(
        (o) => o.responseMs !== undefined && o.responseMs >= floor && o.responseMs < underMs,
      );
      const sqls = inBucket.filter((o) => o.entry.reachedSql).length;
      return { bucket, label, leads: inBucket.length, sqls, conversion: share(sqls, inBucket.length) };
    }),
  };
}

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
import type { SlaClock } from '../sla/model.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEKDAYS } from '../time/localDay.ts';
import type { Millis } from '../types.ts';
import { createContext, entriesInto, type StageEntry } from './context.ts';
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
  readonly entry: StageEntry;
  readonly responseMs?: number;
  /** true within, false missed, undefined pending. */
  readonly within?: boolean;
  readonly byClock: boolean;
  readonly sql: boolean;
}

function clockVerdict(clocks: readonly SlaClock[] | undefined, entry: StageEntry): boolean | undefined {
  const mine = (clocks ?? []).filter((c) => c.startedAt >= entry.at && c.startedAt < entry.until);
  if (mine.some((c) => c.status === 'breached')) return false;
  if (mine.some((c) => c.status === 'met')) return true;
  return undefined;
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
  const ctx = createContext(input, model, query, now);
  const target = model.benchmarks.speedToLeadMs;
  const clockId = model.speedToLeadClock;
  const clocks = new Map<string, SlaClock[]>();
  if (clockId !== undefined)
    for (const c of input.clocks) {
      if (c.clockId !== clockId) continue;
      const list = clocks.get(c.contactKey);
      if (list === undefined) clocks.set(c.contactKey, [c]);
      else list.push(c);
    }
  const sqlRank = model.funnelRank['sql'] ?? 2;
  const outcomes: Outcome[] = [];
  for (const contact of input.contacts) {
    if (!ctx.contactIn(contact)) continue;
    const history = ctx.historyOf(contact.key);
    const touches = ctx.touchesOf(contact.key);
    for (const entry of entriesInto(history, 'mql', model.recyclingStage)) {
      if (!ctx.inWindow(entry.at)) continue;
      const first = touches.find((t) => t.at >= entry.at && t.at < entry.until);
      const responseMs = first === undefined ? undefined : first.at - entry.at;
      const byClock = clockVerdict(clocks.get(contact.key), entry);
      let within = byClock;
      if (within === undefined) {
        if (responseMs !== undefined) within = responseMs <= target;
        else if (Math.min(now, entry.until) - entry.at > target) within = false;
      }
      const sql = history.some(
        (c) => c.at >= entry.at && c.at < entry.until && (model.funnelRank[c.to] ?? -1) >= sqlRank,
      );
      outcomes.push(
        Object.assign(
          { entry, byClock: byClock !== undefined, sql },
          responseMs === undefined ? {} : { responseMs },
          within === undefined ? {} : { within },
        ),
      );
    }
  }
  const all = arrivals(outcomes);
  const responses = outcomes.flatMap((o) => (o.responseMs === undefined ? [] : [o.responseMs]));
  const judged = outcomes.filter((o) => o.within !== undefined);
  const within = judged.filter((o) => o.within === true).length;
  const limit = { max: target };
  const local = outcomes.map((o) => ({ o, t: model.localTime(o.entry.at) }));
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
      Object.assign(
        { hour },
        arrivals(local.filter((l) => Math.floor(l.t.minuteOfDay / 60) === hour).map((l) => l.o)),
      ),
    ),
    byWeekday: WEEKDAYS.map((weekday) =>
      Object.assign({ weekday }, arrivals(local.filter((l) => l.t.weekday === weekday).map((l) => l.o))),
    ),
    byResponse: RESPONSE_BUCKETS.map(({ bucket, label, underMs }, i) => {
      const floor = RESPONSE_BUCKETS[i - 1]?.underMs ?? 0;
      const inBucket = outcomes.filter(
        (o) => o.responseMs !== undefined && o.responseMs >= floor && o.responseMs < underMs,
      );
      const sqls = inBucket.filter((o) => o.sql).length;
      return { bucket, label, leads: inBucket.length, sqls, conversion: share(sqls, inBucket.length) };
    }),
  };
}

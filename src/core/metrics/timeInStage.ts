/**
 * Time in lifecycle stage, from consecutive stage-history rows of each contact (after the source
 * and team filters). A stay is closed when the next row moves the contact on; closed stays that
 * ended in [from, to) make the statistics. Stays of zero length (stages passed through within one
 * event) are left out. The stays still open at `now` are counted apart, with their age, and those
 * older than the stage's p90 are "stalled".
 */
import type { Millis } from '../types.ts';
import { checkQuery, factFilter } from './context.ts';
import {
  factsOfInput,
  summariseLengths,
  type LengthSummary,
  type OpenStaySummary,
  type StayFact,
} from './facts.ts';
import { median, ms, type DurationStats } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

export interface StageTime extends DurationStats {
  readonly stage: string;
  /** Contacts in the stage now. */
  readonly open: number;
  /** The median age of the open stays, in milliseconds. */
  readonly openMedianAgeMs: number | null;
  /** Open stays older than the p90 of the closed ones (0 when there is no p90). */
  readonly pastP90: number;
}

/**
 * `timeInStage` (part of `GET /v1/metrics/funnel` and the marketing view):
 * - `stages`: one row per lifecycle stage in config order — `count`, `averageMs`, `medianMs`,
 *   `p90Ms` of the stays closed in the window; `open`, `openMedianAgeMs`, `pastP90` as of `now`;
 * - `stall`: where leads stall among the funnel stages before the last (lead, MQL, SQL,
 *   opportunity): the stage with the most stays past p90 (`basis: 'past_p90'`), else the one
 *   with the longest median (`basis: 'longest_median'`); null without data.
 */
export interface TimeInStageMetrics {
  readonly stages: readonly StageTime[];
  readonly stall: {
    readonly stage: string;
    readonly basis: 'past_p90' | 'longest_median';
    readonly pastP90: number;
    readonly medianMs: number | null;
  } | null;
}

export function timeInStageMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): TimeInStageMetrics {
  checkQuery(query);
  const stays = factsOfInput(input, model).stays;
  const closed = closedLengths(stays, model, query);
  const open = openStaySummaries(stays, stayP90s(closed), factFilter(model, query), now);
  return timeInStageFromFacts(closed, open, model);
}

/**
 * The stays that closed in [from, to), summed up by stage, after the filters; stays of zero
 * length (stages passed through within one event) are left out.
 */
export function closedLengths(
  closed: readonly StayFact[],
  model: MetricsModel,
  query: MetricsQuery,
): Map<string, LengthSummary> {
  const passes = factFilter(model, query);
  const lengths = new Map<string, number[]>();
  for (const stay of closed) {
    if (stay.leftAt === undefined || !passes(stay)) continue;
    const length = stay.leftAt - stay.enteredAt;
    if (length <= 0 || stay.leftAt < query.from || stay.leftAt >= query.to) continue;
    const list = lengths.get(stay.stage);
    if (list === undefined) lengths.set(stay.stage, [length]);
    else list.push(length);
  }
  const out = new Map<string, LengthSummary>();
  for (const [stage, list] of lengths) {
    const summary = summariseLengths(list);
    if (summary !== undefined) out.set(stage, summary);
  }
  return out;
}

/** Each stage's p90 of the closed stays that count (the open stays past it are "stalled"). */
export function stayP90s(closed: ReadonlyMap<string, LengthSummary>): Map<string, number> {
  const p90s = new Map<string, number>();
  for (const [stage, summary] of closed) p90s.set(stage, summary.p90Ms);
  return p90s;
}

/** The open stays of `stays` (entered by `now`, passing `passes`) summed up by stage. */
export function openStaySummaries(
  stays: readonly StayFact[],
  p90s: ReadonlyMap<string, number>,
  passes: (stay: StayFact) => boolean,
  now: Millis,
): Map<string, OpenStaySummary> {
  const ages = new Map<string, number[]>();
  for (const stay of stays) {
    if (stay.leftAt !== undefined || stay.enteredAt > now || !passes(stay)) continue;
    const list = ages.get(stay.stage);
    if (list === undefined) ages.set(stay.stage, [now - stay.enteredAt]);
    else list.push(now - stay.enteredAt);
  }
  const out = new Map<string, OpenStaySummary>();
  for (const [stage, list] of ages) {
    const p90 = p90s.get(stage);
    out.set(stage, {
      count: list.length,
      medianAgeMs: median(list),
      pastP90: p90 === undefined ? 0 : list.filter((a) => a > p90).length,
    });
  }
  return out;
}

/**
 * Time in stage from the stays closed in the range summed up by stage (`closedLengths`) and
 * the open stays' summaries by stage (`open`, built with `stayP90s(closed)` and the same filters).
 */
export function timeInStageFromFacts(
  closed: ReadonlyMap<string, LengthSummary>,
  open: ReadonlyMap<string, OpenStaySummary>,
  model: MetricsModel,
): TimeInStageMetrics {
  const known = new Set(model.stages);
  const extra = [...new Set([...closed.keys(), ...open.keys()])].filter((s) => !known.has(s)).sort();
  const stages = [...model.stages, ...extra].map((stage): StageTime => {
    const stays = closed.get(stage);
    const now = open.get(stage);
    const openMedian = now?.medianAgeMs ?? null;
    const stats: DurationStats =
      stays === undefined
        ? { count: 0, averageMs: null, medianMs: null, p90Ms: null }
        : {
            count: stays.count,
            averageMs: ms(stays.totalMs / stays.count),
            medianMs: ms(stays.medianMs),
            p90Ms: ms(stays.p90Ms),
          };
    return Object.assign({ stage }, stats, {
      open: now?.count ?? 0,
      openMedianAgeMs: openMedian === null ? null : Math.round(openMedian),
      pastP90: now?.pastP90 ?? 0,
    });
  });
  const lastRank = Math.max(-1, ...Object.values(model.funnelRank));
  const candidates = stages.filter((s) => {
    const rank = model.funnelRank[s.stage];
    return rank !== undefined && rank < lastRank;
  });
  return { stages, stall: stall(candidates) };
}

function stall(candidates: readonly StageTime[]): TimeInStageMetrics['stall'] {
  let best: StageTime | undefined;
  for (const s of candidates) {
    if (s.pastP90 === 0) continue;
    if (
      best === undefined ||
      s.pastP90 > best.pastP90 ||
      (s.pastP90 === best.pastP90 && (s.medianMs ?? 0) > (best.medianMs ?? 0))
    )
      best = s;
  }
  if (best !== undefined)
    return { stage: best.stage, basis: 'past_p90', pastP90: best.pastP90, medianMs: best.medianMs };
  for (const s of candidates) {
    if (s.medianMs === null) continue;
    if (best === undefined || s.medianMs > (best.medianMs ?? 0)) best = s;
  }
  return best === undefined
    ? null
    : { stage: best.stage, basis: 'longest_median', pastP90: 0, medianMs: best.medianMs };
}

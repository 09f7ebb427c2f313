/**
 * Time in lifecycle stage, from consecutive stage-history rows of each contact (after the source
 * and team filters). A stay is closed when the next row moves the contact on; closed stays that
 * ended in [from, to) make the statistics. Stays of zero length (stages passed through within one
 * event) are left out. The stays still open at `now` are counted apart, with their age, and those
 * older than the stage's p90 are "stalled".
 */
import type { Millis } from '../types.ts';
import { checkQuery, factFilter } from './context.ts';
import { factsOfInput, type StayFact } from './facts.ts';
import { durationStats, median, percentile, type DurationStats } from './figures.ts';
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
  return timeInStageFromFacts(factsOfInput(input, model).stays, model, query, now);
}

/**
 * Time in stage from stay facts: the stays closed in the range and the open ones (others are
 * ignored). Throws `metrics.invalid_range` for an empty range.
 */
export function timeInStageFromFacts(
  stays: readonly StayFact[],
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): TimeInStageMetrics {
  const passes = factFilter(model, query);
  const closed = new Map<string, number[]>();
  const open = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, stage: string, value: number): void => {
    const list = map.get(stage);
    if (list === undefined) map.set(stage, [value]);
    else list.push(value);
  };
  for (const stay of stays) {
    if (!passes(stay)) continue;
    if (stay.leftAt === undefined) {
      if (stay.enteredAt <= now) add(open, stay.stage, now - stay.enteredAt);
      continue;
    }
    const length = stay.leftAt - stay.enteredAt;
    if (length > 0 && stay.leftAt >= query.from && stay.leftAt < query.to) add(closed, stay.stage, length);
  }
  const known = new Set(model.stages);
  const extra = [...new Set([...closed.keys(), ...open.keys()])].filter((s) => !known.has(s)).sort();
  const stages = [...model.stages, ...extra].map((stage): StageTime => {
    const stays = closed.get(stage) ?? [];
    const ages = open.get(stage) ?? [];
    const stats = durationStats(stays);
    const p90 = percentile(stays, 0.9);
    const openMedian = median(ages);
    return Object.assign({ stage }, stats, {
      open: ages.length,
      openMedianAgeMs: openMedian === null ? null : Math.round(openMedian),
      pastP90: p90 === null ? 0 : ages.filter((a) => a > p90).length,
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

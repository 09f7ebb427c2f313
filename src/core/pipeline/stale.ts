/**
 * Stale deals: a deal is stale once its time in the stage passes the stage's `staleAfter`, or
 * `averageMultiplier` × the average time deals spent in that stage (when at least
 * `MIN_SAMPLES` deals have left it) — whichever comes first. A timer set on entry fires at that
 * instant; the owner gets an alert task, and the manager an alert `managerAfter` later if the deal
 * is still there. `staleness` answers the same question at any instant, for lists and replay. Pure.
 */
import type { Duration } from '../time/duration.ts';
import type { Millis } from '../types.ts';
import type { PipelineDefModel } from './model.ts';
import { stageOf } from './model.ts';
import type { DealState, StaleFlag } from './types.ts';

/** Stays needed before a stage's average counts. */
export const MIN_SAMPLES = 5;
export const STALE_TIMER = 'deal_stale';
export const STALE_MANAGER_TIMER = 'deal_stale_manager';

/** Average time in stage (ms) by `<pipeline>:<stage>`, over stays that ended; with the sample count. */
export type StageAverages = ReadonlyMap<string, { readonly averageMs: number; readonly samples: number }>;

export function stageAverages(deals: readonly DealState[]): StageAverages {
  const sums = new Map<string, { total: number; samples: number }>();
  for (const deal of deals) {
    deal.history.forEach((move, i) => {
      const next = deal.history[i + 1];
      if (next === undefined) return;
      const key = `${deal.pipeline}:${move.to}`;
      const entry = sums.get(key) ?? { total: 0, samples: 0 };
      entry.total += next.at - move.at;
      entry.samples += 1;
      sums.set(key, entry);
    });
  }
  return new Map([...sums].map(([k, v]) => [k, { averageMs: v.total / v.samples, samples: v.samples }]));
}

/** When a deal that entered `stage` at `enteredAt` goes stale, and on what basis; undefined: never. */
export function staleDue(
  pipeline: PipelineDefModel,
  stage: string,
  enteredAt: Millis,
  addTime: (start: Millis, duration: Duration) => Millis,
  averages: StageAverages | undefined,
): { readonly dueAt: Millis; readonly basis: 'limit' | 'average'; readonly limitMs: number } | undefined {
  const model = stageOf(pipeline, stage);
  if (model === undefined || model.kind !== 'open') return undefined;
  const limit = model.staleAfter === undefined ? undefined : addTime(enteredAt, model.staleAfter);
  const average = averages?.get(`${pipeline.id}:${stage}`);
  const byAverage =
    average === undefined || average.samples < MIN_SAMPLES
      ? undefined
      : enteredAt + Math.round(average.averageMs * pipeline.stale.averageMultiplier);
  if (limit === undefined && byAverage === undefined) return undefined;
  if (byAverage !== undefined && (limit === undefined || byAverage < limit))
    return { dueAt: byAverage, basis: 'average', limitMs: byAverage - enteredAt };
  const dueAt = limit ?? 0;
  return { dueAt, basis: 'limit', limitMs: dueAt - enteredAt };
}

/** The deal's stale flag at `now` (kept as it was when the timer set it, or computed). */
export function staleness(
  deal: DealState,
  pipeline: PipelineDefModel,
  now: Millis,
  addTime: (start: Millis, duration: Duration) => Millis,
  averages?: StageAverages,
): StaleFlag | undefined {
  if (deal.status !== 'open') return undefined;
  if (deal.flags.stale !== undefined && deal.flags.stale.stage === deal.stage) return deal.flags.stale;
  const due = staleDue(pipeline, deal.stage, deal.stageEnteredAt, addTime, averages);
  if (due === undefined || now < due.dueAt) return undefined;
  return {
    stage: deal.stage,
    since: due.dueAt,
    basis: due.basis,
    limitMs: due.limitMs,
    managerAlerted: false,
  };
}

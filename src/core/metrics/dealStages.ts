/**
 * Deal stages: conversion (of the deals created in [from, to) that entered a stage, the share that
 * went on to a later open stage or a won one — skips count as advancing, lost does not) and time
 * in stage (stays that ended in the range; a stay ends at the deal's next move). Deals of a
 * pipeline the config does not know are left out.
 */
import type { DealState } from '../pipeline/types.ts';
import { DAY_MS } from '../time/localDay.ts';
import type { Context } from './context.ts';
import { mean, median, ratio, share } from './figures.ts';
import type { PipelineInfo } from './model.ts';

export interface DealStageRow {
  readonly pipeline: string;
  readonly stage: string;
  /** Deals of the cohort that entered the stage. */
  readonly entered: number;
  /** Of those, deals that reached a later open or won stage. */
  readonly advanced: number;
  readonly conversion: number | null;
  /** Of those, deals still open in the stage. */
  readonly stillIn: number;
  /** Stays in the stage that ended in the range, and their average and median in days. */
  readonly stays: number;
  readonly averageDays: number | null;
  readonly medianDays: number | null;
}

/** Days of the stays that ended in the range, by pipeline and stage. */
function stays(deals: readonly DealState[], ctx: Context): Map<string, Map<string, number[]>> {
  const byPipeline = new Map<string, Map<string, number[]>>();
  for (const deal of deals) {
    const history = deal.history;
    let byStage: Map<string, number[]> | undefined;
    for (let i = 0; i + 1 < history.length; i++) {
      const move = history[i] as DealState['history'][number];
      const next = history[i + 1] as DealState['history'][number];
      if (!ctx.inWindow(next.at)) continue;
      if (byStage === undefined) {
        byStage = byPipeline.get(deal.pipeline);
        if (byStage === undefined) byPipeline.set(deal.pipeline, (byStage = new Map<string, number[]>()));
      }
      const days = (next.at - move.at) / DAY_MS;
      const list = byStage.get(move.to);
      if (list === undefined) byStage.set(move.to, [days]);
      else list.push(days);
    }
  }
  return byPipeline;
}

interface Conversion {
  entered: number;
  advanced: number;
  stillIn: number;
}

/**
 * Per stage of `pipeline` (by index): of the cohort's deals that entered it, how many reached a
 * later stage that is not lost, and how many are still open in it. One pass over each deal's moves.
 */
function conversions(pipeline: PipelineInfo, cohort: readonly DealState[]): Conversion[] {
  const index = new Map(pipeline.stages.map((s, i) => [s.id, i]));
  const lost = pipeline.stages.map((s) => s.kind === 'lost');
  const counts = pipeline.stages.map((): Conversion => ({ entered: 0, advanced: 0, stillIn: 0 }));
  const seen = new Uint8Array(pipeline.stages.length);
  for (const deal of cohort) {
    seen.fill(0);
    let furthest = -1;
    for (const move of deal.history) {
      const i = index.get(move.to);
      if (i === undefined) continue;
      seen[i] = 1;
      if (!lost[i] && i > furthest) furthest = i;
    }
    for (let i = 0; i < counts.length; i++) {
      if (seen[i] === 0) continue;
      const c = counts[i] as Conversion;
      c.entered++;
      if (furthest > i) c.advanced++;
    }
    const current = deal.status === 'open' ? index.get(deal.stage) : undefined;
    if (current !== undefined && seen[current] === 1) (counts[current] as Conversion).stillIn++;
  }
  return counts;
}

/** One row per open stage of every configured pipeline, in pipeline order. */
export function dealStageRows(ctx: Context, deals: readonly DealState[]): DealStageRow[] {
  const durations = stays(deals, ctx);
  const rows: DealStageRow[] = [];
  for (const pipeline of ctx.model.pipelines) {
    const mine = deals.filter((d) => d.pipeline === pipeline.id);
    const cohort = mine.filter((d) => ctx.inWindow(d.createdAt));
    const converted = conversions(pipeline, cohort);
    pipeline.stages.forEach((stage, index) => {
      if (stage.kind !== 'open') return;
      const days = durations.get(pipeline.id)?.get(stage.id) ?? [];
      const avg = mean(days);
      const mid = median(days);
      const { entered, advanced, stillIn } = converted[index] as Conversion;
      rows.push(
        Object.assign(
          { pipeline: pipeline.id, stage: stage.id },
          { entered, advanced, conversion: share(advanced, entered), stillIn },
          {
            stays: days.length,
            averageDays: avg === null ? null : ratio(avg),
            medianDays: mid === null ? null : ratio(mid),
          },
        ),
      );
    });
  }
  return rows;
}

/** The probability of a deal's stage (undefined when the stage or pipeline gives none). */
export function stageProbability(
  pipelines: readonly PipelineInfo[],
  pipeline: string,
  stage: string,
): number | undefined {
  return pipelines.find((p) => p.id === pipeline)?.stages.find((s) => s.id === stage)?.probability;
}

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

function stays(deals: readonly DealState[], ctx: Context): Map<string, number[]> {
  const byStage = new Map<string, number[]>();
  for (const deal of deals) {
    deal.history.forEach((move, i) => {
      const next = deal.history[i + 1];
      if (next === undefined || !ctx.inWindow(next.at)) return;
      const key = `${deal.pipeline}\u0000${move.to}`;
      const list = byStage.get(key);
      const days = (next.at - move.at) / DAY_MS;
      if (list === undefined) byStage.set(key, [days]);
      else list.push(days);
    });
  }
  return byStage;
}

function conversion(pipeline: PipelineInfo, cohort: readonly DealState[], stage: string, index: number) {
  let entered = 0;
  let advanced = 0;
  let stillIn = 0;
  const kinds = new Map(pipeline.stages.map((s, i) => [s.id, { i, kind: s.kind }]));
  for (const deal of cohort) {
    if (!deal.history.some((m) => m.to === stage)) continue;
    entered++;
    const later = deal.history.some((m) => {
      const k = kinds.get(m.to);
      return k !== undefined && k.i > index && k.kind !== 'lost';
    });
    if (later) advanced++;
    if (deal.status === 'open' && deal.stage === stage) stillIn++;
  }
  return { entered, advanced, conversion: share(advanced, entered), stillIn };
}

/** One row per open stage of every configured pipeline, in pipeline order. */
export function dealStageRows(ctx: Context, deals: readonly DealState[]): DealStageRow[] {
  const durations = stays(deals, ctx);
  const rows: DealStageRow[] = [];
  for (const pipeline of ctx.model.pipelines) {
    const mine = deals.filter((d) => d.pipeline === pipeline.id);
    const cohort = mine.filter((d) => ctx.inWindow(d.createdAt));
    pipeline.stages.forEach((stage, index) => {
      if (stage.kind !== 'open') return;
      const days = durations.get(`${pipeline.id}\u0000${stage.id}`) ?? [];
      const avg = mean(days);
      const mid = median(days);
      rows.push(
        Object.assign(
          { pipeline: pipeline.id, stage: stage.id },
          conversion(pipeline, cohort, stage.id, index),
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

/**
 * A deal's stale timers firing: at the stage limit the deal is flagged stale and its owner gets an
 * alert task; `managerAfter` later, if the deal is still in that stage, the owner's manager is
 * alerted. A timer for a stay that has ended (the deal moved, closed, or re-entered the stage) does
 * nothing. Pure.
 */
import type { Effect, FiredTimer } from '../effects.ts';
import type { ActionEnvironment } from '../lifecycle/actions.ts';
import type { Millis } from '../types.ts';
import { staleManagerTimerKey } from './decide.ts';
import { pipelineOf, stageOf, type PipelineModel } from './model.ts';
import { STALE_MANAGER_TIMER, STALE_TIMER } from './stale.ts';
import type { DealState } from './types.ts';

export const DEAL_TIMER_KINDS: ReadonlySet<string> = new Set([STALE_TIMER, STALE_MANAGER_TIMER]);

/** The deal a deal timer is about, or undefined for other timers. */
export function dealOfTimer(timer: FiredTimer): string | undefined {
  const kind = timer.payload['kind'];
  const deal = timer.payload['deal'];
  return typeof kind === 'string' && DEAL_TIMER_KINDS.has(kind) && typeof deal === 'string'
    ? deal
    : undefined;
}

export function decideDealTimer(
  deal: DealState | undefined,
  timer: FiredTimer,
  model: PipelineModel,
  env: ActionEnvironment,
  now: Millis,
): { readonly deal?: DealState; readonly effects: readonly Effect[] } {
  const p = timer.payload;
  if (deal === undefined || deal.status !== 'open') return { effects: [] };
  if (deal.stage !== p['stage'] || deal.stageEnteredAt !== p['enteredAt']) return { effects: [] };
  const pipeline = pipelineOf(model, deal.pipeline);
  if (pipeline === undefined) return { effects: [] };
  const stageName = stageOf(pipeline, deal.stage)?.name ?? deal.stage;
  const owner = deal.owner === undefined ? 'unassigned' : `rep:${deal.owner}`;
  const contactKey = timer.contactKey ?? deal.contacts[0]?.contactKey ?? `deal:${deal.id}`;
  const days = Math.floor((now - deal.stageEnteredAt) / 86_400_000);
  if (p['kind'] === STALE_TIMER) {
    const basis = p['basis'] === 'average' ? 'average' : 'limit';
    const limitMs = typeof p['limitMs'] === 'number' ? p['limitMs'] : now - deal.stageEnteredAt;
    const stale = { stage: deal.stage, since: timer.dueAt, basis, limitMs, managerAlerted: false } as const;
    const taskKey = `task:deal:${deal.id}:stale:${deal.stageEnteredAt}`;
    const dueAt = env.addTime(now, pipeline.stale.alertTask.due);
    const title = `${pipeline.stale.alertTask.title}: ${deal.name ?? deal.id} (${days} days in ${stageName})`;
    return {
      deal: Object.assign({}, deal, { flags: Object.assign({}, deal.flags, { stale }) }),
      effects: [
        {
          kind: 'task',
          key: taskKey,
          contactKey,
          title,
          assignee: owner,
          dueAt,
          createdAt: now,
          status: 'open',
        },
        {
          kind: 'timer',
          key: `task-due:${taskKey}`,
          dueAt,
          contactKey,
          payload: { kind: 'task_due', task: taskKey, title, assignee: owner },
        },
        {
          kind: 'outbox',
          key: `deal-stale:${deal.id}:${deal.stageEnteredAt}`,
          type: 'deal_stale',
          contactKey,
          at: now,
          payload: {
            to: owner,
            deal: deal.id,
            name: deal.name ?? deal.id,
            stage: deal.stage,
            daysInStage: days,
            basis,
            limitDays: Math.round(limitMs / 86_400_000),
          },
        },
        {
          kind: 'timer',
          key: staleManagerTimerKey(deal.id),
          dueAt: env.addTime(now, pipeline.stale.managerAfter),
          contactKey,
          payload: {
            kind: STALE_MANAGER_TIMER,
            deal: deal.id,
            stage: deal.stage,
            enteredAt: deal.stageEnteredAt,
          },
        },
      ],
    };
  }
  const stale = deal.flags.stale;
  if (stale === undefined || stale.managerAlerted) return { effects: [] };
  const manager = deal.owner === undefined ? undefined : env.reps.managerOf(deal.owner);
  return {
    deal: Object.assign({}, deal, {
      flags: Object.assign({}, deal.flags, { stale: Object.assign({}, stale, { managerAlerted: true }) }),
    }),
    effects: [
      {
        kind: 'outbox',
        key: `deal-stale-manager:${deal.id}:${deal.stageEnteredAt}`,
        type: 'deal_stale_manager',
        contactKey,
        at: now,
        payload: {
          to: manager === undefined ? 'unassigned' : `rep:${manager}`,
          owner,
          deal: deal.id,
          name: deal.name ?? deal.id,
          stage: deal.stage,
          daysInStage: days,
        },
      },
    ],
  };
}

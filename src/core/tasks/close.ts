/**
 * A touch meets the follow-up tasks it answers: when a rep touches a lead (`rep_activity`), that
 * rep's open tasks for the lead created at or before the touch are done, and their overdue
 * reminders are cancelled. A touch without a rep counts as the lead's owner's. Tasks of other
 * people (a queue's, a manager's) stay open: somebody else's call does not do their work. A sales
 * decision (accept or reject) is the outcome every follow-up was for: it closes all the lead's tasks
 * created before it, whoever holds them (a disqualified lead leaves no "Follow up" behind).
 */
import type { Effect } from '../effects.ts';
import type { TaskRow } from '../ports.ts';
import type { ContactKey, Touch } from '../types.ts';

/** The timer key of a task's overdue reminder (as core/lifecycle/actions.ts schedules it). */
export const taskDueTimerKey = (taskKey: string): string => `task-due:${taskKey}`;

/**
 * The effects that close the tasks `touches` meet among `open` (open tasks of the touched leads).
 * `ownerOf` names a lead's owner, for touches without a rep. Pure; each task closes once.
 */
export function tasksClosedBy(
  touches: readonly Touch[],
  open: readonly TaskRow[],
  ownerOf: (contactKey: ContactKey) => string | undefined,
  decisions: readonly { readonly contactKey: ContactKey; readonly at: number }[] = [],
): Effect[] {
  const effects: Effect[] = [];
  const closed = new Set<string>();
  const close = (task: TaskRow) => {
    closed.add(task.key);
    effects.push(Object.assign({ kind: 'task' as const }, task, { status: 'done' as const }));
    effects.push({ kind: 'cancelTimer', key: taskDueTimerKey(task.key) });
  };
  for (const decision of decisions) {
    for (const task of open) {
      if (closed.has(task.key) || task.status !== 'open') continue;
      // Strictly before: tasks the decision's own stage entry creates are new work.
      if (task.contactKey === decision.contactKey && task.createdAt < decision.at) close(task);
    }
  }
  for (const touch of touches) {
    const rep = touch.rep ?? ownerOf(touch.contactKey);
    if (rep === undefined) continue;
    for (const task of open) {
      if (closed.has(task.key) || task.status !== 'open') continue;
      if (task.contactKey !== touch.contactKey || task.assignee !== `rep:${rep}`) continue;
      if (task.createdAt > touch.at) continue;
      close(task);
    }
  }
  return effects;
}

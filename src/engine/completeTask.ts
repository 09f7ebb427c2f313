/**
 * `completeTask`: a person marks a follow-up task done (the API's `POST /v1/tasks/{key}/complete`).
 * One transaction: the task's lead is locked (as ingest locks it, so a touch closing the same task
 * takes turns with it), the task is read, marked done and its overdue reminder (`task-due:<key>`)
 * cancelled — the same effects a rep's touch writes (core/tasks/close.ts).
 */
import type { Effect } from '../core/effects.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store, StoreTx, TaskRow } from '../core/ports.ts';
import { taskDueTimerKey } from '../core/tasks/close.ts';
import { subjectKeys } from './subjects.ts';
import { Writes } from './writes.ts';

export interface CompleteTaskResult {
  /** The task as it is now (status `done`). */
  readonly task: TaskRow;
  /** False when the task was already done (nothing was written). */
  readonly changed: boolean;
}

/** The lock keys of a lead as ingest builds them (contact keys are `email:<email>` or `id:<id>`). */
function subjectsOf(contactKey: string): string[] {
  if (contactKey.startsWith('email:')) return subjectKeys({ emails: [contactKey.slice(6)] });
  if (contactKey.startsWith('id:')) return subjectKeys({ externalIds: [contactKey.slice(3)] });
  return [contactKey];
}

const notFound = (key: string) =>
  new RevopsError('task.not_found', `no task with the key \`${key}\``, {
    hint: 'list tasks with GET /v1/tasks (each has its `key`); keys look like task:email:ava@acme.com:…',
  });

/**
 * Completes one task inside `tx`. Throws `RevopsError` `task.not_found` (unknown key) or
 * `task.not_open` (the task was cancelled) with nothing written; otherwise only if storage fails.
 */
export async function completeTaskInTx(tx: StoreTx, key: string): Promise<CompleteTaskResult> {
  const [peek] = await tx.findTasks([key]);
  if (peek === undefined) throw notFound(key);
  await tx.lockSubjects(subjectsOf(peek.contactKey));
  // Read again under the lock: a touch may have closed it meanwhile.
  const [task] = await tx.findTasks([key]);
  if (task === undefined) throw notFound(key);
  if (task.status === 'done') return { task, changed: false };
  if (task.status === 'cancelled')
    throw new RevopsError('task.not_open', `the task \`${key}\` was cancelled; it cannot be completed`, {
      hint: 'a cancelled task is closed for good; see the lead’s open tasks with GET /v1/tasks?contact=…&status=open',
    });
  const done: TaskRow = Object.assign({}, task, { status: 'done' as const });
  const effects: Effect[] = [
    Object.assign({ kind: 'task' as const }, done),
    { kind: 'cancelTimer', key: taskDueTimerKey(key) },
  ];
  const writes = new Writes();
  writes.addEffects(effects);
  await writes.flush(tx);
  return { task: done, changed: true };
}

/**
 * Marks the task `key` done and cancels its overdue reminder, in one transaction (see the module
 * comment). Completing a task that is already done changes nothing (`changed: false`). Throws
 * `RevopsError` — `task.not_found`, `task.not_open` — with nothing written; otherwise only if
 * storage fails.
 */
export function completeTask(deps: { readonly store: Store }, key: string): Promise<CompleteTaskResult> {
  return deps.store.transaction((tx) => completeTaskInTx(tx, key));
}

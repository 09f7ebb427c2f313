/** Tasks as the API shows them, the list's query, and the answer to completing one. */
import { z } from 'zod';
import type { TaskRow } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { CursorQuery, IsoTime, iso, isoOrNull, LimitQuery, pageOf } from './common.ts';

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

export const TaskSchema = z
  .object({
    key: z.string().describe('Pass it (URL-encoded) to POST /v1/tasks/{key}/complete'),
    contact: z.string().describe('The contact key'),
    title: z.string(),
    assignee: z.string().describe('`rep:<id>`, `team:<id>`, `queue:<id>`, …'),
    dueAt: IsoTime.nullable(),
    createdAt: IsoTime,
    status: z.enum(TASK_STATUSES),
    overdue: z.boolean().describe('Open and past its due time'),
  })
  .meta({ id: 'Task' });

export const TaskPageSchema = pageOf(TaskSchema).meta({ id: 'TaskPage' });

export const TaskListQuery = z.object({
  status: z
    .enum(['open', 'done', 'cancelled', 'all'])
    .default('open')
    .describe('Which tasks (default: open)'),
  assignee: z.string().optional().describe('Only this assignee: `rep:priya` (or just `priya`), `team:sdr`'),
  contact: z.string().optional().describe('Only this contact’s tasks: an email or a contact key'),
  limit: LimitQuery,
  cursor: CursorQuery,
});

export const TaskParams = z.object({ key: z.string().min(1).describe('The task key') });

export const CompletedTaskSchema = z
  .object({
    task: TaskSchema,
    changed: z.boolean().describe('False when the task was already done (nothing changed)'),
  })
  .meta({ id: 'CompletedTask' });

export type TaskView = z.infer<typeof TaskSchema>;

/** A task as listed, `overdue` as of `now`. Does not throw. */
export function taskView(t: TaskRow, now: Millis): TaskView {
  return {
    key: t.key,
    contact: t.contactKey,
    title: t.title,
    assignee: t.assignee,
    dueAt: isoOrNull(t.dueAt),
    createdAt: iso(t.createdAt),
    status: t.status,
    overdue: t.status === 'open' && t.dueAt !== undefined && t.dueAt <= now,
  };
}

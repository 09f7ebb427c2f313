/**
 * `GET /v1/tasks` (open by default; by assignee or contact; cursor-paged in (createdAt, key) order)
 * and `POST /v1/tasks/{key}/complete` (marks it done and cancels its overdue reminder, in one
 * transaction: engine/completeTask.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TaskQuery } from '../../core/ports.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { assigneeOf, contactKeyOf } from '../refs.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  CompletedTaskSchema,
  TaskListQuery,
  TaskPageSchema,
  TaskParams,
  TASK_STATUSES,
  taskView,
} from '../schemas/tasks.ts';

/** Registers the task routes. Does not throw. */
export async function taskRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();

  // `POST …/complete` takes no body; a client that still says `content-type: application/json`
  // with an empty body is not refused for it (Fastify's own parser would answer 400).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') done(null, undefined);
    else void json(request, text, done);
  });

  api.get(
    '/v1/tasks',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['tasks'],
        summary: 'List tasks (open by default), by assignee or contact',
        querystring: TaskListQuery,
        response: Object.assign({ 200: TaskPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const q = request.query;
      const now = ctx.clock.now();
      const query: { -readonly [K in keyof TaskQuery]: TaskQuery[K] } = {
        status: q.status === 'all' ? TASK_STATUSES : q.status,
        limit: q.limit + 1,
      };
      if (q.assignee !== undefined) query.assignee = assigneeOf(q.assignee);
      if (q.contact !== undefined) query.contactKey = contactKeyOf(q.contact);
      if (q.cursor !== undefined) {
        const [createdAt, key] = decodeCursor('tasks', q.cursor, ['n', 's'] as const);
        query.after = { createdAt, key };
      }
      const found = await ctx.store.listTasks(query);
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((t) => taskView(t, now)),
        nextCursor:
          found.length > q.limit && last !== undefined
            ? encodeCursor('tasks', [last.createdAt, last.key])
            : null,
      };
    },
  );

  api.post(
    '/v1/tasks/:key/complete',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['tasks'],
        summary: 'Mark a task done (and cancel its overdue reminder)',
        description:
          'Idempotent: completing a task that is already done answers 200 with `changed: false`. A cancelled task cannot be completed (409 `task.not_open`).',
        params: TaskParams,
        response: Object.assign({ 200: CompletedTaskSchema }, errorResponses(401, 403, 404, 409, 429)),
      },
    },
    async (request) => {
      const result = await ctx.workspace.current().runtime.engine.completeTask(request.params.key);
      return { task: taskView(result.task, ctx.clock.now()), changed: result.changed };
    },
  );
}

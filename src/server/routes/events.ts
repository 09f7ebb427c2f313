/**
 * `POST /v1/events`: one event, an array, or `{ "events": [...] }`, ingested in one transaction and
 * answered after the commit with a result per item (accepted, duplicate, rejected with its issues).
 *
 * Status: 200 when nothing was rejected (a re-sent batch is all duplicates: still 200); 207 when
 * some items were rejected and the others stored; 422 `event.rejected` (the error envelope, each
 * item's issues under `[index].path`) when every item was rejected and nothing was written.
 *
 * The hot path: the body is not run through zod (the engine validates each event with the
 * catalog's own messages) and the answer is plain `JSON.stringify`; the schemas still document it.
 */
import { createGroupCommit } from '../groupCommit.ts';
import { strictQueryValidatorCompiler } from '../queryValidator.ts';
import type { FastifyInstance } from 'fastify';
import { RevopsError } from '../../core/errors.ts';
import type { Issue } from '../../core/issue.ts';
import type { IngestSummary } from '../../engine/ingest.ts';
import type { ServerContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { IngestBodySchema, IngestResultSchema, type IngestResultView } from '../schemas/events.ts';
import { httpIssue } from '../errorHandler.ts';

const SHAPE_HINT =
  'send one event {"id", "type", "contact": {...}}, an array of them, or {"events": [...]} (docs/events.md)';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The events of a request body. Throws `RevopsError` for a body of the wrong shape or size. */
export function eventsOf(body: unknown, maxBatch: number): { items: readonly unknown[]; single: boolean } {
  let items: readonly unknown[];
  let single = false;
  if (Array.isArray(body)) items = body;
  else if (isObject(body) && 'events' in body) {
    const events = body['events'];
    if (!Array.isArray(events))
      throw new RevopsError('http.invalid_body', '`events` must be an array of events', { hint: SHAPE_HINT });
    items = events;
  } else if (isObject(body)) {
    items = [body];
    single = true;
  } else
    throw new RevopsError('http.invalid_body', 'the body is not an event or a list of events', {
      hint: SHAPE_HINT,
    });
  if (items.length === 0)
    throw new RevopsError('http.invalid_body', 'the request holds no events', { hint: SHAPE_HINT });
  if (items.length > maxBatch)
    throw new RevopsError(
      'http.batch_too_large',
      `the request holds ${items.length} events; at most ${maxBatch} are accepted at once`,
      { hint: `split it into batches of at most ${maxBatch} events` },
    );
  return { items, single };
}

/** The per-item answer. Does not throw. */
export function ingestResultView(summary: IngestSummary): IngestResultView {
  return {
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    items: summary.items.map((item) => ({
      index: item.index,
      id: item.id ?? null,
      status: item.status,
      issues: (item.issues ?? []).map(httpIssue),
    })),
  };
}

/** Every rejected item's issues, under `[index].` (`path` as is for a single event). */
function rejectionIssues(summary: IngestSummary, single: boolean): Issue[] {
  return summary.items.flatMap((item) =>
    (item.issues ?? []).map((issue) => ({
      code: issue.code,
      path: single ? [issue.path] : [issue.path === '' ? `[${item.index}]` : `[${item.index}].${issue.path}`],
      message: issue.message,
      severity: 'error' as const,
    })),
  );
}

/** Registers `POST /v1/events`. Does not throw. */
export async function eventRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  // Concurrent requests share commits (one transaction for what arrived during the last one).
  const group = createGroupCommit(
    (raws) => ctx.workspace.current().runtime.engine.ingest(raws),
    ctx.limits.maxBatch,
  );
  app.route({
    method: 'POST',
    url: '/v1/events',
    config: { scope: 'ingest' },
    schema: {
      tags: ['events'],
      summary: 'Ingest events (one, a batch, or {events: [...]})',
      description:
        'Idempotent by event id; answered after the commit (requests arriving during a commit share the next one). 200: nothing rejected; 207: some rejected, the rest stored; 422 `event.rejected`: all rejected, nothing written.',
      body: IngestBodySchema,
      response: Object.assign(
        { 200: IngestResultSchema, 207: IngestResultSchema },
        errorResponses(400, 401, 403, 413, 415, 422, 429),
      ),
    },
    // The engine validates every event itself, item by item; zod would reject the whole request.
    // The query is checked as everywhere (it takes none).
    validatorCompiler: (route) =>
      route.httpPart === 'querystring'
        ? strictQueryValidatorCompiler(route as unknown as Parameters<typeof strictQueryValidatorCompiler>[0])
        : (data: unknown) => ({ value: data }),
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (request, reply) => {
      const { items, single } = eventsOf(request.body, ctx.limits.maxBatch);
      const summary = await group.ingest(items);
      if (summary.rejected === summary.items.length) {
        throw new RevopsError(
          'event.rejected',
          single ? 'the event was rejected' : `all ${summary.items.length} events were rejected`,
          {
            issues: rejectionIssues(summary, single),
            hint: 'fix the fields named in `issues` (docs/events.md), then send again',
          },
        );
      }
      return reply.code(summary.rejected > 0 ? 207 : 200).send(ingestResultView(summary));
    },
  });
}

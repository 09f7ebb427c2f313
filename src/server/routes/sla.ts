/**
 * `GET /v1/sla`: SLA clocks, running ones (open, or breached and still going) by default, earliest
 * due first, cursor-paged in (dueAt, key) order through `Store.listClocks`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ClockQuery } from '../../core/ports.ts';
import { isRunning, SLA_CLOCK_STATUSES } from '../../core/sla/model.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { contactKeyOf } from '../refs.ts';
import { errorResponses } from '../schemas/common.ts';
import { SlaListQuery, SlaPageSchema, slaClockView } from '../schemas/sla.ts';

/** Registers `GET /v1/sla`. Does not throw. */
export async function slaRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/sla',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['sla'],
        summary: 'List SLA clocks: running (open and breached) by default, earliest due first',
        querystring: SlaListQuery,
        response: Object.assign({ 200: SlaPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const q = request.query;
      const now = ctx.clock.now();
      const status =
        q.status === 'all'
          ? SLA_CLOCK_STATUSES
          : q.status === 'running'
            ? (['open', 'breached'] as const)
            : q.status;
      const query: { -readonly [K in keyof ClockQuery]: ClockQuery[K] } = { status, limit: q.limit + 1 };
      if (q.contact !== undefined) query.contactKey = contactKeyOf(q.contact);
      if (q.cursor !== undefined) {
        const [dueAt, key] = decodeCursor('sla', q.cursor, ['n', 's'] as const);
        query.after = { dueAt, key };
      }
      const found = await ctx.store.listClocks(query);
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      // `running` pages by the stored rows; a breached clock that was stopped is not running.
      const items = (q.status === 'running' ? page.filter(isRunning) : page).map((c) => slaClockView(c, now));
      return {
        items,
        nextCursor:
          found.length > q.limit && last !== undefined ? encodeCursor('sla', [last.dueAt, last.key]) : null,
      };
    },
  );
}

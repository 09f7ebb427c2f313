/**
 * `GET /healthz`: the process is up (no database call). `GET /readyz`: the store answers and its
 * schema is current, so requests can be served; 503 `store.unavailable` otherwise (a load balancer
 * keeps traffic away until it is ready).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RevopsError } from '../../core/errors.ts';
import type { ServerContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';

const HealthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }).meta({ id: 'Health' });

const ReadySchema = z
  .object({
    status: z.literal('ready'),
    store: z.string().describe('The database (without a password)'),
    configHash: z.string().describe('The content hash of the active config'),
  })
  .meta({ id: 'Ready' });

/** Registers the health routes. Does not throw. */
export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/healthz',
    {
      config: { scope: 'public' },
      schema: { tags: ['health'], summary: 'The process is up', response: { 200: HealthSchema } },
    },
    () =>
      Promise.resolve({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime() * 1000) / 1000 }),
  );
  api.get(
    '/readyz',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Ready to serve: the database answers and its schema is current',
        response: Object.assign({ 200: ReadySchema }, errorResponses(503)),
      },
    },
    async () => {
      let pending: string[];
      try {
        pending = await ctx.store.pendingMigrations();
      } catch (error) {
        throw new RevopsError(
          'store.unavailable',
          `the database does not answer (${ctx.store.description})`,
          {
            hint: 'check that the database is running and reachable; the server retries on every request',
            cause: error,
          },
        );
      }
      if (pending.length > 0)
        throw new RevopsError(
          'store.unavailable',
          `the database schema is behind: ${pending.length} migration(s) not applied (${pending.join(', ')})`,
          { hint: 'run `revops db migrate` (the server applies them at start)' },
        );
      return {
        status: 'ready' as const,
        store: ctx.store.description,
        configHash: ctx.workspace.current().hash,
      };
    },
  );
}

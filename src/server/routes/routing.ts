/**
 * `POST /v1/routing/preview`: where a lead would go under the active config, with the full trace
 * (engine/routePreview.ts, what `revops route explain` prints). Nothing is read or written.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ContactScore } from '../../core/types.ts';
import { previewRoute, type PreviewLead } from '../../engine/routePreview.ts';
import type { ServerContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { PreviewRequestSchema, PreviewResponseSchema, previewView } from '../schemas/routing.ts';

/** Registers the routing preview. Does not throw. */
export async function routingRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/routing/preview',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['routing'],
        summary: 'What-if: route a lead under the active config (nothing is written)',
        description:
          'The lead is built as the engine builds it from one identify event, then routed as on entering the first routing stage, with no load (every rep at 0 open leads, fresh round-robin counts) and the reps’ availability as the engine sees it (the config with the overrides set by PATCH /v1/reps/{id}).',
        body: PreviewRequestSchema,
        response: Object.assign(
          { 200: PreviewResponseSchema },
          errorResponses(400, 401, 403, 409, 415, 422, 429),
        ),
      },
    },
    async (request) => {
      const body = request.body;
      const at = body.at ?? ctx.clock.now();
      const { model } = ctx.workspace.current().runtime.engine;
      const { setup } = ctx.workspace.current().runtime;
      const lead: { -readonly [K in keyof PreviewLead]: PreviewLead[K] } = { contact: body.contact };
      if (body.company !== undefined) lead.company = body.company;
      if (body.owner !== undefined) lead.owner = body.owner;
      if (body.account?.owner !== undefined) lead.accountOwner = body.account.owner;
      if (body.score !== undefined) {
        const score: Partial<{ -readonly [K in keyof ContactScore]: ContactScore[K] }> = {};
        for (const [name, value] of Object.entries(body.score))
          if (value !== undefined) Object.assign(score, { [name]: value });
        lead.score = score;
      }
      const everyRule = body.everyRule === true;
      // Availability set over the API (PTO, active, capacity) is what the engine routes with.
      const repOverrides = new Map((await ctx.store.repOverrides()).map((r) => [r.repId, r.override]));
      return previewView(previewRoute(model, setup.catalog, lead, at, { everyRule, repOverrides }), at);
    },
  );
}

/**
 * Deals: `GET /v1/deals` (filtered, cursor-paged in id order, each with its staleness now),
 * `GET /v1/deals/{id}` (history, pushes, flags, approval requests), `POST /v1/deals` (create),
 * `PATCH /v1/deals/{id}` (fields, a stage move, closing it) and `POST /v1/deals/{id}/close-date`.
 * Every change is an engine deal command (engine/dealCommands.ts): a `deal` event in the log,
 * ingested strictly, so a refused change (empty required fields, a blocked skip, a push without a
 * reason) answers its error and writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DecisionModel } from '../../core/contact/decide.ts';
import { RevopsError } from '../../core/errors.ts';
import { closingStage, pipelineOf, stageOf } from '../../core/pipeline/model.ts';
import { stageAverages, staleness, type StageAverages } from '../../core/pipeline/stale.ts';
import type { DealState, StaleFlag } from '../../core/pipeline/types.ts';
import type { DealQuery } from '../../core/ports.ts';
import type { JsonValue, Millis } from '../../core/types.ts';
import type { DealRequest } from '../../engine/dealCommands.ts';
import { requestActor } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  CloseDateBody,
  DealCreateBody,
  DealDetailSchema,
  DealListQuery,
  DealPageSchema,
  DealParams,
  DealPatchBody,
  dealDetailView,
  dealView,
  type DealDetailView,
} from '../schemas/deals.ts';

/** Body keys that steer the command rather than set a field. */
const CONTROL = new Set(['id', 'contact', 'stage', 'pipeline', 'status', 'reason', 'fields']);
/** Deals read per round while filtering by staleness. */
const SCAN = 500;

/** The body's field values: the top-level ones by name, then `fields` (JSON from the parser). */
function fieldsOf(body: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(body))
    if (!CONTROL.has(key) && value !== undefined) out[key] = value as JsonValue;
  const extra = body['fields'];
  if (typeof extra === 'object' && extra !== null)
    for (const [key, value] of Object.entries(extra)) out[key] = value as JsonValue;
  return out;
}

const unknownDeal = (id: string) =>
  new RevopsError('pipeline.unknown_deal', `no deal \`${id}\``, {
    hint: 'GET /v1/deals lists them; create one with POST /v1/deals',
  });

/** Judges staleness at `now` against the stage limits and the averages over every stored deal. */
export type StaleJudge = (deal: DealState) => StaleFlag | undefined;

/** A judge over `averages` (read once per request). Does not throw. */
export function staleJudge(model: DecisionModel, now: Millis, averages: StageAverages): StaleJudge {
  return (deal) => {
    const pipeline = model.pipeline === undefined ? undefined : pipelineOf(model.pipeline, deal.pipeline);
    return pipeline === undefined ? undefined : staleness(deal, pipeline, now, model.addTime, averages);
  };
}

/**
 * The action a PATCH asks for: closing (a `status`, or a `stage` that is the pipeline's won or
 * lost stage), a move, or an update. Throws `RevopsError` `pipeline.invalid_request` when `status`
 * and `stage` disagree or nothing is asked.
 */
function patchAction(
  model: DecisionModel,
  deal: DealState,
  body: { readonly stage?: string | undefined; readonly status?: 'won' | 'lost' | undefined },
  hasFields: boolean,
): DealRequest['action'] {
  const pipeline = model.pipeline === undefined ? undefined : pipelineOf(model.pipeline, deal.pipeline);
  const kind =
    body.stage === undefined || pipeline === undefined ? undefined : stageOf(pipeline, body.stage)?.kind;
  // The won (lost) stage closes the deal as `status` does: the CS handoff runs on `closed_won`.
  const closes =
    pipeline !== undefined &&
    (kind === 'won' || kind === 'lost') &&
    closingStage(pipeline, kind)?.id === body.stage;
  const closing = body.status ?? (closes ? kind : undefined);
  if (body.status !== undefined && body.stage !== undefined && kind !== body.status)
    throw new RevopsError(
      'pipeline.invalid_request',
      `\`status: ${body.status}\` and \`stage: ${body.stage}\` disagree`,
      { hint: `send one of them: \`status: ${body.status}\` closes the deal in its ${body.status} stage` },
    );
  if (closing !== undefined) return closing === 'won' ? 'closed_won' : 'closed_lost';
  if (body.stage !== undefined) return 'stage_changed';
  if (!hasFields)
    throw new RevopsError('pipeline.invalid_request', 'the change is empty', {
      hint: 'send `stage`, `status` (won or lost) or fields to set',
    });
  return 'updated';
}

/** Registers the deal routes. Does not throw. */
export async function dealRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();
  const engine = () => ctx.workspace.current().runtime.engine;

  /** The deal in full as of now. */
  const detail = async (deal: DealState): Promise<DealDetailView> => {
    const now = ctx.clock.now();
    const [all, approvals] = await Promise.all([
      ctx.store.listDeals(),
      ctx.store.listApprovals({ dealId: deal.id }),
    ]);
    const judge = staleJudge(engine().model, now, stageAverages(all));
    return dealDetailView(deal, now, judge(deal), approvals);
  };

  api.get(
    '/v1/deals',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['deals'],
        summary: 'List deals (by status, stage, owner, pipeline, account, staleness), in id order',
        querystring: DealListQuery,
        response: Object.assign({ 200: DealPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const q = request.query;
      const now = ctx.clock.now();
      const query: { -readonly [K in keyof DealQuery]: DealQuery[K] } = {};
      if (q.status !== 'all') query.status = q.status;
      if (q.stage !== undefined) query.stage = q.stage;
      if (q.owner !== undefined) query.owner = q.owner.startsWith('rep:') ? q.owner.slice(4) : q.owner;
      if (q.pipeline !== undefined) query.pipeline = q.pipeline;
      if (q.account !== undefined) query.account = q.account.toLowerCase();
      if (q.cursor !== undefined) [query.after] = decodeCursor('deals', q.cursor, ['s'] as const);
      const judge = staleJudge(engine().model, now, stageAverages(await ctx.store.listDeals()));
      const want = q.stale === undefined ? undefined : q.stale === 'true';
      // Staleness is judged now, not stored: filter while reading until a page and one more are found.
      const found: { deal: DealState; stale: StaleFlag | undefined }[] = [];
      for (;;) {
        const batch = await ctx.store.listDeals(
          Object.assign({}, query, { limit: want === undefined ? q.limit + 1 : SCAN }),
        );
        for (const deal of batch) {
          const stale = judge(deal);
          if (want === undefined || want === (stale !== undefined)) found.push({ deal, stale });
        }
        const last = batch[batch.length - 1];
        if (want === undefined || found.length > q.limit || last === undefined || batch.length < SCAN) break;
        query.after = last.id;
      }
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((f) => dealView(f.deal, now, f.stale)),
        nextCursor:
          found.length > q.limit && last !== undefined ? encodeCursor('deals', [last.deal.id]) : null,
      };
    },
  );

  api.get(
    '/v1/deals/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['deals'],
        summary: 'One deal in full: stage history, close-date pushes, flags, approval requests',
        params: DealParams,
        response: Object.assign({ 200: DealDetailSchema }, errorResponses(401, 403, 404, 429)),
      },
    },
    async (request) => {
      const deal = await ctx.store.findDeal(request.params.id);
      if (deal === undefined) throw unknownDeal(request.params.id);
      return detail(deal);
    },
  );

  api.post(
    '/v1/deals',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['deals'],
        summary: 'Create a deal in its pipeline’s first stage (or `stage`)',
        description:
          'The stage’s required fields must be filled (422 `pipeline.required_fields_missing`, with an issue per empty field). `account` defaults to the contact’s company domain, `owner` and `fitScore` to the contact’s. A deal id already used answers 409 `pipeline.deal_exists`.',
        body: DealCreateBody,
        response: Object.assign({ 201: DealDetailSchema }, errorResponses(400, 401, 403, 409, 422, 429)),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const by = requestActor(request);
      const deal = await engine().deal(
        Object.assign(
          { action: 'created' as const, dealId: body.id, contact: body.contact, fields: fieldsOf(body) },
          body.stage === undefined ? {} : { stage: body.stage },
          body.pipeline === undefined ? {} : { pipeline: body.pipeline },
          by === undefined ? {} : { by },
        ),
      );
      return reply.code(201).send(await detail(deal));
    },
  );

  api.patch(
    '/v1/deals/:id',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['deals'],
        summary: 'Change a deal: set fields, move it to a stage, close it won or lost',
        description:
          'Fields apply first, then the move, which needs the target stage’s required fields filled (422 `pipeline.required_fields_missing`, an issue per empty field). Moving to the won or lost stage — or `status: won|lost` — closes the deal; closed won assigns the customer-success owner and the kickoff task. A later `closeDate` needs `reason`. A refused change writes nothing.',
        params: DealParams,
        body: DealPatchBody,
        response: Object.assign({ 200: DealDetailSchema }, errorResponses(400, 401, 403, 404, 409, 422, 429)),
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      const fields = fieldsOf(body);
      const existing = await ctx.store.findDeal(id);
      if (existing === undefined) throw unknownDeal(id);
      const action = patchAction(engine().model, existing, body, Object.keys(fields).length > 0);
      const by = requestActor(request);
      const deal = await engine().deal(
        Object.assign(
          { action, dealId: id, fields },
          action === 'stage_changed' && body.stage !== undefined ? { stage: body.stage } : {},
          body.reason === undefined ? {} : { reason: body.reason },
          by === undefined ? {} : { by },
        ),
      );
      return detail(deal);
    },
  );

  api.post(
    '/v1/deals/:id/close-date',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['deals'],
        summary:
          'Move a deal’s close date (a later date needs a reason; the second push flags a forecast review)',
        params: DealParams,
        body: CloseDateBody,
        response: Object.assign({ 200: DealDetailSchema }, errorResponses(400, 401, 403, 404, 409, 422, 429)),
      },
    },
    async (request) => {
      const by = requestActor(request);
      const deal = await engine().deal(
        Object.assign(
          {
            action: 'close_date_changed' as const,
            dealId: request.params.id,
            fields: { closeDate: request.body.closeDate },
          },
          request.body.reason === undefined ? {} : { reason: request.body.reason },
          by === undefined ? {} : { by },
        ),
      );
      return detail(deal);
    },
  );
}

/**
 * `GET /v1/reps`, `GET /v1/reps/{id}` (read) and `PATCH /v1/reps/{id}` (admin): the config's reps
 * with their availability — what the config says, the override set over the API, what routing
 * uses now, their load and whether routing would consider them at this moment. An override is
 * stored in the database; the engine reads it with the routing state of its next decision.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { routingModel } from '../../config/routingModel.ts';
import { assignedPerDay, repLoads } from '../../core/contact/routeContact.ts';
import { RevopsError } from '../../core/errors.ts';
import type { RepOverrideRecord } from '../../core/ports.ts';
import { NO_LOAD, repAvailability, type RepLoad } from '../../core/routing/availability.ts';
import type { RepModel, RoutingModel } from '../../core/routing/model.ts';
import { overrideRep, patchOverride, type PtoRange, type RepOverride } from '../../core/routing/overrides.ts';
import { didYouMean } from '../../core/text/didYouMean.ts';
import type { Millis } from '../../core/types.ts';
import { actorResolver, type ActorView } from '../actors.ts';
import { requestActor } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { RepListSchema, RepParams, RepPatchSchema, RepSchema } from '../schemas/admin.ts';
import { errorResponses, iso } from '../schemas/common.ts';

const DAY = 86_400_000;

type RepView = ReturnType<typeof RepSchema.parse>;

/** The routing model of the running config (reps with their calendars). */
function routingOf(ctx: ServerContext): RoutingModel {
  const { config, runtime } = ctx.workspace.current();
  return runtime.setup.model.routing ?? routingModel(config, runtime.setup.calendar);
}

function availability(rep: RepModel): RepView['availability'] {
  return {
    active: rep.active,
    pto: rep.pto.map((p) => ({ from: p.from, to: p.to })),
    capacity: { maxOpenLeads: rep.capacity.maxOpenLeads ?? null, maxPerDay: rep.capacity.maxPerDay ?? null },
  };
}

/** A PTO range with its note when it has one. */
function ptoView(p: PtoRange): { from: string; to: string; note?: string } {
  return p.note === undefined ? { from: p.from, to: p.to } : { from: p.from, to: p.to, note: p.note };
}

function overrideView(record: RepOverrideRecord, actor: (by: string | undefined) => ActorView | null) {
  const o: RepOverride = record.override;
  const view: NonNullable<RepView['override']> = {
    updatedAt: iso(record.updatedAt),
    updatedBy: actor(record.updatedBy),
  };
  if (o.active !== undefined) view.active = o.active;
  if (o.pto !== undefined) view.pto = o.pto.map(ptoView);
  if (o.capacity !== undefined) {
    const { maxOpenLeads, maxPerDay } = o.capacity;
    view.capacity = {};
    if (maxOpenLeads !== undefined) view.capacity.maxOpenLeads = maxOpenLeads;
    if (maxPerDay !== undefined) view.capacity.maxPerDay = maxPerDay;
  }
  return view;
}

/** Every rep of the config (in config order) as the API shows it, at `now`. */
async function repViews(ctx: ServerContext, now: Millis): Promise<RepView[]> {
  const { config } = ctx.workspace.current();
  const routing = routingOf(ctx);
  const overrides = new Map((await ctx.store.repOverrides()).map((r) => [r.repId, r]));
  const actor = await actorResolver(ctx.store);
  const { openLeads, assigned } = await ctx.store.transaction((tx) =>
    tx.ownerLoads(routing.openStages, now - 2 * DAY),
  );
  const loads = repLoads(
    routing,
    { counters: new Map(), openLeads, assignedPerDay: assignedPerDay(routing, assigned) },
    now,
  );
  return config.team.reps.flatMap((entry): RepView[] => {
    const rep = routing.reps.get(entry.id);
    if (rep === undefined) return [];
    const record = overrides.get(rep.id);
    const effective = overrideRep(rep, record?.override);
    const load: RepLoad = loads.get(rep.id) ?? NO_LOAD;
    const verdict = repAvailability(effective, undefined, load, now, []);
    return [
      {
        id: rep.id,
        name: rep.name,
        email: entry.email,
        role: entry.role,
        timezone: rep.calendar.spec.timezone,
        teams: config.team.teams.filter((t) => t.members.includes(rep.id)).map((t) => t.id),
        availability: Object.assign(availability(effective), {
          pto: (record?.override.pto ?? entry.pto).map(ptoView),
        }),
        configured: Object.assign(availability(rep), { pto: entry.pto.map(ptoView) }),
        override: record === undefined ? null : overrideView(record, actor),
        load: { openLeads: load.openLeads, today: load.today },
        availableNow: verdict.available
          ? { available: true, reason: null, detail: null }
          : { available: false, reason: verdict.reason, detail: verdict.detail },
      },
    ];
  });
}

function notFound(ctx: ServerContext, id: string): RevopsError {
  const ids = ctx.workspace.current().config.team.reps.map((r) => r.id);
  return new RevopsError('rep.not_found', `no rep \`${id}\` in the running config${didYouMean(id, ids)}`, {
    hint: `reps are listed in team.reps by id: ${ids.join(', ')} (GET /v1/reps)`,
  });
}

/** Registers the rep routes. The handlers throw `RevopsError` (`rep.not_found`) for an unknown id. */
export function repRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/reps',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['reps'],
        summary: 'The reps with their availability, load and whether routing would consider them now',
        response: { 200: RepListSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async () => ({ reps: await repViews(ctx, ctx.clock.now()) }),
  );

  api.get(
    '/v1/reps/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['reps'],
        summary: 'One rep with its availability, override, load and whether routing would consider it now',
        params: RepParams,
        response: { 200: RepSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const found = (await repViews(ctx, ctx.clock.now())).find((r) => r.id === request.params.id);
      if (found === undefined) throw notFound(ctx, request.params.id);
      return found;
    },
  );

  api.patch(
    '/v1/reps/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['reps'],
        summary:
          'Override a rep’s availability (active, PTO, capacity); routing honours it from its next decision',
        description:
          'A JSON merge patch of the rep’s override: a field left out stays as it is, `null` removes the override of that field (the config applies again), a value replaces it. `pto` replaces the whole list.',
        params: RepParams,
        body: RepPatchSchema,
        response: { 200: RepSchema, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!ctx.workspace.current().config.team.reps.some((r) => r.id === id)) throw notFound(ctx, id);
      const now = ctx.clock.now();
      const current = (await ctx.store.repOverrides()).find((r) => r.repId === id)?.override ?? {};
      const by = requestActor(request);
      await ctx.store.saveRepOverride({
        repId: id,
        override: patchOverride(current, request.body),
        updatedAt: now,
        ...(by === undefined ? {} : { updatedBy: by }),
      });
      const updated = (await repViews(ctx, now)).find((r) => r.id === id);
      if (updated === undefined) throw notFound(ctx, id);
      return updated;
    },
  );
  return Promise.resolve();
}

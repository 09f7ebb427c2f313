/**
 * `GET /v1/contacts` (filtered, cursor-paged in key order) and `GET /v1/contacts/{ref}` (one contact
 * in full: attributes with their sources, its account, the score now with its explanation ledger,
 * stage history, routing decisions, running SLA clocks and tasks).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RevopsError } from '../../core/errors.ts';
import type { ContactSearch } from '../../core/ports.ts';
import { scoreContactAt } from '../../core/scoring/contactScore.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { contactLookup } from '../refs.ts';
import { accountView } from '../schemas/accounts.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  assignmentView,
  attributeSources,
  ContactDetailSchema,
  explanationView,
  stageChangeView,
  type ContactDetailView,
} from '../schemas/contactDetail.ts';
import { ContactListQuery, ContactPageSchema, ContactParams, contactView } from '../schemas/contacts.ts';
import { slaClockView } from '../schemas/sla.ts';
import { taskView } from '../schemas/tasks.ts';

const badQuery = (path: string, message: string, hint: string) =>
  new RevopsError('http.invalid_query', message, {
    issues: [{ code: 'http.invalid_query', path: [path], message, severity: 'error' }],
    hint,
  });

/** Registers the contact routes. Does not throw. */
export async function contactRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/contacts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['contacts'],
        summary: 'List contacts (filter by stage, owner, MQL, score range, updated since)',
        querystring: ContactListQuery,
        response: Object.assign({ 200: ContactPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const q = request.query;
      if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore)
        throw badQuery('minScore', '`minScore` is above `maxScore`', 'give a range with minScore ≤ maxScore');
      const search: { -readonly [K in keyof ContactSearch]: ContactSearch[K] } = { limit: q.limit + 1 };
      if (q.stage !== undefined) {
        const stages = q.stage.split(',').map((s) => s.trim());
        const known = ctx.workspace.current().config.lifecycle.stages.map((s) => s.id);
        const unknown = stages.filter((s) => !known.includes(s));
        if (unknown.length > 0)
          throw badQuery(
            'stage',
            `unknown stage ${unknown.map((s) => `\`${s}\``).join(', ')}`,
            `the stages are ${known.join(', ')}`,
          );
        search.stages = stages;
      }
      if (q.owner !== undefined) search.owner = q.owner === 'none' ? null : q.owner;
      if (q.mql !== undefined) search.mql = q.mql === 'true';
      if (q.minScore !== undefined) search.scoreMin = q.minScore;
      if (q.maxScore !== undefined) search.scoreMax = q.maxScore;
      if (q.updatedSince !== undefined) search.updatedSince = q.updatedSince;
      if (q.cursor !== undefined) [search.afterKey] = decodeCursor('contacts', q.cursor, ['s'] as const);
      const found = await ctx.store.searchContacts(search);
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(contactView),
        nextCursor:
          found.length > q.limit && last !== undefined ? encodeCursor('contacts', [last.key]) : null,
      };
    },
  );

  api.get(
    '/v1/contacts/:ref',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['contacts'],
        summary: 'One contact in full: score explained, stage history, routing, SLA clocks, tasks',
        params: ContactParams,
        response: Object.assign({ 200: ContactDetailSchema }, errorResponses(401, 403, 404, 429)),
      },
    },
    (request): Promise<ContactDetailView> => contactDetail(ctx, request.params.ref),
  );
}

/**
 * One contact in full, as `GET /v1/contacts/{ref}` answers it (the dashboard's lead page shows the
 * same): the score now with its explanation ledger, stage history, routing decisions, running SLA
 * clocks and tasks. Throws `RevopsError` `contact.not_found` for an unknown reference; rejects if
 * the store fails.
 */
export async function contactDetail(ctx: ServerContext, ref: string): Promise<ContactDetailView> {
  const now = ctx.clock.now();
  const { model } = ctx.workspace.current().runtime.engine;
  const found = await ctx.store.transaction(async (tx) => {
    const [contact] = await tx.findContacts(contactLookup(ref));
    if (contact === undefined) return undefined;
    const [account] =
      contact.accountDomain === undefined ? [] : await tx.findAccounts([contact.accountDomain]);
    const clocks = await tx.openClocksOf([contact.key]);
    return { contact, account, clocks };
  });
  if (found === undefined)
    throw new RevopsError('contact.not_found', `no contact \`${ref}\``, {
      hint: 'name it by email (ava@northwind.io), key (email:…, id:…) or contact.id; GET /v1/contacts lists them',
    });
  const { contact, account, clocks } = found;
  const [history, assignments, tasks] = await Promise.all([
    ctx.store.stageHistory(contact.key),
    ctx.store.listAssignments(contact.key),
    ctx.store.listTasks({ contactKey: contact.key }),
  ]);
  const explanation =
    model.scoring === undefined
      ? null
      : explanationView(scoreContactAt(contact, account, model.scoring, model.isFreeMail, now), now);
  return Object.assign(contactView(contact), {
    attributeSources: attributeSources(contact.attributes),
    accountRecord: account === undefined ? null : accountView(account),
    explanation,
    stageHistory: history.map(stageChangeView),
    assignments: assignments.map(assignmentView),
    slaClocks: clocks.map((c) => slaClockView(c, now)),
    tasks: tasks.map((t) => taskView(t, now)),
  });
}

/**
 * Deal-desk approvals: `GET /v1/approvals` (newest first, by status or deal, cursor-paged),
 * `GET /v1/approvals/{id}`, `POST /v1/approvals/{id}/decision` (an approver's vote, recorded as a
 * `deal` event through engine.decideApproval) and `GET /v1/approvals/exceptions` (the exceptions
 * log ranked, with "make it standard" recommendations: core/dealdesk/report.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { exceptionsReport } from '../../core/dealdesk/report.ts';
import { RevopsError } from '../../core/errors.ts';
import type { ApprovalRequest } from '../../core/pipeline/types.ts';
import type { ApprovalQuery } from '../../core/ports.ts';
import { approversOf, mayVoteAs } from '../apiKeys.ts';
import { requestActor } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  ApprovalDecisionBody,
  ApprovalListQuery,
  ApprovalPageSchema,
  ApprovalParams,
  ApprovalSchema,
  approvalView,
  ExceptionsQuery,
  ExceptionsReportSchema,
  exceptionsReportView,
} from '../schemas/approvals.ts';

/** Newest first; ties by id. */
const newestFirst = (a: ApprovalRequest, b: ApprovalRequest): number =>
  b.requestedAt - a.requestedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether `a` comes after the cursor position (requestedAt, id) in `newestFirst` order. */
const after = (a: ApprovalRequest, at: number, id: string): boolean =>
  a.requestedAt < at || (a.requestedAt === at && a.id > id);

/** Registers the approval routes. Does not throw. */
export async function approvalRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/approvals',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['approvals'],
        summary: 'List deal-desk approval requests, newest first (by status or deal)',
        querystring: ApprovalListQuery,
        response: Object.assign({ 200: ApprovalPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const q = request.query;
      const now = ctx.clock.now();
      const query: { -readonly [K in keyof ApprovalQuery]: ApprovalQuery[K] } = {};
      if (q.status !== 'all') query.status = q.status;
      if (q.deal !== undefined) query.dealId = q.deal;
      let rows = [...(await ctx.store.listApprovals(query))].sort(newestFirst);
      if (q.cursor !== undefined) {
        const [at, id] = decodeCursor('approvals', q.cursor, ['n', 's'] as const);
        rows = rows.filter((a) => after(a, at, id));
      }
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((a) => approvalView(a, now)),
        nextCursor:
          rows.length > q.limit && last !== undefined
            ? encodeCursor('approvals', [last.requestedAt, last.id])
            : null,
      };
    },
  );

  api.get(
    '/v1/approvals/exceptions',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['approvals'],
        summary: 'The exceptions log: the most-requested non-standard terms, and which to make standard',
        description:
          'Each approval request made in [from, to) counts once per kind of exception it carries; discounts are split into the 10-20%, 20-40% and 40%+ tiers. A row requested in at least 30% of requests and approved at least 80% of the time gets `recommendation: make_standard`.',
        querystring: ExceptionsQuery,
        response: Object.assign({ 200: ExceptionsReportSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from !== undefined && to !== undefined && from >= to)
        throw new RevopsError('http.invalid_query', '`from` is not before `to`', {
          issues: [
            {
              code: 'http.invalid_query',
              path: ['to'],
              message: '`to` must be after `from`',
              severity: 'error',
            },
          ],
          hint: 'give a range with from < to (either may be left out)',
        });
      const range = Object.assign({}, from === undefined ? {} : { from }, to === undefined ? {} : { to });
      const report = exceptionsReport(await ctx.store.listApprovals(), range);
      return exceptionsReportView(report, from, to);
    },
  );

  api.get(
    '/v1/approvals/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['approvals'],
        summary: 'One approval request: its steps, votes, who it waits on, escalations',
        params: ApprovalParams,
        response: Object.assign({ 200: ApprovalSchema }, errorResponses(401, 403, 404, 429)),
      },
    },
    async (request) => {
      const found = await ctx.store.findApproval(request.params.id);
      if (found === undefined)
        throw new RevopsError('approval.unknown_request', `no approval request \`${request.params.id}\``, {
          hint: 'GET /v1/approvals lists them (ids are `<dealId>:<n>`)',
        });
      return approvalView(found, ctx.clock.now());
    },
  );

  api.post(
    '/v1/approvals/:id/decision',
    {
      config: { scope: 'approve' },
      schema: {
        tags: ['approvals'],
        summary: 'Record an approver’s vote: approve or reject (a rejection needs a comment)',
        description:
          'The vote counts for `approver` on every pending step that names it: an `all` step needs every approver, an `any` step one; a rejection rejects the request. The key must be bound to the approver: `approve:rep:<id>` votes as that rep and as the roles the rep holds in `team.reps`, `approve:role:<role>` as that role, `admin` as anyone (403 `auth.not_this_approver` otherwise). The answering API key is recorded as `by`. 403 `approval.not_an_approver` names who the request waits on; 409 `approval.not_pending` once it is decided.',
        params: ApprovalParams,
        body: ApprovalDecisionBody,
        response: Object.assign({ 200: ApprovalSchema }, errorResponses(400, 401, 403, 404, 409, 422, 429)),
      },
    },
    async (request) => {
      const { approver, decision, comment } = request.body;
      const key = request.apiKey;
      if (key !== undefined) {
        const reps = ctx.workspace.current().config.team.reps;
        const roles = (rep: string): readonly string[] => {
          const found = reps.find((r) => r.id === rep);
          return found === undefined ? [] : [found.role];
        };
        if (!mayVoteAs(key.scopes, approver, roles)) {
          const may = approversOf(key.scopes);
          throw new RevopsError(
            'auth.not_this_approver',
            `the API key ${key.id} (${key.name}) may vote as ${may.join(', ')}, not as ${approver}`,
            {
              hint: `send the vote with ${approver}'s own key: \`revops keys create --name NAME --scopes approve:${approver}\` (an admin key may vote as anyone)`,
            },
          );
        }
      }
      const by = requestActor(request);
      const decided = await ctx.workspace
        .current()
        .runtime.engine.decideApproval(
          Object.assign(
            { approvalId: request.params.id, approver, decision },
            comment === undefined ? {} : { comment },
            by === undefined ? {} : { by },
          ),
        );
      return approvalView(decided, ctx.clock.now());
    },
  );
}

/**
 * Deal and approval commands from the API and the CLI. Each becomes a `deal` event — stored in the
 * event log, so replay reproduces it — ingested in one transaction in strict mode: a refused change
 * (empty required fields, a blocked skip, a push without a reason, an approver not on the request)
 * throws its `RevopsError` and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import type { DecisionModel } from '../core/contact/decide.ts';
import { RevopsError } from '../core/errors.ts';
import { validateEvent, type EventCatalogSpec } from '../core/events/validate.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import type { Store } from '../core/ports.ts';
import type { JsonValue, Millis } from '../core/types.ts';
import { ingestValidated } from './ingest.ts';

export const DEAL_REQUEST_ACTIONS = [
  'created',
  'stage_changed',
  'updated',
  'close_date_changed',
  'closed_won',
  'closed_lost',
] as const;
export type DealRequestAction = (typeof DEAL_REQUEST_ACTIONS)[number];

export interface DealRequest {
  readonly action: DealRequestAction;
  readonly dealId: string;
  /** The stage to move to (`stage_changed`) or start in (`created`, default: the first). */
  readonly stage?: string;
  readonly pipeline?: string;
  /** Field values to set (`null` clears): amount, closeDate, owner, painPoints, … */
  readonly fields?: Readonly<Record<string, JsonValue>>;
  /** Why the close date moved (a push needs one). */
  readonly reason?: string;
  /** The contact's email (required to create; default: the deal's primary contact). */
  readonly contact?: string;
  /** The account's domain (default: from the contact). */
  readonly account?: string;
  /** Who asked: `key:<id>`, `cli`. */
  readonly by?: string;
  readonly at?: Millis;
}

export interface ApprovalDecisionRequest {
  readonly approvalId: string;
  readonly approver: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly by?: string;
  readonly at?: Millis;
}

interface CommandContext {
  readonly store: Store;
  readonly model: DecisionModel;
  readonly catalog: Omit<EventCatalogSpec, 'now' | 'defaultSource'>;
}

/** The deal's subject contact as an event `contact` object. */
function subjectOf(deal: DealState | undefined, email: string | undefined): Record<string, string> {
  if (email !== undefined) return { email };
  const key = deal?.contacts[0]?.contactKey;
  if (key?.startsWith('email:') === true) return { email: key.slice(6) };
  if (key?.startsWith('id:') === true) return { id: key.slice(3) };
  throw new RevopsError(
    'pipeline.invalid_request',
    `deal \`${deal?.id ?? ''}\` has no contact to file the change under`,
    {
      hint: 'name the contact: `contact` (an email)',
    },
  );
}

async function run(
  ctx: CommandContext,
  properties: Record<string, JsonValue>,
  contact: Record<string, string>,
  account: string | undefined,
  at: Millis,
  source: string,
): Promise<void> {
  const raw: Record<string, unknown> = {
    id: `cmd-${randomUUID()}`,
    type: 'deal',
    at: new Date(at).toISOString(),
    source,
    contact,
  };
  if (account !== undefined) raw['company'] = { domain: account };
  raw['properties'] = properties;
  const checked = validateEvent(raw, Object.assign({}, ctx.catalog, { now: at, defaultSource: source }));
  if (!checked.ok)
    throw new RevopsError('pipeline.invalid_request', checked.issues.map((i) => i.message).join('; '), {
      issues: checked.issues.map((i) => ({
        code: 'pipeline.invalid_request' as const,
        path: [i.path],
        message: i.message,
        severity: 'error' as const,
      })),
    });
  await ctx.store.transaction((tx) =>
    ingestValidated(tx, [{ index: 0, event: checked.event }], ctx.model, at, { strictDeals: true }),
  );
}

/** Applies a deal command; returns the deal as stored after it. */
export async function runDealCommand(
  ctx: CommandContext,
  request: DealRequest,
  now: Millis,
): Promise<DealState> {
  if (ctx.model.pipeline === undefined)
    throw new RevopsError('pipeline.not_configured', 'this workspace has no `pipeline` section', {
      hint: 'add one to revops.yaml (`revops init` writes a template)',
    });
  if (!(DEAL_REQUEST_ACTIONS as readonly string[]).includes(request.action))
    throw new RevopsError('pipeline.invalid_request', `unknown action \`${request.action}\``, {
      hint: `use one of ${DEAL_REQUEST_ACTIONS.join(', ')}`,
    });
  if (request.dealId.trim() === '' || request.dealId.length > 200)
    throw new RevopsError('pipeline.invalid_request', 'a deal id is 1 to 200 characters');
  const at = request.at ?? now;
  const existing = await ctx.store.findDeal(request.dealId);
  if (existing === undefined && request.action !== 'created')
    throw new RevopsError('pipeline.unknown_deal', `no deal \`${request.dealId}\``, {
      hint: 'create it first (POST /v1/deals, `revops deals create`)',
    });
  if (existing === undefined && request.contact === undefined)
    throw new RevopsError('pipeline.invalid_request', 'a new deal needs its contact (`contact`: an email)', {
      hint: 'the contact is the person the deal is with; more can be attached later',
    });
  const properties: Record<string, JsonValue> = Object.assign({}, request.fields ?? {}, {
    action: request.action,
    dealId: request.dealId,
  });
  if (request.stage !== undefined) properties['stage'] = request.stage;
  if (request.pipeline !== undefined) properties['pipeline'] = request.pipeline;
  if (request.reason !== undefined) properties['reason'] = request.reason;
  await run(
    ctx,
    properties,
    subjectOf(existing, request.contact),
    request.account,
    at,
    request.by === undefined ? 'api' : request.by.startsWith('cli') ? 'cli' : 'api',
  );
  const deal = await ctx.store.findDeal(request.dealId);
  if (deal === undefined) throw new Error(`deal ${request.dealId} was not stored`);
  return deal;
}

/** Records an approver's answer; returns the request as stored after it. */
export async function runApprovalDecision(
  ctx: CommandContext,
  request: ApprovalDecisionRequest,
  now: Millis,
): Promise<ApprovalRequest> {
  const found = await ctx.store.findApproval(request.approvalId);
  if (found === undefined)
    throw new RevopsError('approval.unknown_request', `no approval request \`${request.approvalId}\``, {
      hint: 'list them with `revops approvals list` or GET /v1/approvals',
    });
  const deal = await ctx.store.findDeal(found.dealId);
  const at = request.at ?? now;
  const properties: Record<string, JsonValue> = {
    action: 'approval_decided',
    dealId: found.dealId,
    approvalId: request.approvalId,
    approver: request.approver,
    decision: request.decision,
  };
  if (request.comment !== undefined) properties['comment'] = request.comment;
  if (request.by !== undefined) properties['by'] = request.by;
  await run(ctx, properties, subjectOf(deal, undefined), undefined, at, 'api');
  const after = await ctx.store.findApproval(request.approvalId);
  if (after === undefined) throw new Error(`approval ${request.approvalId} vanished`);
  return after;
}

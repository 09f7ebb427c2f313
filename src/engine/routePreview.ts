/**
 * A routing what-if: where one lead would go under a decision model, with the full trace — the path
 * through the rules and every rep each team pick looked at. Nothing is read or written: there is no
 * load (every rep at 0 open leads and 0 today, fresh round-robin counts). The reps' availability is
 * the config's, with the overrides the caller gives (the API passes those set with
 * `PATCH /v1/reps/{id}`: PTO, active, capacity — what the engine would route with). The lead is built as the
 * engine builds it from one `identify` event (account by email domain, named account and tier,
 * score), then routed as on entering the first `routing.on` stage — what `revops route explain`
 * prints and `POST /v1/routing/preview` answers.
 */
import type { DecisionModel } from '../core/contact/decide.ts';
import { StateFold } from '../core/contact/fold.ts';
import { EMPTY_ROUTING_STATE, routeContact } from '../core/contact/routeContact.ts';
import { ruleContext } from '../core/contact/ruleContext.ts';
import { RevopsError } from '../core/errors.ts';
import { validateEvent, type EventCatalogSpec } from '../core/events/validate.ts';
import { identify } from '../core/identity/resolve.ts';
import { applyRepOverrides, type RepOverride } from '../core/routing/overrides.ts';
import type { RoutingDecision } from '../core/routing/route.ts';
import type { AccountState, ContactScore, Millis } from '../core/types.ts';

/** The lead to route: attributes as events carry them, and what routing may look at beyond them. */
export interface PreviewLead {
  /** `contact.*` attributes; needs `email` or `id`. */
  readonly contact: Readonly<Record<string, unknown>>;
  readonly company?: Readonly<Record<string, unknown>>;
  /** The lead's current owner (kept when a rule keeps owners). */
  readonly owner?: string;
  /** The account's owner (`sameAccountSameOwner` gives it every contact); needs an account. */
  readonly accountOwner?: string;
  /** Overrides of the lead's score for rules on `lead.score`. */
  readonly score?: Partial<ContactScore>;
}

export interface RoutePreview {
  readonly contact: string;
  readonly account?: string;
  /** The named (ABM) account entry of the lead's account. */
  readonly named?: NonNullable<AccountState['named']>;
  /** The stage the lead is routed as entering. */
  readonly stage: string;
  readonly owner?: string;
  readonly accountOwner?: string;
  readonly decision: RoutingDecision;
}

/**
 * Routes `lead` at `at` under `model` (see the module comment). Throws `RevopsError`
 * `routing.not_configured` (the model routes nobody) or `routing.invalid_request` (the lead's
 * attributes are not valid event attributes, with one issue each; or an account owner without an
 * account); never touches storage.
 */
export function previewRoute(
  model: DecisionModel,
  catalog: Omit<EventCatalogSpec, 'now' | 'defaultSource'>,
  lead: PreviewLead,
  at: Millis,
  options: {
    readonly everyRule?: boolean;
    /** Rep availability overrides (`PATCH /v1/reps/{id}`), applied over the config's reps. */
    readonly repOverrides?: ReadonlyMap<string, RepOverride>;
  } = {},
): RoutePreview {
  const routing = model.routing;
  if (routing === undefined)
    throw new RevopsError('routing.not_configured', 'the active config routes nobody (no routing section)', {
      hint: 'add `routing:` and `team:` sections to the config (see docs/routing.md)',
    });
  const checked = validateEvent(
    { id: 'route-preview', type: 'identify', at, contact: lead.contact, company: lead.company ?? {} },
    Object.assign({}, catalog, { now: at, defaultSource: 'route-preview' }),
  );
  if (!checked.ok)
    throw new RevopsError('routing.invalid_request', 'the lead’s attributes are not usable', {
      issues: checked.issues.map((i) => ({
        code: i.code,
        path: i.path === '' ? [] : i.path.split('.'),
        message: i.message,
        severity: 'error' as const,
      })),
      hint: 'give contact attributes as events carry them (docs/events.md): contact needs email or id',
    });
  const folded = new StateFold(model).apply(checked.event, identify(checked.event, model.isFreeMail));
  let contact = folded.contact;
  let account = folded.account;
  // Routed as on entering the first routing stage, which is when the engine routes.
  const stage = routing.on.includes(contact.stage) ? contact.stage : (routing.on[0] ?? contact.stage);
  contact = Object.assign({}, contact, { stage, stageEnteredAt: at });
  if (lead.owner !== undefined) contact = Object.assign({}, contact, { owner: lead.owner });
  if (lead.score !== undefined) {
    const base = contact.score ?? { fit: 0, engagement: 0, negative: 0, total: 0, mql: false, at };
    contact = Object.assign({}, contact, { score: Object.assign({}, base, lead.score) });
  }
  if (lead.accountOwner !== undefined) {
    if (account === undefined)
      throw new RevopsError('routing.invalid_request', 'an account owner needs an account', {
        hint: 'give the contact a work email or `company.domain`, or leave out `account.owner`',
      });
    account = Object.assign({}, account, { owner: lead.accountOwner });
  }
  const overrides = options.repOverrides;
  const reps =
    overrides === undefined || overrides.size === 0
      ? routing.reps
      : applyRepOverrides(routing.reps, overrides);
  const { decision } = routeContact({
    model: routing,
    state: reps === routing.reps ? EMPTY_ROUTING_STATE : Object.assign({}, EMPTY_ROUTING_STATE, { reps }),
    contact,
    account,
    context: ruleContext(contact, account, undefined, model.isFreeMail),
    at,
    cause: 'route-preview',
    everyRule: options.everyRule === true,
  });
  const preview: { -readonly [K in keyof RoutePreview]: RoutePreview[K] } = {
    contact: contact.email ?? contact.externalId ?? contact.key,
    stage,
    decision,
  };
  if (account !== undefined) preview.account = account.domain;
  if (account?.named !== undefined) preview.named = account.named;
  if (contact.owner !== undefined) preview.owner = contact.owner;
  if (account?.owner !== undefined) preview.accountOwner = account.owner;
  return preview;
}

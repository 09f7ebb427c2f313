/** The variables a rule sees for a contact: `contact`, `company`, `account`, `lead`, `event`. */
import { attributeValues } from '../identity/attributes.ts';
import { emailDomain } from '../identity/domains.ts';
import { BANT_CRITERIA, BANT_FLAG } from '../lifecycle/salesDecision.ts';
import type { RuleContext, RuleValue } from '../rule.ts';
import type { AccountState, ContactState, InboundEvent } from '../types.ts';

const DAY_MS = 86_400_000;

function bantOf(contact: ContactState, event: InboundEvent | undefined): string[] {
  const sent = event?.type === 'sales_decision' ? event.properties['bant'] : undefined;
  if (sent === undefined && contact.flags.length === 0) return [];
  return BANT_CRITERIA.filter(
    (c) => contact.flags.includes(`${BANT_FLAG}${c}`) || (Array.isArray(sent) && sent.includes(c)),
  );
}

const ZERO_SCORE = { fit: 0, engagement: 0, negative: 0, total: 0, mql: false } as const;

type Values = Readonly<Record<string, RuleValue>>;

/**
 * The `contact` variable of the last context built from these attributes, with the email it was
 * built with. A decision builds several contexts for one contact (scoring, lifecycle, routing, SLA
 * clocks) whose attributes are the same object: they share one values object, built once.
 */
const CONTACT_VALUES = new WeakMap<
  object,
  { readonly email: string | undefined; readonly freeMail: unknown; readonly values: Values }
>();
/** The same for `company`: the contact's company attributes merged with the account's. */
const COMPANY_VALUES = new WeakMap<
  object,
  { readonly account: object | undefined; readonly values: Values }
>();

/** The `account` variable of each account state (states are replaced, never changed). */
const ACCOUNT_VALUES = new WeakMap<AccountState, Values>();
/** A lead without an account (free mail): not named, nobody engaged, so rules on it are simply false. */
const NO_ACCOUNT: Values = Object.freeze({ named: false, tier: 0, engagedContacts: 0, score: 0 });

function accountValues(account: AccountState | undefined): Values {
  if (account === undefined) return NO_ACCOUNT;
  let values = ACCOUNT_VALUES.get(account);
  if (values === undefined) {
    // Built field by field: an object literal with a spread in it takes V8's slow path.
    const built: Record<string, RuleValue> = { domain: account.domain };
    if (account.owner !== undefined) built['owner'] = account.owner;
    built['named'] = account.named !== undefined;
    built['tier'] = account.named?.tier ?? 0;
    built['engagedContacts'] = account.score?.engagedContacts ?? 0;
    built['score'] = account.score?.total ?? 0;
    values = built;
    ACCOUNT_VALUES.set(account, values);
  }
  return values;
}

function contactValues(contact: ContactState, freeMail: (domain: string) => boolean): Values {
  const cached = CONTACT_VALUES.get(contact.attributes);
  if (cached !== undefined && cached.email === contact.email && cached.freeMail === freeMail) {
    return cached.values;
  }
  const values = attributeValues(contact.attributes) as Record<string, RuleValue>;
  if (contact.email !== undefined) {
    const domain = emailDomain(contact.email);
    values['email'] = contact.email;
    values['emailDomain'] = domain;
    values['freeMail'] = freeMail(domain);
  }
  CONTACT_VALUES.set(contact.attributes, { email: contact.email, freeMail, values });
  return values;
}

function companyValues(contact: ContactState, account: AccountState | undefined): Values {
  const cached = COMPANY_VALUES.get(contact.companyAttributes);
  if (cached !== undefined && cached.account === account?.attributes) return cached.values;
  const company = attributeValues(contact.companyAttributes) as Record<string, RuleValue>;
  if (account) Object.assign(company, attributeValues(account.attributes));
  COMPANY_VALUES.set(contact.companyAttributes, { account: account?.attributes, values: company });
  return company;
}

/**
 * The variables rules see for `contact` (with `account` and `event`, when given). The `contact` and
 * `company` objects are shared between contexts of the same attributes: read them, never change them.
 */
export function ruleContext(
  contact: ContactState,
  account: AccountState | undefined,
  event: InboundEvent | undefined,
  freeMail: (domain: string) => boolean,
): RuleContext {
  // Built field by field, in this order: an object literal with a spread in it takes V8's slow
  // path, and every decision builds several contexts.
  const lead: Record<string, RuleValue> = {
    stage: contact.stage,
    // A contact nothing has scored yet stands at zero.
    score: contact.score
      ? {
          fit: contact.score.fit,
          engagement: contact.score.engagement,
          negative: contact.score.negative,
          total: contact.score.total,
          mql: contact.score.mql,
        }
      : ZERO_SCORE,
  };
  if (contact.owner !== undefined) lead['owner'] = contact.owner;
  lead['flags'] = contact.flags;
  lead['recycled'] = contact.flags.includes('recycled');
  lead['daysInStage'] = Math.max(0, ((event?.at ?? contact.updatedAt) - contact.stageEnteredAt) / DAY_MS);
  // Confirmed so far (`bant:` flags) and on this sales decision.
  lead['bant'] = bantOf(contact, event);
  const context: Record<string, RuleValue> = {
    contact: contactValues(contact, freeMail),
    company: companyValues(contact, account),
    account: accountValues(account),
    lead,
  };
  if (event) context['event'] = eventValues(event);
  return context;
}

/** The `event` variable of each event (events are never changed once decided on). */
const EVENT_VALUES = new WeakMap<InboundEvent, Values>();

function eventValues(event: InboundEvent): Values {
  let values = EVENT_VALUES.get(event);
  if (values === undefined) {
    values = {
      type: event.type,
      at: new Date(event.at).toISOString(),
      properties: event.properties as RuleValue,
    };
    EVENT_VALUES.set(event, values);
  }
  return values;
}

/**
 * Negative signals at `now`: built-in checks (competitor, free-mail and student domains, invalid
 * phone), attribute conditions, behaviour (`event`/`on`), inactivity and "only visited". The
 * conditions a rule states must all hold; a rule that states none never fires.
 */
import type { RuleContext } from '../rule.ts';
import type { Millis } from '../types.ts';
import { durationMs } from './decay.ts';
import { lookup, lowerCased } from './fit.ts';
import type { ScoringMemory } from './memory.ts';
import type { NegativeBuiltin, NegativeRuleModel } from './model.ts';
import { iso } from './signals.ts';

/** What the built-in checks need to know; the caller decides how it learnt it. */
export interface NegativeFacts {
  /** The contact's email domain (defaults to `contact.emailDomain` of the context). */
  readonly emailDomain?: string | undefined;
  /** Free-mail address: a verdict, or a check on the email domain (defaults to `contact.freeMail`). */
  readonly isFreeMail?: boolean | ((domain: string) => boolean) | undefined;
  /** Competitor domains; an email, company or account domain equal to one or under it matches. */
  readonly competitorDomains?: readonly string[] | undefined;
  /** Suffixes like `edu`, `ac.uk`: the email domain equals one or ends with `.suffix`. */
  readonly studentDomains?: readonly string[] | undefined;
  /** `false` when the phone number is known to be invalid. */
  readonly phoneValid?: boolean | undefined;
  /** "Creation" for inactivity when there was no activity (defaults to the first event observed). */
  readonly createdAt?: Millis | undefined;
}

export interface NegativeOutcome {
  readonly fires: boolean;
  readonly reason: string;
  /** When an inactivity rule that does not fire yet would fire (if nothing else happens first). */
  readonly firesAt?: Millis;
}

const NOT_FIRING: NegativeOutcome = Object.freeze({ fires: false, reason: '' });
const STATES_NONE: NegativeOutcome = Object.freeze({ fires: false, reason: 'states no condition' });

/**
 * Whether `rule` fires at `now`, and why in words when it does. Every rule is checked on every
 * scored event and nearly none fires: the conditions are counted first and the reason is only
 * written for a rule that fires.
 */
export function evaluateNegative(
  rule: NegativeRuleModel,
  context: RuleContext,
  memory: ScoringMemory,
  facts: NegativeFacts,
  now: Millis,
): NegativeOutcome {
  let conditions = 0;
  let failing = 0;
  let pendingAt: Millis | undefined;
  let builtin: string | undefined;
  if (rule.builtin !== undefined) {
    conditions++;
    builtin = builtinReason(rule.builtin, context, facts);
    if (builtin === undefined) failing++;
  }
  if (rule.when !== undefined) {
    conditions++;
    if (!rule.when.evaluate(context)) failing++;
  }
  const behaviour = rule.event !== undefined || rule.on !== undefined;
  /** Where the inactivity span started, when it has run out. */
  let inactiveFrom: Millis | undefined;
  if (rule.inactiveFor !== undefined) {
    conditions++;
    const span = durationMs(rule.inactiveFor);
    const last = behaviour ? memory.activity[rule.id] : memory.lastActivityAt;
    const from = last ?? facts.createdAt ?? memory.firstSeenAt;
    if (from === undefined || !(span > 0)) failing++;
    else if (now - from >= span) inactiveFrom = from;
    else {
      failing++;
      pendingAt = Math.ceil(from + span);
    }
  } else if (behaviour) {
    conditions++;
    const hit = memory.negativeHits[rule.id];
    if (hit === undefined || hit > now) failing++;
  }
  if (rule.onlyVisited !== undefined) {
    conditions++;
    if (!onlyVisited(rule.onlyVisited, memory)) failing++;
  }

  if (conditions === 0) return STATES_NONE;
  // With the inactivity span the only thing missing, the rule fires when it runs out.
  if (failing > 0)
    return failing === 1 && pendingAt !== undefined
      ? { fires: false, reason: '', firesAt: pendingAt }
      : NOT_FIRING;
  return { fires: true, reason: firingReason(rule, memory, builtin, inactiveFrom) };
}

/** The reason of a rule whose every condition holds: each condition in words, joined by "and". */
function firingReason(
  rule: NegativeRuleModel,
  memory: ScoringMemory,
  builtin: string | undefined,
  inactiveFrom: Millis | undefined,
): string {
  const parts: string[] = [];
  if (builtin !== undefined) parts.push(builtin);
  if (rule.when !== undefined) parts.push(`\`${rule.when.source}\``);
  const behaviour = rule.event !== undefined || rule.on !== undefined;
  const watched = [rule.event, rule.on ? `\`${rule.on.source}\`` : undefined].filter((x) => x).join(' ');
  if (rule.inactiveFor !== undefined && inactiveFrom !== undefined) {
    const last = behaviour ? memory.activity[rule.id] : memory.lastActivityAt;
    const since = last === undefined ? 'creation' : behaviour ? `last ${watched}` : 'last activity';
    parts.push(
      `no ${behaviour ? watched : 'activity'} for ${rule.inactiveFor.source} (${since} ${iso(inactiveFrom)})`,
    );
  } else if (behaviour) {
    const hit = memory.negativeHits[rule.id];
    parts.push(`${watched} at ${hit === undefined ? '' : iso(hit)}`);
  }
  if (rule.onlyVisited !== undefined) parts.push(`only visited ${memory.pageCategories.join(', ')} pages`);
  return parts.join(' and ');
}

/** Whether every page category viewed is one of `categories` (and at least one was viewed). */
function onlyVisited(categories: readonly string[], memory: ScoringMemory): boolean {
  const allowed = lowerCased(categories);
  const viewed = memory.pageCategories;
  if (memory.manyCategories === true || viewed.length === 0) return false;
  for (const category of viewed) if (!allowed.has(category)) return false;
  return true;
}

/** Each domain list normalised, empty entries dropped (the lists come from the config). */
const NORMALISED = new WeakMap<readonly string[], readonly string[]>();
const NONE: readonly string[] = Object.freeze([]);

function normalisedDomains(list: readonly string[] | undefined): readonly string[] {
  if (list === undefined || list.length === 0) return NONE;
  let normal = NORMALISED.get(list);
  if (normal === undefined) {
    normal = list.map(normalise).filter((d) => d !== '');
    NORMALISED.set(list, normal);
  }
  return normal;
}

function builtinReason(
  builtin: NegativeBuiltin,
  context: RuleContext,
  facts: NegativeFacts,
): string | undefined {
  const email = emailDomainOf(context, facts);
  switch (builtin) {
    case 'competitor_domain': {
      const competitors = normalisedDomains(facts.competitorDomains);
      if (competitors.length === 0) return undefined;
      const own = [email, text(lookup(context, 'company.domain')), text(lookup(context, 'account.domain'))];
      for (const domain of own) {
        if (domain === undefined) continue;
        const hit = competitors.find((c) => underDomain(domain, c));
        if (hit !== undefined) return `${domain} is a competitor domain (${hit})`;
      }
      return undefined;
    }
    case 'free_mail': {
      const verdict =
        typeof facts.isFreeMail === 'function'
          ? email !== undefined && facts.isFreeMail(email)
          : (facts.isFreeMail ?? lookup(context, 'contact.freeMail') === true);
      return verdict ? `${email ?? 'the email domain'} is a free-mail domain` : undefined;
    }
    case 'student_domain': {
      if (email === undefined) return undefined;
      const hit = normalisedDomains(facts.studentDomains).find((s) => underDomain(email, s));
      return hit === undefined ? undefined : `${email} is a student domain (${hit})`;
    }
    case 'invalid_phone':
      return facts.phoneValid === false ? 'the phone number is invalid' : undefined;
  }
}

function emailDomainOf(context: RuleContext, facts: NegativeFacts): string | undefined {
  const domain = facts.emailDomain ?? text(lookup(context, 'contact.emailDomain'));
  return domain === undefined ? undefined : normalise(domain);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? normalise(value) : undefined;
}

function normalise(domain: string): string {
  return domain.trim().toLowerCase().replace(/^\.+/, '');
}

/** `mail.rival.com` is under `rival.com`; `mit.edu` is under `edu`. */
function underDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

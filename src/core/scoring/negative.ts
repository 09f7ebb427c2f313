/**
 * Negative signals at `now`: built-in checks (competitor, free-mail and student domains, invalid
 * phone), attribute conditions, behaviour (`event`/`on`), inactivity and "only visited". The
 * conditions a rule states must all hold; a rule that states none never fires.
 */
import type { RuleContext } from '../rule.ts';
import type { Millis } from '../types.ts';
import { durationMs } from './decay.ts';
import { lookup } from './fit.ts';
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

export function evaluateNegative(
  rule: NegativeRuleModel,
  context: RuleContext,
  memory: ScoringMemory,
  facts: NegativeFacts,
  now: Millis,
): NegativeOutcome {
  const parts: { readonly holds: boolean; readonly reason: string }[] = [];
  let pendingAt: Millis | undefined;

  if (rule.builtin !== undefined) {
    const reason = builtinReason(rule.builtin, context, facts);
    parts.push({ holds: reason !== undefined, reason: reason ?? '' });
  }
  if (rule.when !== undefined) {
    parts.push({ holds: rule.when.evaluate(context), reason: `\`${rule.when.source}\`` });
  }
  const behaviour = rule.event !== undefined || rule.on !== undefined;
  const watched = [rule.event, rule.on ? `\`${rule.on.source}\`` : undefined].filter((x) => x).join(' ');
  if (rule.inactiveFor !== undefined) {
    const span = durationMs(rule.inactiveFor);
    const last = behaviour ? memory.activity[rule.id] : memory.lastActivityAt;
    const from = last ?? facts.createdAt ?? memory.firstSeenAt;
    if (from === undefined || !(span > 0)) {
      parts.push({ holds: false, reason: '' });
    } else {
      const holds = now - from >= span;
      const since = last === undefined ? 'creation' : behaviour ? `last ${watched}` : 'last activity';
      parts.push({
        holds,
        reason: `no ${behaviour ? watched : 'activity'} for ${rule.inactiveFor.source} (${since} ${iso(from)})`,
      });
      if (!holds) pendingAt = Math.ceil(from + span);
    }
  } else if (behaviour) {
    const hit = memory.negativeHits[rule.id];
    parts.push({
      holds: hit !== undefined && hit <= now,
      reason: `${watched} at ${hit === undefined ? '' : iso(hit)}`,
    });
  }
  if (rule.onlyVisited !== undefined) {
    const allowed = new Set(rule.onlyVisited.map((c) => c.toLowerCase()));
    const viewed = memory.pageCategories;
    parts.push({
      holds: memory.manyCategories !== true && viewed.length > 0 && viewed.every((c) => allowed.has(c)),
      reason: `only visited ${viewed.join(', ')} pages`,
    });
  }

  const failing = parts.filter((p) => !p.holds).length;
  if (parts.length === 0) return { fires: false, reason: 'states no condition' };
  if (failing > 0) {
    // The inactivity span is the only thing missing: the rule fires when it runs out.
    return {
      fires: false,
      reason: '',
      ...(failing === 1 && pendingAt !== undefined ? { firesAt: pendingAt } : {}),
    };
  }
  return { fires: true, reason: parts.map((p) => p.reason).join(' and ') };
}

function builtinReason(
  builtin: NegativeBuiltin,
  context: RuleContext,
  facts: NegativeFacts,
): string | undefined {
  const email = emailDomainOf(context, facts);
  switch (builtin) {
    case 'competitor_domain': {
      const competitors = (facts.competitorDomains ?? []).map(normalise).filter((d) => d !== '');
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
      const hit = (facts.studentDomains ?? []).map(normalise).find((s) => s !== '' && underDomain(email, s));
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

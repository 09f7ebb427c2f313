/**
 * Email and domain identity: normalised emails, registrable domains (acme.co.uk, not
 * mail.acme.co.uk) and free-mail detection, so that people at the same company share an account
 * and gmail.com never becomes one.
 */
import freeMailDomains from 'email-providers';
import { getDomain } from 'tldts';

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** Lower-cased, trimmed email, or undefined when it is not an address. */
export function normalizeEmail(text: string): string | undefined {
  const email = text.trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 254 ? email : undefined;
}

/** `Mail.Acme.co.uk`, `https://www.acme.com/x` or `acme.com` → the registrable domain (`acme.co.uk`). */
export function registrableDomain(text: string): string | undefined {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '');
  const domain = getDomain(host, { allowPrivateDomains: false });
  return domain ?? undefined;
}

const FREE_MAIL: ReadonlySet<string> = new Set(freeMailDomains);

/** Free-mail policy: the bundled list plus extra domains, minus allowed ones. */
export interface FreeMailPolicy {
  readonly extra: readonly string[];
  readonly allow: readonly string[];
}

export function createFreeMailCheck(policy: FreeMailPolicy): (domain: string) => boolean {
  const extra = new Set(policy.extra.map((d) => d.toLowerCase()));
  const allow = new Set(policy.allow.map((d) => d.toLowerCase()));
  return (domain) => {
    const d = domain.toLowerCase();
    if (allow.has(d)) return false;
    return extra.has(d) || FREE_MAIL.has(d);
  };
}

/** The part after `@`. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

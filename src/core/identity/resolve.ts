/** Who an event is about: the contact (by email, else external id) and the account domain. */
import type { Building } from '../building.ts';
import type { ContactKey, InboundEvent } from '../types.ts';
import { emailDomain, registrableDomain } from './domains.ts';

export interface Identity {
  readonly key: ContactKey;
  readonly email?: string;
  readonly externalId?: string;
  /** The registrable domain of the work email, else of `company.domain`; never a free-mail domain. */
  readonly accountDomain?: string;
}

export function contactKeyFor(email: string | undefined, externalId: string | undefined): ContactKey {
  return email !== undefined ? `email:${email}` : `id:${externalId ?? ''}`;
}

export function identify(event: InboundEvent, isFreeMail: (domain: string) => boolean): Identity {
  const email = typeof event.contact['email'] === 'string' ? event.contact['email'] : undefined;
  const externalId = typeof event.contact['id'] === 'string' ? event.contact['id'] : undefined;
  let accountDomain: string | undefined;
  if (email !== undefined) {
    const domain = registrableDomain(emailDomain(email));
    if (domain !== undefined && !isFreeMail(domain) && !isFreeMail(emailDomain(email)))
      accountDomain = domain;
  }
  if (
    accountDomain === undefined &&
    typeof event.company['domain'] === 'string' &&
    !isFreeMail(event.company['domain'])
  ) {
    accountDomain = event.company['domain'];
  }
  // Built key by key: runs for every event, and a mid-literal spread is slow on Node 20.
  const identity: Building<Identity> = { key: contactKeyFor(email, externalId) };
  if (email !== undefined) identity.email = email;
  if (externalId !== undefined) identity.externalId = externalId;
  if (accountDomain !== undefined) identity.accountDomain = accountDomain;
  return identity as Identity;
}

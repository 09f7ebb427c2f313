/**
 * Contacts for the pages that list leads by key (SLA board, routing log): read in one transaction,
 * a few hundred keys per query, and turned into `LeadRef`s. Rejects only if the store fails.
 */
import type { Store } from '../../core/ports.ts';
import type { ContactState } from '../../core/types.ts';
import { bareLead, type LeadRef } from '../leadRef.ts';

const CHUNK = 400;

const attribute = (c: ContactState, name: string): string | undefined => {
  const value = c.attributes[name]?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** The contact as pages name it: `First Last`, else the email, else the key. */
export function leadRefOf(c: ContactState): LeadRef {
  const name = [attribute(c, 'firstName'), attribute(c, 'lastName')].filter((p) => p !== undefined).join(' ');
  const companyName = c.companyAttributes['name']?.value;
  return {
    key: c.key,
    name: name !== '' ? name : (c.email ?? bareLead(c.key).name),
    email: c.email,
    company: typeof companyName === 'string' ? companyName : c.accountDomain,
    source: attribute(c, 'source'),
  };
}

/** The contacts with these keys (`email:…`, `id:…`), by key; unknown keys are left out. */
export async function contactsByKey(store: Store, keys: Iterable<string>): Promise<Map<string, ContactState>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, ContactState>();
  if (unique.length === 0) return found;
  await store.transaction(async (tx) => {
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const emails = chunk.filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
      const externalIds = chunk.filter((k) => k.startsWith('id:')).map((k) => k.slice(3));
      for (const c of await tx.findContacts({ emails, externalIds })) found.set(c.key, c);
    }
  });
  return found;
}

/** Whether the lead's source is `source` (case-insensitive); true when no source is asked for. */
export function fromSource(lead: LeadRef, source: string | undefined): boolean {
  return source === undefined || lead.source?.toLowerCase() === source.toLowerCase();
}

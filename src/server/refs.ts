/**
 * How the API names things in paths and filters: a contact by its email, its key (`email:…`,
 * `id:…`) or its `contact.id`; a rep by `rep:<id>` or just the id.
 */
import type { ContactKey } from '../core/types.ts';

/** The lookup for a contact reference (as moveStage and reassign read one). Does not throw. */
export function contactLookup(ref: string): { emails: string[]; externalIds: string[] } {
  const spec = ref.trim();
  if (spec.startsWith('email:')) return { emails: [spec.slice(6).toLowerCase()], externalIds: [] };
  if (spec.startsWith('id:')) return { emails: [], externalIds: [spec.slice(3)] };
  if (spec.includes('@')) return { emails: [spec.toLowerCase()], externalIds: [] };
  return { emails: [], externalIds: [spec] };
}

/** The contact key a reference names (`email:<email>` or `id:<id>`). Does not throw. */
export function contactKeyOf(ref: string): ContactKey {
  const { emails, externalIds } = contactLookup(ref);
  return emails[0] !== undefined ? `email:${emails[0]}` : `id:${externalIds[0] ?? ''}`;
}

/**
 * An assignee filter: `priya` means `rep:priya`; anything with a `kind:` prefix is taken as is. Does not throw.
 */
export function assigneeOf(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes(':') ? trimmed : `rep:${trimmed}`;
}

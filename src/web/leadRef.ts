/** How a page names a lead: a display name, the key, and the link to its page. Pure. */
import { link } from './components.ts';
import type { SafeHtml } from './html.ts';

export interface LeadRef {
  /** The contact key (`email:ava@northwind.io`, `id:crm-1001`). */
  readonly key: string;
  /** `Ava Chen`, else the email, else the key. */
  readonly name: string;
  readonly email?: string | undefined;
  readonly company?: string | undefined;
  /** The lead source (`contact.source`). */
  readonly source?: string | undefined;
}

/** The lead page's path. */
export function leadHref(key: string): string {
  return `/leads/${encodeURIComponent(key)}`;
}

/** The lead's name as a link to its page. */
export function leadLink(lead: LeadRef): SafeHtml {
  return link(lead.name, leadHref(lead.key));
}

/** A lead known only by its key (not found, or not loaded). */
export function bareLead(key: string): LeadRef {
  return { key, name: key.replace(/^(email|id):/, '') };
}

/**
 * The lead page's data: the contact in full exactly as `GET /v1/contacts/{ref}` builds it (score
 * explanation included), every SLA clock of the lead (not only the running ones) and its touches.
 * Throws `RevopsError` `contact.not_found` for an unknown reference; rejects if the store fails.
 */
import type { ServerContext } from '../../server/context.ts';
import { contactDetail } from '../../server/routes/contacts.ts';
import type { LeadPage } from '../pages/lead.ts';
import { dueTerms } from './clocks.ts';
import { zoneOf } from './workspace.ts';

export async function loadLead(ctx: ServerContext, ref: string): Promise<Omit<LeadPage, 'user'>> {
  const detail = await contactDetail(ctx, ref);
  const now = ctx.clock.now();
  const model = ctx.workspace.current().runtime.engine.model.sla;
  const [clocks, touches] = await Promise.all([
    ctx.store.listClocks({ contactKey: detail.key }),
    ctx.store.touches(detail.key),
  ]);
  const first = typeof detail.attributes['firstName'] === 'string' ? detail.attributes['firstName'] : '';
  const last = typeof detail.attributes['lastName'] === 'string' ? detail.attributes['lastName'] : '';
  const name = `${first} ${last}`.trim();
  const lead = { key: detail.key, name: name === '' ? (detail.email ?? detail.key) : name };
  return {
    detail,
    name: lead.name,
    clocks: clocks
      .map((clock) => ({ clock, lead, due: dueTerms(clock, model, now) }))
      .sort((a, b) => a.clock.startedAt - b.clock.startedAt),
    touches,
    zone: zoneOf(ctx),
  };
}

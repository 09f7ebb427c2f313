/**
 * The lead context of a claimed batch, read in one transaction: each lead's name, company, stage,
 * owner and score, the largest contributions to its score (the ledger recomputed with the config's
 * scoring model; an `mql` row keeps the ledger it was written with) and its open SLA clock due first.
 */
import { engineSetup, type EngineSetup } from '../config/engineModel.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { attributeValues } from '../core/identity/attributes.ts';
import { fillTemplate } from '../core/lifecycle/actions.ts';
import type { OutboxRow, Store } from '../core/ports.ts';
import { scoreContactAt } from '../core/scoring/contactScore.ts';
import type { ContactKey, JsonValue, Millis } from '../core/types.ts';
import type { LeadContext, ScoreReason } from './deliver/message.ts';

/** Reasons shown with a score. */
export const TOP_REASONS = 3;

const setups = new WeakMap<RevopsConfig, EngineSetup>();
function setupOf(config: RevopsConfig): EngineSetup {
  let setup = setups.get(config);
  if (setup === undefined) {
    setup = engineSetup(config);
    setups.set(config, setup);
  }
  return setup;
}

/** The largest positive contributions, largest first (ties in ledger order). */
export function topReasons(entries: readonly ScoreReason[]): ScoreReason[] {
  return entries
    .map((entry, i) => ({ entry, i }))
    .filter(({ entry }) => entry.points > 0)
    .sort((a, b) => b.entry.points - a.entry.points || a.i - b.i)
    .slice(0, TOP_REASONS)
    .map(({ entry }) => ({ label: entry.label, points: entry.points }));
}

/** Leads of `rows` by contact key; a key with no stored contact is absent. Throws only if storage fails. */
export async function loadLeads(
  store: Store,
  config: RevopsConfig,
  rows: readonly OutboxRow[],
  now: Millis,
): Promise<Map<ContactKey, LeadContext>> {
  const keys = [...new Set(rows.map((r) => r.contactKey).filter((k): k is ContactKey => k !== undefined))];
  const leads = new Map<ContactKey, LeadContext>();
  if (keys.length === 0) return leads;
  const emails = keys.filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
  const externalIds = keys.filter((k) => k.startsWith('id:')).map((k) => k.slice(3));
  const { model } = setupOf(config);
  await store.transaction(async (tx) => {
    const contacts = (await tx.findContacts({ emails, externalIds })).filter((c) => keys.includes(c.key));
    const domains = contacts.map((c) => c.accountDomain).filter((d): d is string => d !== undefined);
    const accounts = new Map(
      (domains.length === 0 ? [] : await tx.findAccounts(domains)).map((a) => [a.domain, a]),
    );
    const clocks = await tx.openClocksOf(contacts.map((c) => c.key));
    for (const contact of contacts) {
      const account = contact.accountDomain === undefined ? undefined : accounts.get(contact.accountDomain);
      const company = attributeValues(contact.companyAttributes)['name'];
      const reasons =
        model.scoring === undefined || contact.scoring === undefined
          ? []
          : topReasons(scoreContactAt(contact, account, model.scoring, model.isFreeMail, now).ledger);
      const due = clocks
        .filter((c) => c.contactKey === contact.key && c.status === 'open')
        .sort((a, b) => a.dueAt - b.dueAt)[0];
      const { score } = contact;
      leads.set(contact.key, {
        key: contact.key,
        name: fillTemplate('{contact.name}', contact),
        stage: contact.stage,
        reasons,
        ...(contact.email === undefined ? {} : { email: contact.email }),
        ...(typeof company === 'string' && company !== '' ? { company } : {}),
        ...(contact.owner === undefined ? {} : { owner: contact.owner }),
        ...(score === undefined
          ? {}
          : { score: { total: score.total, fit: score.fit, engagement: score.engagement, mql: score.mql } }),
        ...(due === undefined ? {} : { sla: { name: due.name, dueAt: due.dueAt } }),
      });
    }
  });
  return leads;
}

/** The ledger an `mql` row carries (`{ label, points }` entries), if any. */
function ledgerOf(row: OutboxRow): ScoreReason[] | undefined {
  const ledger: JsonValue | undefined = row.payload['ledger'];
  if (!Array.isArray(ledger)) return undefined;
  const entries: ScoreReason[] = [];
  for (const item of ledger) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const { label, points } = item as { readonly label?: JsonValue; readonly points?: JsonValue };
    if (typeof label === 'string' && typeof points === 'number') entries.push({ label, points });
  }
  return entries;
}

/** The lead of `row`: the batch's context, with the reasons an `mql` row was written with. */
export function leadOf(row: OutboxRow, leads: ReadonlyMap<ContactKey, LeadContext>): LeadContext | undefined {
  const lead = row.contactKey === undefined ? undefined : leads.get(row.contactKey);
  const ledger = row.type === 'mql' ? ledgerOf(row) : undefined;
  if (lead === undefined || ledger === undefined) return lead;
  return Object.assign({}, lead, { reasons: topReasons(ledger) });
}

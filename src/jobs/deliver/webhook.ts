/**
 * An outbox row as a signed JSON webhook, in the Standard Webhooks shape: the body is
 * `{ type, timestamp, data: { key, contact, payload, lead } }`; the headers are `webhook-id` (the
 * row's key: the same on every retry, so a receiver drops duplicates), `webhook-timestamp`,
 * `webhook-signature` (when the destination has a secret) and `Idempotency-Key` (the same key).
 */
import type { OutboxRow } from '../../core/ports.ts';
import { signWebhook } from '../../net/standardWebhooks.ts';
import type { LeadContext } from './message.ts';

export const USER_AGENT = 'RevOps-Engine/0.1 (+outbox)';

/**
 * The key as a header value: printable ASCII is kept as it is, any other byte (spaces, non-ASCII
 * letters of an external id) is percent-encoded, so the same key always gives the same header.
 */
export function headerSafeKey(key: string): string {
  return [...Buffer.from(key, 'utf8')]
    .map((byte) =>
      byte > 0x20 && byte < 0x7f && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** The lead as webhook receivers get it: plain JSON, times as ISO text. */
export function leadJson(lead: LeadContext): Record<string, unknown> {
  return {
    key: lead.key,
    name: lead.name,
    email: lead.email ?? null,
    company: lead.company ?? null,
    stage: lead.stage,
    owner: lead.owner ?? null,
    score: lead.score ?? null,
    reasons: lead.reasons,
    sla:
      lead.sla === undefined ? null : { name: lead.sla.name, dueAt: new Date(lead.sla.dueAt).toISOString() },
  };
}

/** The JSON body for `row`. */
export function webhookBody(row: OutboxRow, lead: LeadContext | undefined): string {
  return JSON.stringify({
    type: row.type,
    timestamp: new Date(row.at).toISOString(),
    data: {
      key: row.key,
      contact: row.contactKey ?? null,
      payload: row.payload,
      lead: lead === undefined ? null : leadJson(lead),
    },
  });
}

/** The request headers; signed with `secret` at `nowMs` when there is one. Never throws. */
export function webhookHeaders(
  key: string,
  secret: string | undefined,
  nowMs: number,
  body: string,
): Record<string, string> {
  const id = headerSafeKey(key);
  const signed =
    secret === undefined
      ? { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(nowMs / 1000)) }
      : signWebhook(secret, id, nowMs, body);
  return Object.assign(
    { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'idempotency-key': id },
    signed,
  );
}

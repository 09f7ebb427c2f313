import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../net/standardWebhooks.ts';
import { AT, LEE_KEY, outboxRow } from './fixtures.ts';
import type { LeadContext } from './message.ts';
import { headerSafeKey, USER_AGENT, webhookBody, webhookHeaders } from './webhook.ts';

const ROW = outboxRow('assigned', { to: 'rep:priya', rule: 'round-robin' });
/** Lee without email, company or score: the body says null for each. */
const LEE: LeadContext = {
  key: LEE_KEY,
  name: 'Lee Number1',
  stage: 'mql',
  owner: 'priya',
  reasons: [{ label: 'Demo request or trial signup', points: 25 }],
  sla: { name: 'Speed to lead', dueAt: Date.parse('2026-11-24T15:06:00Z') },
};

describe('webhook messages', () => {
  it('keeps printable keys as they are and percent-encodes any other byte', () => {
    expect(headerSafeKey(ROW.key)).toBe(ROW.key);
    expect(headerSafeKey('assigned:id:Zoë 7:1%')).toBe('assigned:id:Zo%C3%AB%207:1%25');
  });

  it('wraps the row in the Standard Webhooks shape with the lead context', () => {
    expect(JSON.parse(webhookBody(ROW, LEE))).toEqual({
      type: 'assigned',
      timestamp: '2026-11-24T15:01:00.000Z',
      data: {
        key: ROW.key,
        contact: 'email:lee@company1.com',
        payload: { to: 'rep:priya', rule: 'round-robin' },
        lead: {
          key: 'email:lee@company1.com',
          name: 'Lee Number1',
          email: null,
          company: null,
          stage: 'mql',
          owner: 'priya',
          score: null,
          reasons: [{ label: 'Demo request or trial signup', points: 25 }],
          sla: { name: 'Speed to lead', dueAt: '2026-11-24T15:06:00.000Z' },
        },
      },
    });
    expect(
      JSON.parse(webhookBody(Object.assign({}, ROW, { contactKey: undefined }), undefined)),
    ).toMatchObject({
      data: { contact: null, lead: null },
    });
  });

  it('signs so that the independent standardwebhooks package verifies it, keyed by the row', () => {
    const secret = newWebhookSecret();
    const body = webhookBody(ROW, LEE);
    const headers = webhookHeaders(ROW.key, secret, Date.now(), body);
    expect(Object.keys(headers).sort()).toEqual([
      'content-type',
      'idempotency-key',
      'user-agent',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    expect(headers['webhook-id']).toBe(ROW.key);
    expect(headers['idempotency-key']).toBe(ROW.key);
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('sends id and timestamp without a signature when the destination has no secret', () => {
    expect(webhookHeaders('k', undefined, AT, '{}')).toEqual({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'idempotency-key': 'k',
      'webhook-id': 'k',
      'webhook-timestamp': String(AT / 1000),
    });
  });
});

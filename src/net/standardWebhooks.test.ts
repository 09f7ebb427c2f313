import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook } from './standardWebhooks.ts';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const BODY = '{"type":"lead.assigned","data":{"email":"ana@acme.com"}}';

describe('Standard Webhooks signatures', () => {
  it('signs what the independent standardwebhooks package verifies, and verifies what it signs', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'msg_1', Date.now(), BODY);
    expect(new Webhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));

    const theirs = new Webhook(secret).sign('msg_2', new Date(NOW), BODY);
    const result = verifyWebhook(
      [secret],
      { 'webhook-id': 'msg_2', 'webhook-timestamp': String(NOW / 1000), 'webhook-signature': theirs },
      BODY,
      NOW,
    );
    expect(result).toEqual({ ok: true, id: 'msg_2', timestamp: NOW / 1000 });
  });

  it('refuses a tampered body, a wrong secret, a missing header and a timestamp over five minutes away', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'msg_1', NOW, BODY);
    expect(verifyWebhook([secret], headers, BODY + ' ', NOW)).toMatchObject({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verifyWebhook([newWebhookSecret()], headers, BODY, NOW)).toMatchObject({
      reason: 'invalid_signature',
    });
    expect(verifyWebhook([secret], { ...headers, 'webhook-id': undefined }, BODY, NOW)).toMatchObject({
      reason: 'missing_signature',
    });
    expect(verifyWebhook([secret], headers, BODY, NOW + 300_000)).toMatchObject({ ok: true });
    expect(verifyWebhook([secret], headers, BODY, NOW + 301_000)).toMatchObject({
      reason: 'timestamp_out_of_range',
    });
    expect(verifyWebhook([secret], headers, BODY, NOW - 301_000)).toMatchObject({
      reason: 'timestamp_out_of_range',
    });
  });

  it('accepts any of several secrets and several signatures while a secret rotates', () => {
    const old = newWebhookSecret();
    const next = newWebhookSecret();
    const a = signWebhook(old, 'msg_1', NOW, BODY)['webhook-signature'];
    const b = signWebhook(next, 'msg_1', NOW, BODY)['webhook-signature'];
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(NOW / 1000),
      'webhook-signature': `${a} ${b}`,
    };
    expect(verifyWebhook([next], headers, BODY, NOW)).toMatchObject({ ok: true });
    expect(verifyWebhook([newWebhookSecret(), old], headers, BODY, NOW)).toMatchObject({ ok: true });
  });
});

// The inbound webhook endpoints through the whole app (buildApp + app.inject) on every dialect:
// Segment write keys, Standard Webhooks signatures, redeliveries deduplicated by delivery id,
// all-or-nothing ingest, forms by API key, and every refusal as a coded 4xx.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/dialects.ts';
import {
  CALENDLY_SECRET,
  GENERIC_SECRET,
  SEGMENT_KEYS,
  WEBHOOK_T0,
  sampleText,
  webhookServer,
  type WebhookServer,
} from '../../../test/support/webhookServer.ts';

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(DIALECTS)('inbound webhooks on $name', (dialect) => {
  let server: WebhookServer | undefined;
  const start = async (options?: Parameters<typeof webhookServer>[1]) => {
    server = await webhookServer(await dialect.open(), options);
    return server;
  };
  afterEach(async () => {
    expect(server?.bugs ?? []).toEqual([]);
    await server?.close();
    server = undefined;
  });

  describe('POST /v1/webhooks/segment', () => {
    const post = (s: WebhookServer, body: string, authorization?: string, type = 'application/json') =>
      s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/segment',
        payload: body,
        headers: { 'content-type': type, ...(authorization === undefined ? {} : { authorization }) },
      });

    it('ingests a batch with the write key, lists what it ignored, and takes a redelivery as duplicates', async () => {
      const s = await start();
      const first = await post(s, sampleText('segment-batch.json'), basic(SEGMENT_KEYS[0]));
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({
        source: 'segment',
        received: 5,
        accepted: 3,
        duplicates: 0,
        rejected: 0,
        ignored: [
          {
            path: 'batch[3]',
            reason:
              'anonymous call (no `userId` nor email trait): identify the visitor to count their activity',
          },
          {
            path: 'batch[4].event',
            reason:
              'no mapping for the track event "Button Clicked": add it under inbound.segment.track to count it',
          },
        ],
        items: [
          { id: 'segment:msg-identify-7f3a', type: 'identify', path: 'batch[0]', status: 'accepted' },
          { id: 'segment:msg-page-81c2', type: 'page_view', path: 'batch[1]', status: 'accepted' },
          { id: 'segment:msg-track-93d1', type: 'form_submit', path: 'batch[2]', status: 'accepted' },
        ],
      });
      const [contact] = await s.ctx.store.transaction((tx) =>
        tx.findContacts({ emails: ['ada.byron@northwind.io'], externalIds: [] }),
      );
      expect(contact).toMatchObject({
        email: 'ada.byron@northwind.io',
        externalId: 'u-1042',
        accountDomain: 'northwind.io',
        attributes: {
          firstName: { value: 'Ada', source: 'segment', eventId: 'segment:msg-identify-7f3a' },
          lastName: { value: 'Byron' },
          title: { value: 'VP Revenue Operations' },
        },
      });
      // The second key of a rotation works; a resent batch changes nothing.
      const again = await post(s, sampleText('segment-batch.json'), basic(SEGMENT_KEYS[1]));
      expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    });

    it('takes a call linking a contact known by email to another known by user id (no 500)', async () => {
      const s = await start();
      const key = basic(SEGMENT_KEYS[0]);
      const calls = [
        { type: 'identify', messageId: 'e-1', anonymousId: 'a-1', traits: { email: 'joan@clarke.dev' } },
        { type: 'page', messageId: 'p-2', userId: 'u-77', properties: { url: 'https://x.io/pricing' } },
        { type: 'identify', messageId: 'l-3', userId: 'u-77', traits: { email: 'joan@clarke.dev' } },
      ];
      const statuses = [];
      for (const call of calls) statuses.push((await post(s, JSON.stringify(call), key)).statusCode);
      expect(statuses).toEqual([200, 200, 200]);
      const contacts = await s.ctx.store.transaction((tx) =>
        tx.findContacts({ emails: ['joan@clarke.dev'], externalIds: ['u-77'] }),
      );
      expect(contacts.map((c) => [c.key, c.email, c.externalId]).sort()).toEqual([
        ['email:joan@clarke.dev', 'joan@clarke.dev', undefined],
        ['id:u-77', undefined, 'u-77'],
      ]);
    });

    it('refuses a missing or wrong write key, and a source config does not define', async () => {
      const s = await start();
      const body = sampleText('segment-track.json');
      const missing = await post(s, body);
      expect([missing.statusCode, missing.json().error.code]).toEqual([401, 'auth.missing_key']);
      expect(missing.json().error.hint).toBe(
        "set the source's write key to the value of REVOPS_SEGMENT_WRITE_KEY; it is sent as the Basic-auth username",
      );
      const wrong = await post(s, body, basic('seg_live_7c1d2f'));
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'auth.invalid_key']);
      const bearer = await post(s, body, `Bearer ${SEGMENT_KEYS[0]}`);
      expect(bearer.json()).toMatchObject({ accepted: 1 });
      expect(await s.stored(['segment:msg-track-5b7e'])).toEqual(['segment:msg-track-5b7e']);
    });

    it('answers 404 when the source is not configured or its secret is not set', async () => {
      const s = await start({ env: {} });
      const unset = await post(s, sampleText('segment-track.json'), basic(SEGMENT_KEYS[0]));
      expect([unset.statusCode, unset.json().error]).toEqual([
        404,
        {
          code: 'webhook.unknown_source',
          message:
            "the inbound source `segment` is configured but its secret REVOPS_SEGMENT_WRITE_KEY is not set in the server's environment",
          hint: 'set REVOPS_SEGMENT_WRITE_KEY where the server runs and restart it',
          issues: [],
        },
      ]);
      await s.close();
      server = undefined;
      const bare = await start({ inbound: '' });
      const none = await post(bare, sampleText('segment-track.json'), basic(SEGMENT_KEYS[0]));
      expect([none.statusCode, none.json().error.code, none.json().error.hint]).toEqual([
        404,
        'webhook.unknown_source',
        'add `inbound.segment` to revops.yaml (docs/webhooks.md shows how)',
      ]);
    });

    it('refuses a whole batch with a bad call, naming the fields, and stores none of it', async () => {
      const s = await start();
      const batch = {
        batch: [
          { type: 'identify', messageId: 'ok-1', userId: 'u-7', traits: { email: 'lin@ok.io' } },
          { type: 'identify', messageId: 'bad-2', userId: 'u-8', traits: { email: 'not-an-email' } },
          { type: 'track', userId: 'u-9', event: 'Signed Up' },
        ],
      };
      const refused = await post(s, JSON.stringify(batch), basic(SEGMENT_KEYS[0]));
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error).toMatchObject({
        code: 'webhook.unmappable_payload',
        issues: [
          {
            code: 'webhook.unmappable_payload',
            path: 'batch[2].messageId',
            message: '`messageId` is required (at most 180 characters): it makes a redelivered call harmless',
          },
        ],
      });
      batch.batch.pop();
      const invalid = await post(s, JSON.stringify(batch), basic(SEGMENT_KEYS[0]));
      expect([invalid.statusCode, invalid.json().error.issues]).toEqual([
        422,
        [
          {
            code: 'event.invalid_field',
            path: 'batch[1].traits.email',
            message: "`not-an-email` is not an email address (in the mapped event's `contact.email`)",
          },
        ],
      ]);
      expect(await s.stored(['segment:ok-1', 'segment:bad-2'])).toEqual([]);
    });

    it('answers malformed JSON 400, another media type 415, and a batch over the limit 413', async () => {
      const s = await start({ limits: { maxBatch: 2 } });
      const key = basic(SEGMENT_KEYS[0]);
      const broken = await post(s, '{"type": "track",', key);
      expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'http.invalid_body']);
      const html = await post(s, '<p>hi</p>', key, 'text/html');
      expect([html.statusCode, html.json().error.code]).toEqual([415, 'http.unsupported_media_type']);
      const many = await post(s, JSON.stringify({ batch: [{}, {}, {}] }), key);
      expect([many.statusCode, many.json().error.code]).toEqual([413, 'http.batch_too_large']);
    });
  });

  describe('POST /v1/webhooks/calendly', () => {
    it('ingests a signed booking once: a redelivery of the same webhook-id is a duplicate', async () => {
      const s = await start();
      const body = sampleText('calendly-invitee-created.json');
      const first = await s.signed('/v1/webhooks/calendly', body, CALENDLY_SECRET, 'msg_2pQxK8');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({
        source: 'calendly',
        received: 1,
        accepted: 1,
        duplicates: 0,
        rejected: 0,
        ignored: [],
        items: [{ id: 'calendly:msg_2pQxK8:0', type: 'meeting', path: '', status: 'accepted' }],
      });
      // The sender retries two minutes later: same delivery id, a fresh timestamp and signature.
      s.clock.advanceTo(WEBHOOK_T0 + 120_000);
      const retry = await s.signed('/v1/webhooks/calendly', body, CALENDLY_SECRET, 'msg_2pQxK8');
      expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 1, items: [{ status: 'duplicate' }] });
      const [contact] = await s.ctx.store.transaction((tx) =>
        tx.findContacts({ emails: ['margaret@hamilton-apollo.com'], externalIds: [] }),
      );
      const events = await s.ctx.store.transaction((tx) =>
        tx.eventsOf(contact === undefined ? [] : [contact.key]),
      );
      expect(
        [...events.values()].flat().map((e) => [e.id, e.type, e.properties['action'], e.properties['rep']]),
      ).toEqual([['calendly:msg_2pQxK8:0', 'meeting', 'booked', 'priya']]);
      // A new delivery (the cancellation) is a new event.
      const cancel = await s.signed(
        '/v1/webhooks/calendly',
        sampleText('calendly-invitee-canceled.json'),
        CALENDLY_SECRET,
        'msg_7hTz',
      );
      expect(cancel.json()).toMatchObject({ accepted: 1, items: [{ id: 'calendly:msg_7hTz:0' }] });
    });

    it('accepts what the independent standardwebhooks package signs', async () => {
      const s = await start();
      const body = sampleText('calendly-invitee-no-show.json');
      const signature = new Webhook(CALENDLY_SECRET).sign('msg_ext1', new Date(WEBHOOK_T0), body);
      const response = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/calendly',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_ext1',
          'webhook-timestamp': String(WEBHOOK_T0 / 1000),
          'webhook-signature': signature,
        },
      });
      expect(response.json()).toMatchObject({
        accepted: 1,
        items: [{ id: 'calendly:msg_ext1:0', type: 'meeting' }],
      });
    });

    it('refuses unsigned, tampered, stale and wrongly keyed deliveries with 401s', async () => {
      const s = await start();
      const body = sampleText('calendly-invitee-created.json');
      const unsigned = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/calendly',
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      const codes = [[unsigned.statusCode, unsigned.json().error.code]];
      const tampered = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/calendly',
        payload: body.replace('Margaret', 'Mallory'),
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(WEBHOOK_T0 / 1000),
          'webhook-signature': new Webhook(CALENDLY_SECRET).sign('msg_1', new Date(WEBHOOK_T0), body),
        },
      });
      codes.push([tampered.statusCode, tampered.json().error.code]);
      const stale = await s.signed(
        '/v1/webhooks/calendly',
        body,
        CALENDLY_SECRET,
        'msg_2',
        WEBHOOK_T0 - 301_000,
      );
      codes.push([stale.statusCode, stale.json().error.code]);
      const otherKey = await s.signed('/v1/webhooks/calendly', body, GENERIC_SECRET, 'msg_3');
      codes.push([otherKey.statusCode, otherKey.json().error.code]);
      expect(codes).toEqual([
        [401, 'webhook.missing_signature'],
        [401, 'webhook.invalid_signature'],
        [401, 'webhook.timestamp_out_of_range'],
        [401, 'webhook.invalid_signature'],
      ]);
      expect(tampered.json().error.hint).toBe(
        'sign `<webhook-id>.<webhook-timestamp>.<body>` with HMAC-SHA256 and the secret in REVOPS_CALENDLY_SECRET, over the body exactly as sent',
      );
      expect(await s.stored(['calendly:msg_1:0', 'calendly:msg_2:0', 'calendly:msg_3:0'])).toEqual([]);
    });

    it('acknowledges Calendly events without a meeting signal, and refuses an invitee without email', async () => {
      const s = await start();
      const other = JSON.stringify({ event: 'invitee_no_show.deleted', payload: { email: 'x@y.io' } });
      const ignored = await s.signed('/v1/webhooks/calendly', other, CALENDLY_SECRET, 'msg_o');
      expect(ignored.json()).toEqual({
        source: 'calendly',
        received: 1,
        accepted: 0,
        duplicates: 0,
        rejected: 0,
        ignored: [
          { path: 'event', reason: 'Calendly event `invitee_no_show.deleted` carries no meeting signal' },
        ],
        items: [],
      });
      const noEmail = JSON.stringify({ event: 'invitee.created', payload: { name: 'Anon' } });
      const refused = await s.signed('/v1/webhooks/calendly', noEmail, CALENDLY_SECRET, 'msg_n');
      expect([refused.statusCode, refused.json().error.issues[0].path]).toEqual([422, 'payload.email']);
    });
  });

  describe('POST /v1/webhooks/generic', () => {
    it('ingests catalog events, ids derived from the delivery for those without one', async () => {
      const s = await start();
      const response = await s.signed(
        '/v1/webhooks/generic',
        sampleText('generic.json'),
        GENERIC_SECRET,
        'dlv_41',
      );
      expect(response.json()).toMatchObject({
        source: 'webhook',
        accepted: 2,
        items: [
          { id: 'evt-billing-7781', type: 'product', path: 'events[0]', status: 'accepted' },
          { id: 'generic:dlv_41:1', type: 'content_download', path: 'events[1]', status: 'accepted' },
        ],
      });
      expect(await s.stored(['evt-billing-7781', 'generic:dlv_41:1'])).toEqual([
        'evt-billing-7781',
        'generic:dlv_41:1',
      ]);
      // The same event posted to /v1/events later is the same event.
      const resent = await s.signed(
        '/v1/webhooks/generic',
        sampleText('generic.json'),
        GENERIC_SECRET,
        'dlv_42',
      );
      expect(resent.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    });

    it('refuses an event the catalog refuses, with its path in the delivery', async () => {
      const s = await start();
      const body = JSON.stringify([
        { id: 'e1', type: 'page_view', contact: { email: 'a@b.io' }, properties: { category: 'prices' } },
      ]);
      const response = await s.signed('/v1/webhooks/generic', body, GENERIC_SECRET, 'dlv_x');
      const { error } = response.json<{ error: { issues: { path: string }[] } }>();
      expect([response.statusCode, error.issues.map((i) => i.path)]).toEqual([
        422,
        ['[0].properties.category'],
      ]);
    });
  });

  describe('POST /v1/webhooks/forms/{formId}', () => {
    it('maps JSON and url-encoded submissions with an ingest key', async () => {
      const s = await start();
      const ingest = await s.bearer(['ingest']);
      const json = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/forms/contact-us',
        payload: sampleText('form-contact-us.json'),
        headers: { 'content-type': 'application/json', authorization: ingest },
      });
      expect(json.json()).toMatchObject({
        source: 'form:contact-us',
        accepted: 1,
        items: [{ id: 'form:contact-us:sub_20261124_0042', type: 'form_submit', status: 'accepted' }],
      });
      const encoded = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks/forms/contact-us',
        payload: 'email=grace%40hopper-labs.com&first_name=Grace&company=Hopper+Labs&captcha=x',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: ingest,
          'idempotency-key': 'hs-form-991',
        },
      });
      expect(encoded.json()).toMatchObject({ accepted: 1, items: [{ id: 'form:contact-us:hs-form-991' }] });
      const [grace] = await s.ctx.store.transaction((tx) =>
        tx.findContacts({ emails: ['grace@hopper-labs.com'], externalIds: [] }),
      );
      expect(grace).toMatchObject({
        attributes: {
          firstName: { value: 'Grace', source: 'form:contact-us', eventId: 'form:contact-us:hs-form-991' },
        },
        companyAttributes: { name: { value: 'Hopper Labs' } },
      });
    });

    it('needs an ingest key, and answers 404 for a form config does not define', async () => {
      const s = await start();
      const send = (url: string, authorization?: string) =>
        s.app.inject({
          method: 'POST',
          url,
          payload: 'email=a%40b.io',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(authorization === undefined ? {} : { authorization }),
          },
        });
      const none = await send('/v1/webhooks/forms/contact-us');
      const reader = await send('/v1/webhooks/forms/contact-us', await s.bearer(['read']));
      const unknown = await send('/v1/webhooks/forms/__proto__', await s.bearer(['ingest']));
      const codes = [none, reader, unknown].map((r) => [
        r.statusCode,
        r.json<{ error: { code: string } }>().error.code,
      ]);
      expect(codes).toEqual([
        [401, 'auth.missing_key'],
        [403, 'auth.insufficient_scope'],
        [404, 'webhook.unknown_source'],
      ]);
      expect(unknown.json().error.message).toBe('no inbound source `forms/__proto__` is configured');
    });
  });
});

describe('the webhook endpoints in OpenAPI', () => {
  it('document their payloads and scopes: public for signed or write-keyed sources, ingest for forms', async () => {
    const dialect = DIALECTS[0];
    if (dialect === undefined) throw new Error('no dialect');
    const s = await webhookServer(await dialect.open());
    try {
      const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<
          string,
          { post: { 'x-revops-scope': string; requestBody: { content: Record<string, unknown> } } }
        >;
      }>();
      const post = (path: string) => doc.paths[path]?.post;
      expect(
        ['segment', 'calendly', 'generic', 'forms/{formId}'].map((p) => [
          p,
          post(`/v1/webhooks/${p}`)?.['x-revops-scope'],
          Object.keys(post(`/v1/webhooks/${p}`)?.requestBody.content ?? {}),
        ]),
      ).toEqual([
        ['segment', 'public', ['application/json']],
        ['calendly', 'public', ['application/json']],
        ['generic', 'public', ['application/json']],
        ['forms/{formId}', 'ingest', ['application/json', 'application/x-www-form-urlencoded']],
      ]);
    } finally {
      await s.close();
    }
  });
});

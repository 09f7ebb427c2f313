/**
 * Requests for the HTTP fuzz test (test/httpFuzz.test.ts): near-valid events and third-party
 * payloads with every field sometimes replaced by junk, then sometimes mangled as text — truncated,
 * a byte flipped, `__proto__` / `constructor` keys spliced in, nested thousands deep — plus wrong
 * content types, bad signatures, stale timestamps and missing keys.
 */
import fc from 'fast-check';
import { EVENT_TYPES } from '../../src/core/events/catalog.ts';

export type Target = 'events' | 'segment' | 'calendly' | 'generic' | 'form';

export interface FuzzRequest {
  readonly target: Target;
  readonly body: string;
  /** The content type header, or undefined for none. */
  readonly contentType: string | undefined;
  /** How the request authenticates: the right credential, none, or a wrong one. */
  readonly auth: 'good' | 'none' | 'bad';
  /** Signed deliveries: how the signature is made (stale: six minutes old). */
  readonly signature: 'good' | 'none' | 'bad' | 'stale';
  /** The delivery id (`webhook-id`) of a signed request; a small space, so redeliveries happen. */
  readonly deliveryId: string;
  /** Forms: the form id in the URL. */
  readonly formId: string;
}

const junkText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '💥',
    'null',
    '__proto__',
    'constructor',
    'toString',
    '<script>',
    '%E0%A4%A',
  ),
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  junkText,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, [], {}, [[[]]], { a: { b: {} } }),
);
/** Mostly `good`, sometimes anything at all. */
const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: junk });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const email = fc.oneof(
  fc.constantFrom('ada@northwind.io', 'grace@hopper-labs.com', 'linus@gmail.com', 'UPPER@Case.COM'),
  fc
    .tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom('acme.com', 'northwind.io', 'example.co.uk'))
    .map(([user, domain]) => `${user}@${domain}`),
  fc.constantFrom('not-an-email', '@acme.com', 'a@', 'a@@b.io', 'a b@c.io'),
);
const goodDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const badDate = fc.constantFrom<unknown>(
  '2026-02-30T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-24T25:61:00Z',
  '2026-11-24',
  '2026-11-24T10:00:00',
  '+275760-09-13T00:00:01Z',
  '0000-00-00T00:00:00Z',
  'yesterday',
  '',
  -1,
  0,
  1e20,
  Number.MAX_SAFE_INTEGER,
);
const when = fc.oneof({ weight: 4, arbitrary: goodDate }, { weight: 1, arbitrary: badDate });
const key = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'form',
    'action',
    'url',
  ),
  fc.string({ maxLength: 5 }),
);
const properties = fc.dictionary(
  key,
  fc.oneof(junk, fc.constantFrom<unknown>('demo_request', 'pricing', 'open')),
  {
    maxKeys: 6,
  },
);

const goodEmail = fc
  .tuple(
    fc.stringMatching(/^[a-z]{1,6}$/),
    fc.constantFrom('acme.com', 'northwind.io', 'gmail.com', 'example.co.uk'),
  )
  .map(([user, domain]) => `${user}@${domain}`);
const goodId = fc.oneof(fc.uuid(), fc.stringMatching(/^[a-z0-9]{1,4}$/));
/** Events the catalog takes, of every built-in kind. */
const cleanEvent = fc
  .record({
    id: goodId,
    at: goodDate,
    contact: fc.record(
      { email: goodEmail, firstName: fc.stringMatching(/^[A-Z][a-z]{1,8}$/) },
      { requiredKeys: ['email'] },
    ),
  })
  .chain((base) =>
    fc
      .constantFrom<readonly [string, Record<string, unknown>]>(
        ['identify', {}],
        ['page_view', { url: 'https://example.com/pricing', category: 'pricing' }],
        ['form_submit', { form: 'demo_request' }],
        ['content_download', { kind: 'ebook' }],
        ['webinar', { action: 'registered' }],
        ['email', { action: 'open', campaign: 'nov' }],
        ['product', { action: 'core_feature_used' }],
        ['meeting', { action: 'booked', startsAt: '2026-11-26T15:00:00Z' }],
        ['nps', { score: 9 }],
        ['rep_activity', { kind: 'call' }],
      )
      .map(([type, properties]) => Object.assign({ type, properties }, base)),
  );

const dirtyEvent = fc.record(
  {
    id: field(fc.oneof(fc.uuid(), fc.stringMatching(/^[a-z0-9]{1,4}$/))),
    type: field(fc.constantFrom(...EVENT_TYPES, 'unknown_type', 'PAGE_VIEW', 'identify ')),
    at: when,
    contact: field(
      fc.record(
        { email: field(email), id: maybe(junk), firstName: maybe(junkText), title: maybe(junkText) },
        { requiredKeys: [] },
      ),
    ),
    company: field(
      fc.record(
        {
          domain: field(fc.constantFrom('acme.com', 'northwind.io', 'https://x.org/a', 'localhost', '')),
          employees: field(fc.oneof(fc.integer(), fc.constantFrom('1,200', 'many', '-5'))),
          techStack: maybe(junk),
        },
        { requiredKeys: [] },
      ),
    ),
    properties: field(properties),
    extra: maybe(junk),
  },
  { requiredKeys: ['type', 'contact'] },
);
const event = fc.oneof({ weight: 3, arbitrary: cleanEvent }, { weight: 2, arbitrary: dirtyEvent });

const cleanSegmentCall = fc.record({
  type: fc.constantFrom('track', 'identify', 'page', 'group'),
  messageId: fc.stringMatching(/^[a-z0-9]{1,5}$/),
  userId: fc.stringMatching(/^u-[0-9]{1,3}$/),
  event: fc.constantFrom('Signed Up', 'Demo Requested', 'Email Opened', 'Invite Sent', 'Button Clicked'),
  timestamp: goodDate,
  traits: fc.record({ email: goodEmail, firstName: fc.stringMatching(/^[A-Z][a-z]{1,8}$/) }),
  properties: fc.record({
    url: fc.constantFrom('https://example.com/', 'https://example.com/blog/a'),
    plan: fc.string(),
  }),
  context: fc.record({ traits: fc.record({ email: goodEmail }) }),
});
const dirtySegmentCall = fc.record(
  {
    type: field(fc.constantFrom('track', 'identify', 'page', 'group', 'screen', 'alias')),
    messageId: field(fc.stringMatching(/^[a-z0-9]{1,5}$/)),
    userId: maybe(field(fc.oneof(fc.stringMatching(/^u-[0-9]{1,3}$/), fc.integer()))),
    anonymousId: maybe(junkText),
    event: maybe(
      field(
        fc.constantFrom(
          'Signed Up',
          'Demo Requested',
          'Email Opened',
          'form_submit',
          'nps',
          'Button Clicked',
          'constructor',
        ),
      ),
    ),
    name: maybe(junkText),
    category: maybe(field(fc.constantFrom('pricing', 'Case Study', 'blog'))),
    timestamp: maybe(when),
    traits: maybe(
      field(
        fc.record(
          {
            email: field(email),
            firstName: maybe(junkText),
            company: maybe(field(fc.record({ name: junkText, employee_count: junk, website: junkText }))),
            address: maybe(junk),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    properties: maybe(field(properties)),
    context: maybe(
      fc.record(
        {
          traits: field(fc.record({ email: field(email) })),
          page: field(fc.record({ url: field(fc.webUrl()) })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const segmentCall = fc.oneof(
  { weight: 3, arbitrary: cleanSegmentCall },
  { weight: 1, arbitrary: dirtySegmentCall },
);

const cleanCalendly = fc.record({
  event: fc.constantFrom('invitee.created', 'invitee.canceled', 'invitee_no_show.created'),
  created_at: goodDate,
  payload: fc.record({
    email: goodEmail,
    first_name: fc.stringMatching(/^[A-Z][a-z]{1,8}$/),
    created_at: goodDate,
    rescheduled: fc.boolean(),
    cancellation: fc.record({ reason: fc.string(), canceler_type: fc.constantFrom('host', 'invitee') }),
    scheduled_event: fc.record({
      name: fc.string(),
      start_time: goodDate,
      event_memberships: fc.constant([{ user_email: 'priya.natarajan@example.com' }]),
    }),
  }),
});
const dirtyCalendly = fc.record(
  {
    event: field(
      fc.constantFrom(
        'invitee.created',
        'invitee.canceled',
        'invitee_no_show.created',
        'invitee_no_show.deleted',
      ),
    ),
    created_at: maybe(when),
    payload: field(
      fc.record(
        {
          email: field(email),
          first_name: maybe(junkText),
          created_at: maybe(when),
          rescheduled: maybe(junk),
          cancellation: maybe(
            field(fc.record({ reason: junkText, canceler_type: junkText, created_at: when })),
          ),
          no_show: maybe(field(fc.record({ created_at: when }))),
          scheduled_event: maybe(
            field(
              fc.record(
                {
                  name: junkText,
                  start_time: when,
                  event_memberships: field(
                    fc.array(
                      fc.record({ user_email: fc.oneof(fc.constant('priya.natarajan@example.com'), junk) }),
                      {
                        maxLength: 2,
                      },
                    ),
                  ),
                },
                { requiredKeys: [] },
              ),
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const calendly = fc.oneof({ weight: 3, arbitrary: cleanCalendly }, { weight: 1, arbitrary: dirtyCalendly });

const cleanForm = fc.record({
  email: goodEmail,
  first_name: fc.stringMatching(/^[A-Z][a-z]{1,8}$/),
  company: fc.string({ maxLength: 20 }),
  employees: fc.oneof(fc.nat(), fc.constant('1,200')),
  message: fc.string(),
  submission_id: fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/), { nil: undefined }),
  captcha: fc.string(),
});
const dirtyFormFields = fc.dictionary(
  fc.oneof(
    fc.constantFrom('email', 'first_name', 'company', 'employees', 'message', 'submission_id', '__proto__'),
    key,
  ),
  fc.oneof(field(email), junk, fc.array(junkText, { maxLength: 3 })),
  { maxKeys: 7 },
);
const formFields = fc.oneof({ weight: 3, arbitrary: cleanForm }, { weight: 1, arbitrary: dirtyFormFields });

/** `a=b&c=d` from pairs, sometimes with broken percent-encoding. */
const urlEncoded = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('email', 'first_name', 'company', '__proto__'), fc.string()),
      fc.oneof(email, fc.string()),
    ),
    {
      maxLength: 6,
    },
  )
  .chain((pairs) =>
    fc.oneof(
      fc.constant(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
      fc.constant(pairs.map(([k, v]) => `${k}=${v}%`).join('&')),
    ),
  );

/** Text-level damage to a JSON body. */
function mangle(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return text.chain((t) =>
    fc.oneof(
      fc.constant(t.replace('{', '{"__proto__":{"polluted":true},')),
      fc.constant(t.replace('{', '{"constructor":{"prototype":{"polluted":true}},')),
      fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n)),
      fc
        .tuple(
          fc.nat({ max: t.length }),
          fc.constantFrom('"', '}', ']', ',', '\\', '\u0000', 'NaN', '\ud800'),
        )
        .map(([n, c]) => t.slice(0, n) + c + t.slice(n)),
    ),
  );
}

/** A body nested `depth` deep inside a plausible envelope. */
const deep = fc
  .tuple(
    fc.integer({ min: 50, max: 20_000 }),
    fc.constantFrom('array', 'object'),
    fc.constantFrom('top', 'properties'),
  )
  .map(([depth, kind, where]) => {
    const nested =
      kind === 'array'
        ? '['.repeat(depth) + ']'.repeat(depth)
        : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    return where === 'top'
      ? nested
      : `{"id":"deep-${depth}","type":"identify","contact":{"email":"d@deep.io"},"properties":{"x":${nested}}}`;
  });

function bodies(structured: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const json = structured.map((value) => JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { weight: 12, arbitrary: json },
    { weight: 4, arbitrary: mangle(json) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: deep },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 20_000, max: 400_000 }).map((n) =>
        JSON.stringify({
          id: 'big',
          type: 'identify',
          contact: { email: 'b@big.io', title: 'x'.repeat(n) },
        }),
      ),
    },
  );
}

const BODIES: Readonly<Record<Target, fc.Arbitrary<string>>> = {
  events: bodies(
    fc.oneof(
      event,
      fc.array(event, { maxLength: 5 }),
      fc.record({ events: fc.array(event, { maxLength: 5 }) }),
    ),
  ),
  segment: bodies(
    fc.oneof(
      segmentCall,
      fc.record({ batch: fc.array(segmentCall, { maxLength: 5 }), context: maybe(junk) }),
    ),
  ),
  calendly: bodies(calendly),
  generic: bodies(
    fc.oneof(
      event,
      fc.array(event, { maxLength: 5 }),
      fc.record({ events: fc.array(event, { maxLength: 5 }) }),
    ),
  ),
  form: fc.oneof({ weight: 3, arbitrary: bodies(formFields) }, { weight: 2, arbitrary: urlEncoded }),
};

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
];

/** Requests for `target`. */
export function fuzzRequest(target: Target): fc.Arbitrary<FuzzRequest> {
  const right = target === 'form' ? [...JSON_TYPES, 'application/x-www-form-urlencoded'] : JSON_TYPES;
  return fc.record({
    target: fc.constant(target),
    body: BODIES[target],
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...right) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...OTHER_TYPES, undefined) },
    ),
    auth: fc.constantFrom('good', 'good', 'good', 'good', 'good', 'good', 'none', 'bad'),
    signature: fc.constantFrom('good', 'good', 'good', 'good', 'good', 'good', 'none', 'bad', 'stale'),
    deliveryId: fc.stringMatching(/^msg_[a-z0-9]{1,3}$/),
    formId: fc.oneof(
      { weight: 9, arbitrary: fc.constant('contact-us') },
      { weight: 1, arbitrary: fc.constantFrom('nope', '__proto__', 'constructor', '%2e%2e') },
    ),
  });
}

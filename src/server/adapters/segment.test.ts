import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMapped } from './mapped.ts';
import { mapSegment, type SegmentOptions } from './segment.ts';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/webhooks/${name}`, import.meta.url), 'utf8'));

const OPTIONS: SegmentOptions = { track: {}, pages: [], customTypes: [], maxBatch: 1000 };
const SPEC = { customTypes: [], reasonCodes: [], now: 0, defaultSource: 'segment' };

const call = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  type: 'track',
  messageId: 'm-1',
  userId: 'u-1',
  event: 'Signed Up',
  ...overrides,
});

describe('mapSegment', () => {
  it('maps the sample batch and lists what it ignores', () => {
    const result = mapSegment(sample('segment-batch.json'), OPTIONS);
    expect(result.issues).toEqual([]);
    expect(result.events.map((e) => e.event)).toEqual([
      {
        id: 'segment:msg-identify-7f3a',
        type: 'identify',
        at: '2026-11-24T14:58:00Z',
        contact: {
          id: 'u-1042',
          email: 'Ada.Byron@Northwind.io',
          firstName: 'Ada',
          lastName: 'Byron',
          title: 'VP Revenue Operations',
        },
        company: { name: 'Northwind', domain: 'https://northwind.io', employees: 420, industry: 'software' },
        properties: {},
      },
      {
        id: 'segment:msg-page-81c2',
        type: 'page_view',
        at: '2026-11-24T15:00:00Z',
        contact: { id: 'u-1042' },
        properties: { url: 'https://example.com/pricing', category: 'pricing', title: 'Pricing' },
      },
      {
        id: 'segment:msg-track-93d1',
        type: 'form_submit',
        at: '2026-11-24T15:01:00Z',
        contact: { id: 'u-1042', email: 'ada.byron@northwind.io' },
        properties: { plan: 'growth', form: 'demo_request' },
      },
    ]);
    expect(result.events.map((e) => e.base)).toEqual([
      ['batch', 0],
      ['batch', 1],
      ['batch', 2],
    ]);
    expect(result.ignored).toEqual([
      {
        path: ['batch', 3],
        reason: 'anonymous call (no `userId` nor email trait): identify the visitor to count their activity',
      },
      {
        path: ['batch', 4, 'event'],
        reason:
          'no mapping for the track event "Button Clicked": add it under inbound.segment.track to count it',
      },
    ]);
    expect(checkMapped(result.events, SPEC)).toEqual([]);
  });

  it('maps a single call with context traits (snake_case names too)', () => {
    const result = mapSegment(sample('segment-track.json'), OPTIONS);
    expect(result.events.map((e) => e.event)).toEqual([
      {
        id: 'segment:msg-track-5b7e',
        type: 'product',
        at: '2026-11-24T16:20:00Z',
        contact: { id: 'u-2088', email: 'grace@hopper-labs.com', firstName: 'Grace' },
        properties: { plan: 'trial', action: 'account_created' },
      },
    ]);
  });

  it('takes config track names first, then Segment spec names, then catalog type names', () => {
    const track = { 'Signed Up': { type: 'form_submit', properties: { form: 'trial_signup' } } };
    const mapped = (event: string, properties: Record<string, unknown> = {}) =>
      mapSegment(call({ event, properties }), { ...OPTIONS, track, customTypes: ['trial_extended'] })
        .events[0]?.event;
    expect(mapped('Signed Up')).toMatchObject({ type: 'form_submit', properties: { form: 'trial_signup' } });
    expect(mapped('Email Opened', { campaign_name: 'nov-digest' })).toMatchObject({
      type: 'email',
      properties: { action: 'open', campaign: 'nov-digest', campaign_name: 'nov-digest' },
    });
    expect(mapped('content_download', { kind: 'ebook' })).toMatchObject({
      type: 'content_download',
      properties: { kind: 'ebook' },
    });
    expect(mapped('trial_extended', { days: 14 })).toMatchObject({
      type: 'trial_extended',
      properties: { days: 14 },
    });
    // Names that exist on every object's prototype are not mappings.
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(mapSegment(call({ event: name }), OPTIONS).ignored).toHaveLength(1);
  });

  it('reads traits from the batch context when the call has none, and maps group calls to company attributes', () => {
    const body = {
      context: { traits: { email: 'joan@clarke.dev' } },
      batch: [
        call({
          type: 'group',
          messageId: 'g-1',
          traits: { name: 'Clarke Dev', employees: '35', website: 'clarke.dev' },
        }),
      ],
    };
    const result = mapSegment(body, OPTIONS);
    expect(result.events[0]?.event).toEqual({
      id: 'segment:g-1',
      type: 'identify',
      contact: { id: 'u-1', email: 'joan@clarke.dev' },
      company: { name: 'Clarke Dev', domain: 'clarke.dev', employees: '35' },
      properties: {},
    });
    expect(result.events[0]?.origins['contact.email']).toEqual(['context', 'traits', 'email']);
  });

  it('ignores screen and alias calls', () => {
    const result = mapSegment({ batch: [call({ type: 'screen' }), call({ type: 'alias' })] }, OPTIONS);
    expect(result.events).toEqual([]);
    expect(result.ignored.map((i) => i.path)).toEqual([
      ['batch', 0],
      ['batch', 1],
    ]);
  });

  it('refuses malformed calls with the path of each problem', () => {
    const result = mapSegment(
      {
        batch: [
          'not a call',
          call({ type: 'trak' }),
          call({ messageId: undefined }),
          call({ event: '' }),
          call({ properties: [1, 2] }),
        ],
      },
      OPTIONS,
    );
    expect(result.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['webhook.unmappable_payload', ['batch', 0], 'a Segment call must be a JSON object'],
      [
        'webhook.unmappable_payload',
        ['batch', 1, 'type'],
        '`type` must be one of track, identify, page, group, screen, alias, not "trak"',
      ],
      [
        'webhook.unmappable_payload',
        ['batch', 2, 'messageId'],
        '`messageId` is required (at most 180 characters): it makes a redelivered call harmless',
      ],
      [
        'webhook.unmappable_payload',
        ['batch', 3, 'event'],
        '`track` calls need `event`, the name of what happened',
      ],
      ['webhook.unmappable_payload', ['batch', 4, 'properties'], '`properties` must be an object'],
    ]);
    expect(mapSegment('{"type":"track"}', OPTIONS).issues[0]?.path).toEqual([]);
    expect(mapSegment({ batch: { type: 'track' } }, OPTIONS).issues[0]?.message).toBe(
      '`batch` must be a list of calls',
    );
  });

  it('refuses a batch over the limit', () => {
    const result = mapSegment({ batch: [call({}), call({}), call({})] }, { ...OPTIONS, maxBatch: 2 });
    expect(result.issues).toEqual([
      {
        code: 'http.batch_too_large',
        path: ['batch'],
        message: 'a batch holds at most 2 calls; this one has 3',
        hint: 'split it into smaller batches',
        severity: 'error',
      },
    ]);
  });

  it('names the Segment field when the mapped event fails the catalog', () => {
    const body = {
      batch: [
        call({}),
        {
          type: 'identify',
          messageId: 'i-2',
          userId: 'u-2',
          traits: { email: 'not-an-email', company: { employees: 'many' } },
        },
        call({ messageId: 'p-3', type: 'page', timestamp: 'yesterday' }),
      ],
    };
    const issues = checkMapped(mapSegment(body, OPTIONS).events, SPEC);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['event.invalid_field', ['batch', 1, 'traits', 'email']],
      ['event.invalid_field', ['batch', 1, 'traits', 'company', 'employees']],
      ['event.invalid_field', ['batch', 2, 'timestamp']],
    ]);
    expect(issues[0]?.message).toBe(
      "`not-an-email` is not an email address (in the mapped event's `contact.email`)",
    );
  });
});

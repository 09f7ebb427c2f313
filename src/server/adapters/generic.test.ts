import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapGeneric } from './generic.ts';
import { checkMapped } from './mapped.ts';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/webhooks/${name}`, import.meta.url), 'utf8'));

const OPTIONS = { deliveryId: 'msg_g1', maxBatch: 1000 };
const SPEC = { customTypes: [], reasonCodes: [], now: 0, defaultSource: 'webhook' };
const event = { type: 'identify', contact: { email: 'a@b.io' } };

describe('mapGeneric', () => {
  it('keeps events as sent, giving the ones without an id one derived from the delivery', () => {
    const result = mapGeneric(sample('generic.json'), OPTIONS);
    expect(result.events.map((e) => [e.event['id'], e.base])).toEqual([
      ['evt-billing-7781', ['events', 0]],
      ['generic:msg_g1:1', ['events', 1]],
    ]);
    expect(result.events[1]?.event).toMatchObject({
      type: 'content_download',
      properties: { kind: 'roi_guide' },
    });
    expect(checkMapped(result.events, SPEC)).toEqual([]);
  });

  it('takes one event or a list', () => {
    expect(mapGeneric(event, OPTIONS).events.map((e) => [e.event['id'], e.base])).toEqual([
      ['generic:msg_g1:0', []],
    ]);
    expect(mapGeneric([event, event], OPTIONS).events.map((e) => e.base)).toEqual([[0], [1]]);
  });

  it('refuses what is not events, and names catalog problems at their payload path', () => {
    const issues = (body: unknown) => mapGeneric(body, OPTIONS).issues.map((i) => [i.code, i.path]);
    expect(issues('x')).toEqual([['webhook.unmappable_payload', []]]);
    expect(issues({ events: {} })).toEqual([['webhook.unmappable_payload', ['events']]]);
    expect(issues({ events: [] })).toEqual([['webhook.unmappable_payload', ['events']]]);
    expect(issues({ events: [event, 7] })).toEqual([['webhook.unmappable_payload', ['events', 1]]]);
    expect(issues([event, event, event])).toEqual([]);
    expect(mapGeneric([event, event], { ...OPTIONS, maxBatch: 1 }).issues.map((i) => i.code)).toEqual([
      'http.batch_too_large',
    ]);
    const bad = mapGeneric(
      {
        events: [
          event,
          { type: 'page_view', contact: { email: 'a@b.io' }, properties: { category: 'prices' } },
        ],
      },
      OPTIONS,
    );
    const found = checkMapped(bad.events, SPEC);
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['event.invalid_property', ['events', 1, 'properties', 'category']],
    ]);
    expect(found[0]?.message).not.toContain('mapped event');
  });
});

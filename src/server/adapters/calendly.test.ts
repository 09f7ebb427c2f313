import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCalendly } from './calendly.ts';
import { checkMapped } from './mapped.ts';

const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../examples/webhooks/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const OPTIONS = { deliveryId: 'msg_2pQx', repsByEmail: new Map([['priya.natarajan@example.com', 'priya']]) };
const SPEC = { customTypes: [], reasonCodes: [], now: 0, defaultSource: 'calendly' };

describe('mapCalendly', () => {
  it('maps a booking to meeting booked, with the host as the rep', () => {
    const result = mapCalendly(sample('calendly-invitee-created.json'), OPTIONS);
    expect(result.events.map((e) => e.event)).toEqual([
      {
        id: 'calendly:msg_2pQx:0',
        type: 'meeting',
        at: '2026-11-24T17:05:11.000000Z',
        contact: { email: 'margaret@hamilton-apollo.com', firstName: 'Margaret', lastName: 'Hamilton' },
        properties: {
          action: 'booked',
          startsAt: '2026-11-26T15:00:00.000000Z',
          meeting: '30 Minute Discovery Call',
          rep: 'priya',
        },
      },
    ]);
    expect(checkMapped(result.events, SPEC)).toEqual([]);
  });

  it('maps a cancellation with its reason, and a no-show at the time it was marked', () => {
    expect(mapCalendly(sample('calendly-invitee-canceled.json'), OPTIONS).events[0]?.event).toMatchObject({
      at: '2026-11-25T09:12:39.000000Z',
      properties: {
        action: 'canceled',
        reason: 'Travelling that week',
        canceledBy: 'invitee',
        rescheduled: false,
        rep: 'priya',
      },
    });
    expect(mapCalendly(sample('calendly-invitee-no-show.json'), OPTIONS).events[0]?.event).toMatchObject({
      at: '2026-11-26T15:20:02.000000Z',
      properties: { action: 'no_show', startsAt: '2026-11-26T15:00:00.000000Z' },
    });
  });

  it('keeps an unknown host as `host`, and the delivery id in the event id', () => {
    const body = sample('calendly-invitee-created.json');
    const result = mapCalendly(body, { deliveryId: 'msg_9', repsByEmail: new Map() });
    expect(result.events[0]?.event['id']).toBe('calendly:msg_9:0');
    expect(result.events[0]?.event['properties']).toMatchObject({ host: 'priya.natarajan@example.com' });
  });

  it('acknowledges other Calendly events without mapping them', () => {
    const result = mapCalendly({ event: 'routing_form_submission.created', payload: {} }, OPTIONS);
    expect(result).toEqual({
      events: [],
      ignored: [
        {
          path: ['event'],
          reason: 'Calendly event `routing_form_submission.created` carries no meeting signal',
        },
      ],
      issues: [],
    });
    expect(mapCalendly({ event: 'constructor', payload: {} }, OPTIONS).ignored).toHaveLength(1);
  });

  it('refuses bodies that are not Calendly webhooks, naming the field', () => {
    const paths = (body: unknown) => mapCalendly(body, OPTIONS).issues.map((i) => i.path);
    expect(paths([])).toEqual([[]]);
    expect(paths({ payload: 'x' })).toEqual([['event'], ['payload']]);
    expect(paths({ event: 'invitee.created', payload: { name: 'No Email' } })).toEqual([
      ['payload', 'email'],
    ]);
    const bad = mapCalendly(
      { event: 'invitee.created', created_at: 'soon', payload: { email: 'x@y.io', created_at: 'tuesday' } },
      OPTIONS,
    );
    expect(checkMapped(bad.events, SPEC).map((i) => [i.code, i.path])).toEqual([
      ['event.invalid_field', ['payload', 'created_at']],
    ]);
  });
});

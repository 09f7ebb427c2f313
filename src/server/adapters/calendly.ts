/**
 * Calendly-shaped scheduling webhooks onto `meeting` events: `invitee.created` → booked,
 * `invitee.canceled` → canceled (a reschedule's cancellation says `rescheduled: true`),
 * `invitee_no_show.created` → no_show. Other Calendly events are acknowledged and ignored. The
 * event id is `calendly:<delivery id>:0`, so a redelivery is a duplicate. Pure.
 */
import { isRecord, own, ownPath, text, unmappable, type AdapterResult, type PayloadPath } from './mapped.ts';

/** What the Calendly adapter needs beyond the body. */
export interface CalendlyOptions {
  /** The delivery id (`webhook-id`), the same on every retry of one delivery. */
  readonly deliveryId: string;
  /** Rep ids by lower-cased email, to name the host of the meeting. */
  readonly repsByEmail: ReadonlyMap<string, string>;
}

const ACTIONS: ReadonlyMap<string, 'booked' | 'canceled' | 'no_show'> = new Map([
  ['invitee.created', 'booked'],
  ['invitee.canceled', 'canceled'],
  ['invitee_no_show.created', 'no_show'],
]);

/** Maps one Calendly webhook body. Never throws. */
export function mapCalendly(body: unknown, options: CalendlyOptions): AdapterResult {
  const kind = text(own(body, 'event'));
  const payload = own(body, 'payload');
  if (!isRecord(body) || kind === undefined || !isRecord(payload)) {
    const issues = !isRecord(body)
      ? [unmappable([], 'expected a Calendly webhook body: {"event": "invitee.created", "payload": {…}}')]
      : [
          ...(kind === undefined
            ? [unmappable(['event'], '`event` must name the Calendly event, like `invitee.created`')]
            : []),
          ...(isRecord(payload) ? [] : [unmappable(['payload'], '`payload` must be the invitee object')]),
        ];
    return { events: [], ignored: [], issues };
  }
  const action = ACTIONS.get(kind);
  if (action === undefined)
    return {
      events: [],
      ignored: [{ path: ['event'], reason: `Calendly event \`${kind}\` carries no meeting signal` }],
      issues: [],
    };
  const email = text(own(payload, 'email'));
  if (email === undefined)
    return {
      events: [],
      ignored: [],
      issues: [
        unmappable(
          ['payload', 'email'],
          'the invitee has no `email`: the engine cannot tell who the meeting is with',
        ),
      ],
    };

  const origins: Record<string, PayloadPath> = {
    'contact.email': ['payload', 'email'],
    properties: ['payload'],
  };
  const contact: Record<string, unknown> = { email };
  for (const [target, key] of [
    ['firstName', 'first_name'],
    ['lastName', 'last_name'],
  ] as const) {
    const value = text(own(payload, key));
    if (value === undefined) continue;
    contact[target] = value;
    origins[`contact.${target}`] = ['payload', key];
  }

  const meeting = own(payload, 'scheduled_event');
  const properties: Record<string, unknown> = { action };
  const startsAt = own(meeting, 'start_time');
  if (startsAt !== undefined && startsAt !== null) {
    properties['startsAt'] = startsAt;
    origins['properties.startsAt'] = ['payload', 'scheduled_event', 'start_time'];
  }
  const name = text(own(meeting, 'name'));
  if (name !== undefined) properties['meeting'] = name;
  const hosts = own(meeting, 'event_memberships');
  const hostEmail = Array.isArray(hosts) ? text(own(hosts[0], 'user_email'))?.toLowerCase() : undefined;
  if (hostEmail !== undefined) {
    const rep = options.repsByEmail.get(hostEmail);
    if (rep !== undefined) properties['rep'] = rep;
    else properties['host'] = hostEmail;
  }
  if (action === 'canceled') {
    const cancellation = own(payload, 'cancellation');
    const reason = text(own(cancellation, 'reason'));
    const by = text(own(cancellation, 'canceler_type'));
    if (reason !== undefined) properties['reason'] = reason;
    if (by !== undefined) properties['canceledBy'] = by;
    properties['rescheduled'] = own(payload, 'rescheduled') === true;
  }

  // When it happened: the no-show mark, the cancellation, or the booking.
  const candidates: readonly (readonly string[])[] =
    action === 'no_show'
      ? [['payload', 'no_show', 'created_at'], ['created_at']]
      : action === 'canceled'
        ? [['payload', 'cancellation', 'created_at'], ['payload', 'updated_at'], ['created_at']]
        : [['payload', 'created_at'], ['created_at']];
  const atPath = candidates.find((path) => ownPath(body, path) !== undefined && ownPath(body, path) !== null);
  if (atPath !== undefined) origins['at'] = atPath;
  const event: Record<string, unknown> = { id: `calendly:${options.deliveryId}:0`, type: 'meeting' };
  if (atPath !== undefined) event['at'] = ownPath(body, atPath);
  event['contact'] = contact;
  event['properties'] = properties;
  return {
    events: [{ base: [], origins, event }],
    ignored: [],
    issues: [],
  };
}

/**
 * A generic signed webhook carrying events already in the catalog's shape: one event, a list of
 * events, or `{ "events": [...] }`. Events keep their own `id` (so the same event sent here and to
 * `POST /v1/events` is one); an event without one gets `generic:<delivery id>:<index>`, the same
 * on every redelivery. Pure.
 */
import {
  isRecord,
  own,
  unmappable,
  type AdapterResult,
  type MappedEvent,
  type PayloadPath,
} from './mapped.ts';
import type { Issue } from '../../core/issue.ts';

/** What the generic adapter needs beyond the body. */
export interface GenericOptions {
  /** The delivery id (`webhook-id`), the same on every retry of one delivery. */
  readonly deliveryId: string;
  readonly maxBatch: number;
}

/** Maps one generic webhook body. Never throws. */
export function mapGeneric(body: unknown, options: GenericOptions): AdapterResult {
  let items: readonly unknown[];
  let base: PayloadPath;
  if (Array.isArray(body)) [items, base] = [body, []];
  else if (isRecord(body) && Object.hasOwn(body, 'events')) {
    const events = own(body, 'events');
    if (!Array.isArray(events))
      return {
        events: [],
        ignored: [],
        issues: [unmappable(['events'], '`events` must be a list of events')],
      };
    [items, base] = [events, ['events']];
  } else if (isRecord(body))
    return { events: [single(body, [], options.deliveryId, 0)], ignored: [], issues: [] };
  else
    return {
      events: [],
      ignored: [],
      issues: [unmappable([], 'expected an event object, a list of events, or {"events": [ … ]}')],
    };

  if (items.length > options.maxBatch) {
    const tooMany: Issue = {
      code: 'http.batch_too_large',
      path: [...base],
      message: `a delivery holds at most ${options.maxBatch} events; this one has ${items.length}`,
      hint: 'split it into smaller deliveries',
      severity: 'error',
    };
    return { events: [], ignored: [], issues: [tooMany] };
  }
  if (items.length === 0)
    return { events: [], ignored: [], issues: [unmappable([...base], 'the delivery holds no events')] };
  const issues: Issue[] = [];
  const events: MappedEvent[] = [];
  items.forEach((item, index) => {
    if (isRecord(item)) events.push(single(item, [...base, index], options.deliveryId, index));
    else
      issues.push(unmappable([...base, index], 'each event must be a JSON object like {"id": …, "type": …}'));
  });
  return { events: issues.length > 0 ? [] : events, ignored: [], issues };
}

function single(
  item: Record<string, unknown>,
  base: PayloadPath,
  deliveryId: string,
  index: number,
): MappedEvent {
  const hasId = own(item, 'id') !== undefined && own(item, 'id') !== null;
  return {
    base,
    origins: { '': base },
    event: hasId ? item : Object.assign({}, item, { id: `generic:${deliveryId}:${index}` }),
  };
}

/**
 * Segment-compatible calls onto the event catalog, so Segment, RudderStack or Jitsu can forward to
 * the engine: `track` (by event name), `identify`, `page` and `group`, one call or a `batch`. Each
 * event's id is `segment:<messageId>`, which senders keep across retries. Pure.
 */
import { isCatalogEventType } from '../../core/events/catalog.ts';
import type { Issue } from '../../core/issue.ts';
import {
  firstText,
  isRecord,
  own,
  ownPath,
  text,
  unmappable,
  type AdapterResult,
  type IgnoredItem,
  type MappedEvent,
  type PayloadPath,
} from './mapped.ts';
import { pageCategory, type PageRule } from './pageCategory.ts';

/** How a `track` event name becomes a catalog event. */
export interface TrackMapping {
  readonly type: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/** Segment's semantic event names (its spec) the engine understands without configuration. */
export const SEGMENT_SPEC_EVENTS: Readonly<Record<string, TrackMapping>> = {
  'Signed Up': { type: 'product', properties: { action: 'account_created' } },
  'Account Created': { type: 'product', properties: { action: 'account_created' } },
  'Trial Started': { type: 'form_submit', properties: { form: 'trial_signup' } },
  'Demo Requested': { type: 'form_submit', properties: { form: 'demo_request' } },
  'Invite Sent': { type: 'product', properties: { action: 'teammate_invited' } },
  'Email Opened': { type: 'email', properties: { action: 'open' } },
  'Email Link Clicked': { type: 'email', properties: { action: 'click' } },
  Unsubscribed: { type: 'email', properties: { action: 'unsubscribe' } },
  'Email Bounced': { type: 'email', properties: { action: 'bounce_hard' } },
  'Email Marked as Spam': { type: 'email', properties: { action: 'spam_complaint' } },
};

/** What the Segment adapter needs beyond the body (from `inbound.segment` and the limits). */
export interface SegmentOptions {
  /** `track` names from config (`inbound.segment.track`), tried before the spec names. */
  readonly track: Readonly<Record<string, TrackMapping>>;
  readonly pages: readonly PageRule[];
  /** Custom event types from config: a `track` named after one is taken as it is. */
  readonly customTypes: readonly string[];
  readonly maxBatch: number;
}

const CALL_TYPES = ['track', 'identify', 'page', 'group', 'screen', 'alias'];
const CONTACT_TRAITS: readonly (readonly [string, readonly string[]])[] = [
  ['email', ['email']],
  ['firstName', ['firstName', 'first_name']],
  ['lastName', ['lastName', 'last_name']],
  ['title', ['title']],
  ['phone', ['phone']],
  ['seniority', ['seniority']],
  ['department', ['department']],
];
const COMPANY_TRAITS: readonly (readonly [string, readonly string[]])[] = [
  ['name', ['name']],
  ['domain', ['domain', 'website']],
  ['employees', ['employees', 'employee_count', 'employeeCount']],
  ['industry', ['industry']],
  ['revenue', ['revenue', 'annual_revenue']],
];

interface Out {
  readonly events: MappedEvent[];
  readonly ignored: IgnoredItem[];
  readonly issues: Issue[];
}

/** Maps one Segment call or a `{ batch: [...] }` body. Never throws. */
export function mapSegment(body: unknown, options: SegmentOptions): AdapterResult {
  const out: Out = { events: [], ignored: [], issues: [] };
  if (!isRecord(body)) {
    out.issues.push(
      unmappable([], 'expected a Segment call ({"type": "track", …}) or a batch ({"batch": [ … ]})'),
    );
    return out;
  }
  if (!Object.hasOwn(body, 'batch')) {
    mapCall(body, [], undefined, options, out);
    return out;
  }
  const batch = body['batch'];
  if (!Array.isArray(batch)) out.issues.push(unmappable(['batch'], '`batch` must be a list of calls'));
  else if (batch.length > options.maxBatch)
    out.issues.push({
      code: 'http.batch_too_large',
      path: ['batch'],
      message: `a batch holds at most ${options.maxBatch} calls; this one has ${batch.length}`,
      hint: 'split it into smaller batches',
      severity: 'error',
    });
  else batch.forEach((call, i) => mapCall(call, ['batch', i], own(body, 'context'), options, out));
  return out;
}

function mapCall(
  call: unknown,
  base: PayloadPath,
  batchContext: unknown,
  options: SegmentOptions,
  out: Out,
): void {
  if (!isRecord(call)) {
    out.issues.push(unmappable(base, 'a Segment call must be a JSON object'));
    return;
  }
  const type = own(call, 'type');
  if (typeof type !== 'string' || !CALL_TYPES.includes(type)) {
    out.issues.push(
      unmappable(
        [...base, 'type'],
        `\`type\` must be one of ${CALL_TYPES.join(', ')}, not ${JSON.stringify(type) ?? 'missing'}`,
      ),
    );
    return;
  }
  if (type === 'screen' || type === 'alias') {
    out.ignored.push({ path: base, reason: `\`${type}\` calls carry nothing the engine scores` });
    return;
  }
  const messageId = own(call, 'messageId');
  const mid =
    typeof messageId === 'number' && Number.isFinite(messageId) ? String(messageId) : text(messageId);
  if (mid === undefined || mid.length > 180) {
    out.issues.push(
      unmappable(
        [...base, 'messageId'],
        '`messageId` is required (at most 180 characters): it makes a redelivered call harmless',
        'every Segment library sets it; set a unique id per call when posting by hand',
      ),
    );
    return;
  }

  const origins: Record<string, PayloadPath> = { id: [...base, 'messageId'] };
  const contact: Record<string, unknown> = {};
  const company: Record<string, unknown> = {};
  const context = (keys: string[]): { value: unknown; path: PayloadPath } => {
    const value = ownPath(call, ['context', ...keys]);
    return value !== undefined || batchContext === undefined
      ? { value, path: [...base, 'context', ...keys] }
      : { value: ownPath(batchContext, keys), path: ['context', ...keys] };
  };

  const userId = own(call, 'userId');
  const uid = typeof userId === 'number' && Number.isFinite(userId) ? String(userId) : text(userId);
  if (uid !== undefined) {
    contact['id'] = uid;
    origins['contact.id'] = [...base, 'userId'];
  }
  const traits =
    type === 'identify' && own(call, 'traits') !== undefined
      ? { value: own(call, 'traits'), path: [...base, 'traits'] }
      : context(['traits']);
  copyTraits(traits.value, traits.path, CONTACT_TRAITS, contact, 'contact', origins);
  for (const key of ['country', 'state'])
    copyTraits(
      own(own(traits.value, 'address'), key),
      [...traits.path, 'address', key],
      [[key, []]],
      contact,
      'contact',
      origins,
    );
  const traitsCompany = own(traits.value, 'company');
  if (typeof traitsCompany === 'string')
    copyTraits(
      { name: traitsCompany },
      [...traits.path, 'company'],
      [['name', ['name']]],
      company,
      'company',
      origins,
    );
  else copyTraits(traitsCompany, [...traits.path, 'company'], COMPANY_TRAITS, company, 'company', origins);

  const properties = own(call, 'properties');
  if (properties !== undefined && properties !== null && !isRecord(properties)) {
    out.issues.push(unmappable([...base, 'properties'], '`properties` must be an object'));
    return;
  }
  if (contact['email'] === undefined && type !== 'identify')
    copyTraits(properties, [...base, 'properties'], [['email', ['email']]], contact, 'contact', origins);
  if (contact['email'] === undefined && contact['id'] === undefined) {
    out.ignored.push({
      path: base,
      reason: 'anonymous call (no `userId` nor email trait): identify the visitor to count their activity',
    });
    return;
  }

  let event: { type: string; properties: Record<string, unknown> };
  if (type === 'track') {
    const name = text(own(call, 'event'));
    if (name === undefined) {
      out.issues.push(
        unmappable([...base, 'event'], '`track` calls need `event`, the name of what happened'),
      );
      return;
    }
    const mapping = trackMapping(name, options);
    if (mapping === undefined) {
      out.ignored.push({
        path: [...base, 'event'],
        reason: `no mapping for the track event ${JSON.stringify(name)}: add it under inbound.segment.track to count it`,
      });
      return;
    }
    const given: Record<string, unknown> = isRecord(properties)
      ? Object.fromEntries(Object.entries(properties))
      : {};
    origins['properties'] = [...base, 'properties'];
    if (mapping.type === 'email' && given['campaign'] === undefined && given['campaign_name'] !== undefined)
      given['campaign'] = given['campaign_name'];
    for (const key of Object.keys(mapping.properties)) origins[`properties.${key}`] = [...base, 'event'];
    event = { type: mapping.type, properties: Object.assign(given, mapping.properties) };
  } else if (type === 'page') {
    const page = context(['page', 'url']);
    const given = text(own(properties, 'url'));
    const url = given ?? text(page.value);
    if (url !== undefined)
      origins['properties.url'] = given === undefined ? page.path : [...base, 'properties', 'url'];
    const category = pageCategory([own(call, 'category'), own(properties, 'category')], url, options.pages);
    const title = firstText(properties, ['title']) ?? firstText(call, ['name']);
    event = {
      type: 'page_view',
      properties: Object.assign(
        url === undefined ? {} : { url },
        { category },
        title === undefined ? {} : { title: title.value },
      ),
    };
  } else {
    if (type === 'group') {
      copyTraits(own(call, 'traits'), [...base, 'traits'], COMPANY_TRAITS, company, 'company', origins);
    }
    event = { type: 'identify', properties: {} };
  }

  const at = firstDefined(call, ['timestamp', 'originalTimestamp', 'sentAt']);
  if (at !== undefined) origins['at'] = [...base, at.key];
  const mapped: Record<string, unknown> = { id: `segment:${mid}`, type: event.type };
  if (at !== undefined) mapped['at'] = at.value;
  mapped['contact'] = contact;
  if (Object.keys(company).length > 0) mapped['company'] = company;
  mapped['properties'] = event.properties;
  out.events.push({ base, origins, event: mapped });
}

function trackMapping(name: string, options: SegmentOptions): TrackMapping | undefined {
  if (Object.hasOwn(options.track, name)) return options.track[name];
  if (Object.hasOwn(SEGMENT_SPEC_EVENTS, name)) return SEGMENT_SPEC_EVENTS[name];
  if (isCatalogEventType(name) || options.customTypes.includes(name)) return { type: name, properties: {} };
  return undefined;
}

/** Copies the first present key of each target's keys (or the value itself when keys is empty). */
function copyTraits(
  source: unknown,
  path: PayloadPath,
  targets: readonly (readonly [string, readonly string[]])[],
  into: Record<string, unknown>,
  prefix: string,
  origins: Record<string, PayloadPath>,
): void {
  for (const [target, keys] of targets) {
    if (into[target] !== undefined) continue;
    const found = keys.length === 0 ? { key: undefined, value: source } : firstDefined(source, keys);
    if (found === undefined || found.value === undefined || found.value === null || found.value === '')
      continue;
    into[target] = found.value;
    origins[`${prefix}.${target}`] = found.key === undefined ? path : [...path, found.key];
  }
}

function firstDefined(value: unknown, keys: readonly string[]): { key: string; value: unknown } | undefined {
  for (const key of keys) {
    const found = own(value, key);
    if (found !== undefined && found !== null && found !== '') return { key, value: found };
  }
  return undefined;
}

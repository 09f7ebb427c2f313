/**
 * Validates one inbound event against the catalog and normalises it: email lower-cased, time
 * parsed, numbers coerced where the catalog says so. Collects every problem of the event.
 */
import { BANT_CRITERIA } from '../lifecycle/salesDecision.ts';
import { listOf, didYouMean } from '../text/didYouMean.ts';
import type { IssueCode } from '../errors.ts';
import type { AttributeValue, InboundEvent, JsonObject, JsonValue, Millis } from '../types.ts';
import { normalizeEmail, registrableDomain } from '../identity/domains.ts';
import { EVENT_PROPERTIES, EVENT_TYPES, REASON_CODE_PATTERN } from './catalog.ts';

export interface EventIssue {
  readonly code: IssueCode;
  /** Path inside the event (`properties.category`). */
  readonly path: string;
  readonly message: string;
}

export type EventValidation =
  | { readonly ok: true; readonly event: InboundEvent }
  | { readonly ok: false; readonly id?: string; readonly issues: readonly EventIssue[] };

/** What validation needs to know beyond the built-in catalog. */
export interface EventCatalogSpec {
  /** Custom event types from config, with their property names. */
  readonly customTypes: readonly { readonly type: string; readonly properties: readonly string[] }[];
  /** Reason codes a `sales_decision` rejection may carry. */
  readonly reasonCodes: readonly string[];
  /** Used when an event has no `at`. */
  readonly now: Millis;
  /** Provenance when the event names none. */
  readonly defaultSource: string;
}

const CONTACT_FIELDS = [
  'email',
  'id',
  'firstName',
  'lastName',
  'title',
  'seniority',
  'department',
  'phone',
  'source',
  'country',
  'state',
];
const COMPANY_FIELDS = [
  'domain',
  'name',
  'employees',
  'industry',
  'revenue',
  'country',
  'state',
  'techStack',
];
const NUMERIC_COMPANY = new Set(['employees', 'revenue']);
const TOP_LEVEL = new Set(['id', 'type', 'at', 'source', 'contact', 'company', 'properties']);
const MAX_STRING = 10_000;
const MAX_DEPTH = 8;
const MAX_KEYS = 200;
/** Epoch milliseconds at the end of year 9999: later numbers are mistakes (and break date arithmetic). */
const MAX_TIME = 253_402_300_799_999;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateEvent(raw: unknown, spec: EventCatalogSpec): EventValidation {
  if (!isObject(raw)) {
    return {
      ok: false,
      issues: [
        {
          code: 'event.not_an_object',
          path: '',
          message: 'an event must be a JSON object like {"id": …, "type": …}',
        },
      ],
    };
  }
  const issues: EventIssue[] = [];
  const problem = (code: IssueCode, path: string, message: string) => issues.push({ code, path, message });

  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.has(key))
      problem(
        'event.invalid_field',
        key,
        `unknown field \`${key}\`${didYouMean(key, TOP_LEVEL)}; event attributes go in \`contact\`, \`company\` or \`properties\``,
      );
  }

  // id
  let id: string | undefined;
  if (typeof raw['id'] === 'string' && raw['id'].trim() !== '' && raw['id'].length <= 200)
    id = raw['id'].trim();
  else if (typeof raw['id'] === 'number' && Number.isFinite(raw['id'])) id = String(raw['id']);
  else if (raw['id'] === undefined)
    problem(
      'event.missing_field',
      'id',
      '`id` is required: a unique id per event, which makes sending it twice harmless',
    );
  else problem('event.invalid_field', 'id', '`id` must be a non-empty string of at most 200 characters');

  // type
  const customTypes = new Map(spec.customTypes.map((t) => [t.type, t.properties]));
  const allTypes = [...EVENT_TYPES, ...customTypes.keys()];
  const type = raw['type'];
  if (type === undefined)
    problem('event.missing_field', 'type', `\`type\` is required: one of ${listOf(allTypes, 20)}`);
  else if (typeof type !== 'string' || !allTypes.includes(type))
    problem(
      'event.unknown_type',
      'type',
      `unknown event type \`${typeof type === 'string' ? type : JSON.stringify(type)}\`${typeof type === 'string' ? didYouMean(type, allTypes) : ''}; expected ${listOf(allTypes, 20)} (add custom types under events.custom)`,
    );

  // at
  let at: Millis = spec.now;
  const rawAt = raw['at'];
  if (typeof rawAt === 'string') {
    const parsed =
      /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(rawAt) && /(Z|[+-]\d{2}:?\d{2})$/.test(rawAt)
        ? Date.parse(rawAt)
        : NaN;
    if (Number.isNaN(parsed))
      problem('event.invalid_field', 'at', '`at` must be an ISO time with a zone, like 2026-11-27T14:05:00Z');
    else at = parsed;
  } else if (typeof rawAt === 'number' && Number.isFinite(rawAt) && rawAt > 0 && rawAt <= MAX_TIME) {
    at = Math.round(rawAt);
  } else if (rawAt !== undefined) {
    problem('event.invalid_field', 'at', '`at` must be an ISO time with a zone (or epoch milliseconds)');
  }

  const source =
    typeof raw['source'] === 'string' && raw['source'] !== '' ? raw['source'] : spec.defaultSource;

  // contact
  const contact: Record<string, AttributeValue> = {};
  const rawContact = raw['contact'];
  if (rawContact !== undefined && !isObject(rawContact))
    problem('event.invalid_field', 'contact', '`contact` must be an object of contact attributes');
  if (isObject(rawContact)) {
    for (const [key, value] of Object.entries(rawContact)) {
      if (value === null || value === undefined || value === '') continue;
      const attr = attributeValue(value);
      if (attr === undefined) {
        problem(
          'event.invalid_field',
          `contact.${key}`,
          `\`contact.${key}\` must be text, a number, true/false or a list of text`,
        );
        continue;
      }
      if (!CONTACT_FIELDS.includes(key) && !/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(key)) {
        problem(
          'event.invalid_field',
          `contact.${key}`,
          `\`contact.${key}\` is not a valid attribute name${didYouMean(key, CONTACT_FIELDS)}`,
        );
        continue;
      }
      contact[key] = attr;
    }
    if (typeof contact['email'] === 'string') {
      const email = normalizeEmail(contact['email']);
      if (email === undefined)
        problem('event.invalid_field', 'contact.email', `\`${contact['email']}\` is not an email address`);
      else contact['email'] = email;
    } else if (contact['email'] !== undefined)
      problem('event.invalid_field', 'contact.email', '`contact.email` must be text');
    if (contact['id'] !== undefined) contact['id'] = String(contact['id']);
  }
  if (contact['email'] === undefined && contact['id'] === undefined)
    problem(
      'event.no_subject',
      'contact',
      'the event names no contact: give `contact.email` (or `contact.id`)',
    );

  // company
  const company: Record<string, AttributeValue> = {};
  const rawCompany = raw['company'];
  if (rawCompany !== undefined && !isObject(rawCompany))
    problem('event.invalid_field', 'company', '`company` must be an object of company attributes');
  if (isObject(rawCompany)) {
    for (const [key, value] of Object.entries(rawCompany)) {
      if (value === null || value === undefined || value === '') continue;
      if (NUMERIC_COMPANY.has(key)) {
        const n =
          typeof value === 'number'
            ? value
            : typeof value === 'string'
              ? Number(value.replace(/[,\s$]/g, ''))
              : NaN;
        if (!Number.isFinite(n) || n < 0)
          problem(
            'event.invalid_field',
            `company.${key}`,
            `\`company.${key}\` must be a number of 0 or more`,
          );
        else company[key] = n;
        continue;
      }
      if (key === 'techStack') {
        const list =
          typeof value === 'string'
            ? value
                .split(/[,;]/)
                .map((s) => s.trim())
                .filter(Boolean)
            : value;
        if (!Array.isArray(list) || !list.every((v) => typeof v === 'string'))
          problem(
            'event.invalid_field',
            'company.techStack',
            '`company.techStack` must be a list of tool names',
          );
        else company[key] = list.map((v) => v.toLowerCase());
        continue;
      }
      const attr = attributeValue(value);
      if (attr === undefined || !/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(key)) {
        problem(
          'event.invalid_field',
          `company.${key}`,
          `\`company.${key}\` is not a valid attribute${didYouMean(key, COMPANY_FIELDS)}`,
        );
        continue;
      }
      company[key] = attr;
    }
    if (typeof company['domain'] === 'string') {
      const domain = registrableDomain(company['domain']);
      if (domain === undefined)
        problem(
          'event.invalid_field',
          'company.domain',
          `\`${company['domain']}\` is not a domain like acme.com`,
        );
      else company['domain'] = domain;
    }
  }

  // properties
  const rawProperties = raw['properties'] ?? {};
  let properties: JsonObject = {};
  if (!isObject(rawProperties))
    problem('event.invalid_field', 'properties', '`properties` must be an object');
  else {
    const json = toJson(rawProperties, 0);
    if (json === undefined)
      problem(
        'event.too_large',
        'properties',
        `\`properties\` is too large or too deep (at most ${MAX_DEPTH} levels, ${MAX_KEYS} keys per object, ${MAX_STRING} characters per text)`,
      );
    else properties = json as JsonObject;
  }
  if (typeof type === 'string' && issues.every((i) => i.path !== 'type')) {
    checkProperties(type, properties, spec, problem);
  }

  if (issues.length > 0 || id === undefined || typeof type !== 'string') {
    return id === undefined ? { ok: false, issues } : { ok: false, id, issues };
  }
  return { ok: true, event: { id, type, at, source, contact, company, properties } };
}

function checkProperties(
  type: string,
  properties: JsonObject,
  spec: EventCatalogSpec,
  problem: (code: IssueCode, path: string, message: string) => void,
): void {
  const specs = (
    EVENT_PROPERTIES as Readonly<Record<string, (typeof EVENT_PROPERTIES)[keyof typeof EVENT_PROPERTIES]>>
  )[type];
  if (specs === undefined) return; // custom types: any properties
  for (const property of specs) {
    const value = properties[property.name];
    if (value === undefined || value === null || property.values === undefined) continue;
    if (typeof value !== 'string' || !property.values.includes(value)) {
      problem(
        'event.invalid_property',
        `properties.${property.name}`,
        `\`${type}\` events take \`${property.name}\` as ${listOf(property.values, 20)}, not ${JSON.stringify(value)}${typeof value === 'string' ? didYouMean(value, property.values) : ''}`,
      );
    }
  }
  if (type === 'sales_decision') {
    const decision = properties['decision'];
    if (decision === undefined)
      problem(
        'event.missing_field',
        'properties.decision',
        'a sales decision needs `decision`: accept or reject',
      );
    const bant = properties['bant'];
    if (
      bant !== undefined &&
      bant !== null &&
      (!Array.isArray(bant) ||
        bant.some((c) => typeof c !== 'string' || !(BANT_CRITERIA as readonly string[]).includes(c)))
    )
      problem(
        'event.invalid_property',
        'properties.bant',
        `\`bant\` lists the BANT criteria confirmed, each one of ${listOf(BANT_CRITERIA, 4)}, not ${JSON.stringify(bant)}`,
      );
    const code = properties['reasonCode'];
    if (decision === 'reject') {
      if (
        typeof code !== 'string' ||
        !REASON_CODE_PATTERN.test(code) ||
        (spec.reasonCodes.length > 0 && !spec.reasonCodes.includes(code))
      )
        problem(
          'event.invalid_property',
          'properties.reasonCode',
          `a rejection needs a reason code: ${listOf(spec.reasonCodes.length > 0 ? spec.reasonCodes : ['FIT-01', 'QUAL-03'], 20)}`,
        );
    }
  }
  if (type === 'nps') {
    const score = properties['score'];
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10)
      problem(
        'event.invalid_property',
        'properties.score',
        'an NPS answer needs `score`, a whole number from 0 to 10',
      );
  }
  if (type === 'deal' && typeof properties['dealId'] !== 'string' && typeof properties['dealId'] !== 'number')
    problem('event.missing_field', 'properties.dealId', 'a deal event needs `dealId`');
}

function attributeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === 'string') return value.length <= MAX_STRING ? value.trim() : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (
    Array.isArray(value) &&
    value.length <= MAX_KEYS &&
    value.every((v) => typeof v === 'string' && v.length <= MAX_STRING)
  )
    return value as string[];
  return undefined;
}

/** A safe JSON copy (no prototype keys), or undefined past the size limits. */
function toJson(value: unknown, depth: number): JsonValue | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value.length <= MAX_STRING ? value : undefined;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    if (value.length > MAX_KEYS * 10) return undefined;
    const out: JsonValue[] = [];
    for (const item of value) {
      const json = toJson(item, depth + 1);
      if (json === undefined) return undefined;
      out.push(json);
    }
    return out;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length > MAX_KEYS) return undefined;
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const [key, item] of entries) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
      const json = toJson(item, depth + 1);
      if (json === undefined) return undefined;
      out[key] = json;
    }
    return { ...out };
  }
  return undefined;
}

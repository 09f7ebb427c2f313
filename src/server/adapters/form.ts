/**
 * A form submission (JSON or url-encoded fields) onto one catalog event through the form's field
 * mapping in config (`inbound.forms.<id>`). Unmapped fields (captcha tokens, hidden fields) are left
 * out. Pure.
 */
import { createHash } from 'node:crypto';
import type { Issue } from '../../core/issue.ts';
import { isRecord, own, unmappable, type AdapterResult, type PayloadPath } from './mapped.ts';

/** A form's mapping (the `inbound.forms.<id>` config entry). */
export interface FormMapping {
  readonly event: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** Form field → `contact.x`, `company.x`, `properties.x`, `at`, or a bare contact attribute. */
  readonly fields: Readonly<Record<string, string>>;
  readonly idField?: string | undefined;
}

/** What the form adapter needs beyond the body. */
export interface FormOptions {
  readonly formId: string;
  readonly form: FormMapping;
  /** The sender's `Idempotency-Key` header, when it sent one. */
  readonly idempotencyKey?: string | undefined;
  /** The UTC day the submission arrived (`2026-11-27`): identical submissions that day are one. */
  readonly receivedDay: string;
}

/** The event path a mapping target stands for: a bare name is a contact attribute. */
export function targetPath(target: string): string {
  return target === 'at' || /^(contact|company|properties)\./.test(target) ? target : `contact.${target}`;
}

/** A form field's value: an own key first, else a dotted path through nested JSON objects. */
function fieldValue(
  body: Record<string, unknown>,
  field: string,
): { value: unknown; path: PayloadPath } | undefined {
  if (Object.hasOwn(body, field)) return { value: body[field], path: [field] };
  const keys = field.split('.');
  if (keys.length < 2) return undefined;
  let current: unknown = body;
  for (const key of keys) current = own(current, key);
  return current === undefined ? undefined : { value: current, path: keys };
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** Text, a number, true/false or a list of text: what a form field can hold. */
function fieldShaped(value: unknown): value is string | number | boolean | string[] {
  return (
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean' ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** Maps a submission of `options.form`. Never throws. */
export function mapForm(body: unknown, options: FormOptions): AdapterResult {
  if (!isRecord(body))
    return {
      events: [],
      ignored: [],
      issues: [unmappable([], 'a form submission must be an object of fields (JSON or url-encoded)')],
    };
  const sections: Record<'contact' | 'company' | 'properties', Record<string, unknown>> = {
    contact: {},
    company: {},
    properties: { ...options.form.properties },
  };
  const origins: Record<string, PayloadPath> = {};
  const issues: Issue[] = [];
  let at: unknown;
  const used: [string, unknown][] = [];
  for (const [field, target] of Object.entries(options.form.fields)) {
    const path = targetPath(target);
    if (path === 'contact.email' || path === 'contact.id') origins['contact'] ??= [field];
    const found = fieldValue(body, field);
    if (found === undefined || !present(found.value)) continue;
    if (!fieldShaped(found.value)) {
      issues.push(
        unmappable(
          found.path,
          `form field \`${field}\` must be text, a number, true/false or a list of text`,
        ),
      );
      continue;
    }
    const value = Array.isArray(found.value) && found.value.length === 1 ? found.value[0] : found.value;
    used.push([field, value]);
    origins[path] = found.path;
    if (path === 'at') at = value;
    else {
      const [section, name] = path.split('.') as ['contact' | 'company' | 'properties', string];
      sections[section][name] = value;
    }
  }
  if (issues.length > 0) return { events: [], ignored: [], issues };
  const submission = options.form.idField === undefined ? undefined : fieldValue(body, options.form.idField);
  const submissionId =
    submission !== undefined && (typeof submission.value === 'string' || typeof submission.value === 'number')
      ? String(submission.value).trim()
      : '';
  let id: string;
  if (submissionId !== '') {
    id = `form:${options.formId}:${submissionId}`;
    if (submission !== undefined) origins['id'] = submission.path;
  } else if (options.idempotencyKey !== undefined && options.idempotencyKey.trim() !== '') {
    id = `form:${options.formId}:${options.idempotencyKey.trim()}`;
  } else {
    used.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const digest = createHash('sha256')
      .update(JSON.stringify([options.receivedDay, used]))
      .digest('hex');
    id = `form:${options.formId}:${options.receivedDay}:${digest.slice(0, 32)}`;
  }
  const event: Record<string, unknown> = { id, type: options.form.event };
  if (at !== undefined) event['at'] = at;
  event['contact'] = sections.contact;
  event['company'] = sections.company;
  event['properties'] = sections.properties;
  return {
    events: [{ base: [], origins, event }],
    ignored: [],
    issues: [],
  };
}

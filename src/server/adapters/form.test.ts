import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapForm, type FormMapping } from './form.ts';
import { checkMapped } from './mapped.ts';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/webhooks/${name}`, import.meta.url), 'utf8'));

const CONTACT_US: FormMapping = {
  event: 'form_submit',
  properties: { form: 'contact_sales' },
  fields: {
    email: 'email',
    first_name: 'firstName',
    last_name: 'contact.lastName',
    company: 'company.name',
    employees: 'company.employees',
    message: 'properties.message',
  },
  idField: 'submission_id',
};
const SPEC = { customTypes: [], reasonCodes: [], now: 0, defaultSource: 'form:contact-us' };
const options = (form: FormMapping = CONTACT_US, idempotencyKey?: string) => ({
  formId: 'contact-us',
  form,
  idempotencyKey,
  receivedDay: '2026-11-24',
});

describe('mapForm', () => {
  it('maps the sample submission through the field mapping, leaving unmapped fields out', () => {
    const result = mapForm(sample('form-contact-us.json'), options());
    expect(result.issues).toEqual([]);
    expect(result.events.map((e) => e.event)).toEqual([
      {
        id: 'form:contact-us:sub_20261124_0042',
        type: 'form_submit',
        contact: { email: 'Linus@Torvalds-Systems.com', firstName: 'Linus', lastName: 'Torvalds' },
        company: { name: 'Torvalds Systems', employees: '1,200' },
        properties: {
          form: 'contact_sales',
          message: 'We route 3,000 leads a month and want SLAs per segment.',
        },
      },
    ]);
    expect(checkMapped(result.events, SPEC)).toEqual([]);
  });

  it('takes url-encoded values (one-item lists unwrapped), nested JSON paths and `at`', () => {
    const form: FormMapping = {
      event: 'content_download',
      properties: { kind: 'ebook' },
      fields: { 'lead.email': 'email', 'lead.tools': 'company.techStack', submitted: 'at' },
    };
    const result = mapForm(
      { lead: { email: 'a@b.io', tools: ['hubspot', 'slack'] }, submitted: ['2026-11-24T10:00:00Z'] },
      options(form),
    );
    expect(result.events[0]?.event).toMatchObject({
      type: 'content_download',
      at: '2026-11-24T10:00:00Z',
      contact: { email: 'a@b.io' },
      company: { techStack: ['hubspot', 'slack'] },
      properties: { kind: 'ebook' },
    });
  });

  it('derives the id from idField, else Idempotency-Key, else the day and the mapped values', () => {
    const noIdField: FormMapping = { ...CONTACT_US, idField: undefined };
    const body = { email: 'x@y.io', first_name: 'X', captcha: 'token-1' };
    const id = (b: unknown, o = options(noIdField)) => mapForm(b, o).events[0]?.event['id'];
    expect(id(body, options(noIdField, 'retry-77'))).toBe('form:contact-us:retry-77');
    const hashed = id(body);
    expect(hashed).toMatch(/^form:contact-us:2026-11-24:[0-9a-f]{32}$/);
    // A new captcha token (an unmapped field) is the same submission; another value is not.
    expect(id({ ...body, captcha: 'token-2' })).toBe(hashed);
    expect(id({ ...body, first_name: 'Y' })).not.toBe(hashed);
    expect(id(body, { ...options(noIdField), receivedDay: '2026-11-25' })).not.toBe(hashed);
  });

  it('names the form field when a value is not usable or the mapped event fails the catalog', () => {
    expect(mapForm({ email: { nested: true } }, options()).issues.map((i) => [i.path, i.message])).toEqual([
      [['email'], 'form field `email` must be text, a number, true/false or a list of text'],
    ]);
    expect(mapForm(['email'], options()).issues.map((i) => i.message)).toEqual([
      'a form submission must be an object of fields (JSON or url-encoded)',
    ]);
    const bad = mapForm({ email: 'nobody', employees: 'lots' }, options());
    expect(checkMapped(bad.events, SPEC).map((i) => [i.code, i.path])).toEqual([
      ['event.invalid_field', ['email']],
      ['event.invalid_field', ['employees']],
    ]);
    const empty = mapForm({ message: 'hi' }, options());
    expect(checkMapped(empty.events, SPEC).map((i) => [i.code, i.path])).toEqual([
      ['event.no_subject', ['email']],
    ]);
  });
});

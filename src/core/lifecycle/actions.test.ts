/** Placeholders in stage actions' texts (`{contact.name}`, `{company.employees}`) as a rep reads them. */
import { describe, expect, it } from 'vitest';
import type { Attributes, ContactState } from '../types.ts';
import { fillTemplate } from './actions.ts';

const attributes = (values: Record<string, string | number>): Attributes =>
  Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { value, at: 0, eventId: 'e1', source: 'api' }]),
  );

const contact = (person: Record<string, string | number>, email?: string): ContactState => ({
  key: 'email:ana@acme.example',
  ...(email === undefined ? {} : { email }),
  attributes: attributes(person),
  companyAttributes: attributes({ name: 'Acme', employees: 800 }),
  stage: 'mql',
  stageEnteredAt: 0,
  flags: [],
  createdAt: 0,
  updatedAt: 0,
  eventCount: 1,
});

describe('fillTemplate', () => {
  it('fills contact and company fields, the name from first and last name', () => {
    const ana = contact({ firstName: 'Ana', lastName: 'Ruiz', title: 'VP Sales' }, 'ana@acme.example');
    expect(
      fillTemplate(
        '{contact.name} ({contact.title}, {contact.email}) at {company.name}, {company.employees} people',
        ana,
      ),
    ).toBe('Ana Ruiz (VP Sales, ana@acme.example) at Acme, 800 people');
  });

  it('says which field is missing, and names a lead without a name by email, then by key', () => {
    expect(fillTemplate('{contact.name}: {company.industry}', contact({}, 'ana@acme.example'))).toBe(
      'ana@acme.example: (no company.industry)',
    );
    expect(fillTemplate('{contact.name}', contact({ lastName: 'Ruiz' }))).toBe('Ruiz');
    expect(fillTemplate('{contact.name}', contact({}))).toBe('email:ana@acme.example');
  });

  it('reads only the lead’s own fields, never what every object inherits', () => {
    expect(
      fillTemplate('{contact.constructor} {company.toString} {contact.hasOwnProperty}', contact({})),
    ).toBe('(no contact.constructor) (no company.toString) (no contact.hasOwnProperty)');
  });
});

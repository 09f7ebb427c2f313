import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../loader.ts';
import { readTemplate } from '../templates/index.ts';

const INBOUND = `
inbound:
  segment:
    writeKeyEnv: REVOPS_SEGMENT_WRITE_KEY
    track:
      Quote Requested: { type: form_submit, properties: { form: contact_sales } }
    pages:
      - { path: /learn, category: blog }
  calendly: { secretEnv: REVOPS_CALENDLY_SECRET }
  generic: { secretEnv: REVOPS_WEBHOOK_SECRET }
  forms:
    contact-us:
      properties: { form: contact_sales }
      fields: { email: email, company: company.name, message: properties.message }
`;

const load = (inbound: string) => safeLoadConfigText(readTemplate('mid-market') + inbound, 'revops.yaml');
const problems = (inbound: string) => {
  const result = load(inbound);
  return result.ok ? [] : result.issues.map((i) => [i.code, i.path.join('.'), i.message]);
};

describe('inbound config', () => {
  it('is optional: a config without it has no sources and no forms', () => {
    const result = load('');
    expect(result.ok && result.config.inbound).toEqual({ forms: {} });
  });

  it('loads sources by environment-variable name and forms with their mapping', () => {
    const result = load(INBOUND);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.inbound).toEqual({
      segment: {
        writeKeyEnv: 'REVOPS_SEGMENT_WRITE_KEY',
        track: { 'Quote Requested': { type: 'form_submit', properties: { form: 'contact_sales' } } },
        pages: [{ path: '/learn', category: 'blog' }],
      },
      calendly: { secretEnv: 'REVOPS_CALENDLY_SECRET' },
      generic: { secretEnv: 'REVOPS_WEBHOOK_SECRET' },
      forms: {
        'contact-us': {
          event: 'form_submit',
          properties: { form: 'contact_sales' },
          fields: { email: 'email', company: 'company.name', message: 'properties.message' },
        },
      },
    });
  });

  it.each(['plg', 'mid-market', 'sales-led'] as const)(
    'the commented example in %s loads once uncommented',
    (name) => {
      const text = readTemplate(name);
      const at = text.indexOf('# inbound:');
      expect(at).toBeGreaterThan(0);
      const uncommented = text.slice(0, at) + text.slice(at).replace(/^# /gm, '');
      const result = safeLoadConfigText(uncommented, `${name}.yaml`);
      expect(result.ok && Object.keys(result.config.inbound)).toEqual([
        'segment',
        'calendly',
        'generic',
        'forms',
      ]);
    },
  );

  it('refuses a secret written in the file, a form naming no contact, and bad targets', () => {
    expect(
      problems(`
inbound:
  calendly: { secretEnv: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw }
  forms:
    newsletter:
      fields: { company: company.name, note: notes.text }
`),
    ).toEqual([
      [
        'config.invalid_value',
        'inbound.calendly.secretEnv',
        '`inbound.calendly.secretEnv`: expected an environment variable name like `REVOPS_CALENDLY_SECRET` (the secret itself never goes in revops.yaml), got the text `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`',
      ],
      [
        'config.invalid_value',
        'inbound.forms.newsletter.fields',
        '`inbound.forms.newsletter.fields`: map one form field to `email` (or `contact.id`): a submission must name its contact',
      ],
      [
        'config.invalid_value',
        'inbound.forms.newsletter.fields.note',
        '`inbound.forms.newsletter.fields.note`: expected `contact.<attribute>`, `company.<attribute>`, `properties.<name>`, `at` or an attribute name like `email`, got the text `notes.text`',
      ],
    ]);
  });

  it('checks fixed catalog values, then event types, at load', () => {
    expect(
      problems(`
inbound:
  segment:
    writeKeyEnv: SEGMENT_KEY
    track:
      Webinar Joined: { type: webinar, properties: { action: joined } }
`),
    ).toEqual([
      [
        'config.invalid_value',
        'inbound.segment.track.Webinar Joined.properties.action',
        '`inbound.segment.track.Webinar Joined.properties.action`: `webinar` events take `action` as one of registered, attended, not "joined"',
      ],
    ]);
    expect(
      problems(`
inbound:
  segment:
    writeKeyEnv: SEGMENT_KEY
    track:
      Trial Extended: { type: trial_extend }
  forms:
    demo:
      event: form_sumbit
      fields: { email: email }
`),
    ).toEqual([
      [
        'config.unknown_reference',
        'inbound.segment.track.Trial Extended.type',
        'unknown event type `trial_extend`',
      ],
      [
        'config.unknown_reference',
        'inbound.forms.demo.event',
        'unknown event type `form_sumbit` — did you mean `form_submit`?',
      ],
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../loader.ts';
import { readTemplate } from '../templates/index.ts';
import { ALERT_TYPES, isAllowEntry, OUTBOX_EFFECT_TYPES } from './delivery.ts';

const TEMPLATE = readTemplate('mid-market');
const LINES = TEMPLATE.split('\n').length;

function load(snippet: string) {
  return safeLoadConfigText(`${TEMPLATE}\n${snippet}`, 'revops.yaml');
}

function issues(snippet: string) {
  const result = load(snippet);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.issues.map((i) => ({
    code: i.code,
    message: i.message,
    hint: i.hint,
    line: (i.source?.line ?? 0) - LINES,
  }));
}

describe('delivery config', () => {
  it('is absent unless written, and fills defaults when it is', () => {
    const plain = load('');
    expect(plain.ok && plain.config.delivery).toBeUndefined();
    const full = load(`delivery:
  allowPrivate: [127.0.0.1, 10.0.0.0/8, hooks.internal, 'fd00::/8']
  webhooks:
    - { id: crm, url: 'https://hooks.example.com/revops', secretEnv: CRM_SECRET }
  slack:
    - { id: floor, urlEnv: SLACK_FLOOR_URL }
    - { id: leadership, url: 'https://hooks.slack.com/services/T/B/x', types: [sla_breached, mql] }
  email: { hostEnv: SMTP_HOST, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, from: revops@example.com }
`);
    if (!full.ok) throw new Error(JSON.stringify(full.issues));
    expect(full.config.delivery).toEqual({
      allowPrivate: ['127.0.0.1', '10.0.0.0/8', 'hooks.internal', 'fd00::/8'],
      webhooks: [
        { id: 'crm', url: 'https://hooks.example.com/revops', secretEnv: 'CRM_SECRET', types: ['*'] },
      ],
      slack: [
        { id: 'floor', urlEnv: 'SLACK_FLOOR_URL' },
        { id: 'leadership', url: 'https://hooks.slack.com/services/T/B/x', types: ['sla_breached', 'mql'] },
      ],
      email: {
        hostEnv: 'SMTP_HOST',
        port: 587,
        secure: false,
        userEnv: 'SMTP_USER',
        passwordEnv: 'SMTP_PASSWORD',
        from: 'revops@example.com',
      },
    });
  });

  it('says what is wrong, where, and what would do', () => {
    expect(
      issues(`delivery:
  allowPrivate: ['bad host!']
  webhooks:
    - { id: crm, secretEnv: lower, types: [asigned] }
    - { id: two, url: 'https://a.example.com', urlEnv: A_URL, secretEnv: S }
  slack:
    - { id: floor, url: 'ftp://files.example.com' }
  email: { port: 25, from: revops@example.com, userEnv: SMTP_USER }
`),
    ).toEqual([
      {
        code: 'config.invalid_value',
        message:
          '`delivery.allowPrivate[0]`: expected a host name, an IP address or a CIDR block like `10.0.0.0/8`',
        hint: undefined,
        line: 2,
      },
      {
        code: 'config.invalid_value',
        message:
          '`delivery.webhooks[0].secretEnv`: expected an environment variable name like `REVOPS_WEBHOOK_SECRET` (upper case, digits and `_`), got the text `lower`',
        hint: undefined,
        line: 4,
      },
      {
        code: 'config.invalid_value',
        message: '`delivery.webhooks[0].types[0]` cannot be the text `asigned` — did you mean `assigned`?',
        hint: expect.stringMatching(/^expected `assigned`, `queued`, /) as unknown,
        line: 4,
      },
      {
        code: 'config.missing_key',
        message: '`delivery.webhooks[1]`: give exactly one of `url` and `urlEnv`',
        hint: 'for a Slack or signed URL, prefer `urlEnv: SOME_ENV_NAME`',
        line: 5,
      },
      {
        code: 'config.invalid_value',
        message: '`delivery.slack[0].url`: expected an http(s) URL, got the text `ftp://files.example.com`',
        hint: undefined,
        line: 7,
      },
      {
        code: 'config.missing_key',
        message: '`delivery.email`: give exactly one of `host` and `hostEnv`',
        hint: 'for example `host: smtp.example.com` or `hostEnv: SMTP_HOST`',
        line: 8,
      },
      {
        code: 'config.inconsistent',
        message: '`delivery.email`: give both `userEnv` and `passwordEnv`, or neither',
        hint: 'SMTP authentication needs a user name and a password',
        line: 8,
      },
    ]);
  });

  it('refuses a destination id used twice', () => {
    expect(
      issues(`delivery:
  webhooks:
    - { id: crm, urlEnv: A, secretEnv: S }
  slack:
    - { id: crm, urlEnv: B }
`),
    ).toEqual([
      {
        code: 'config.duplicate_id',
        message: '`delivery.slack[0].id`: the destination id `crm` is already used in delivery.webhooks',
        hint: 'give each destination its own id',
        line: 5,
      },
    ]);
  });

  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['10.0.0.0/8', true],
    ['fd00::/8', true],
    ['hooks.internal', true],
    ['localhost', true],
    ['10.0.0.0/33', false],
    ['bad host!', false],
    ['-leading.example', false],
  ])('allow-list entry %j is %s', (entry, ok) => {
    expect(isAllowEntry(entry)).toBe(ok);
  });

  it('lists every outbox type the engine writes, and the alert types among them', () => {
    const written = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const m of text.matchAll(/kind: 'outbox'(?: as const)?,\s+key: [^\n]+\n\s+type: '([a-z_]+)'/g))
            written.add(m[1]!);
          // An effect re-keyed from another: `Object.assign(effect, { key: …, type: '…' })`.
          for (const m of text.matchAll(/Object\.assign\([^\n]+\n\s+key: [^\n]+\n\s+type: '([a-z_]+)'/g))
            written.add(m[1]!);
          // Through a helper `outbox(key, type, …)`: its second argument.
          for (const m of text.matchAll(/\boutbox\(\s*[^,]+,\s*'([a-z_]+)'/g)) written.add(m[1]!);
          // A type named by a constant: `type: REASSIGN_REFUSED,` with `const REASSIGN_REFUSED = '…'`.
          for (const m of text.matchAll(
            /kind: 'outbox'(?: as const)?,\s+key: [^\n]+\n\s+type: ([A-Z_]+),/g,
          )) {
            const value = new RegExp(`const ${m[1]!} = '([a-z_]+)'`).exec(text)?.[1];
            if (value !== undefined) written.add(value);
          }
        }
      }
    };
    const src = join(import.meta.dirname, '..', '..');
    walk(join(src, 'core'));
    walk(join(src, 'engine'));
    expect([...written].sort()).toEqual([...OUTBOX_EFFECT_TYPES].sort());
    expect(ALERT_TYPES.every((t) => (OUTBOX_EFFECT_TYPES as readonly string[]).includes(t))).toBe(true);
  });
});

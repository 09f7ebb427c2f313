// revops keys create / list / revoke through the command line, on every dialect: the key is shown
// once and works, the listing never shows it, revoking is final.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../test/support/dialects.ts';
import { runRevops } from '../../test/support/cli.ts';
import { openMigratedStore } from '../compose.ts';
import { createKeyVerifier } from '../server/keyVerifier.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-keys-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[]) => runRevops(dir, args);

const TARGETS = databaseTargets(() => dir);

const KEY = /^ {2}(rk_[0-9a-f]{12}_[0-9a-f]{48})$/m;

describe.each(TARGETS)('revops keys on $name', ({ target }) => {
  it('creates a key, prints it once with the warning, and the key verifies against the database', async () => {
    const db = await target();
    const created = await revops([
      'keys',
      'create',
      '--name',
      'segment-forwarder',
      '--scopes',
      'read,ingest',
      '--db',
      db,
    ]);
    expect(created.code).toBe(0);
    const key = KEY.exec(created.stdout)?.[1] ?? '';
    const id = key.slice(3, 15);
    expect(created.stdout).toContain(`Created API key ${id} "segment-forwarder" (scopes: ingest, read) in `);
    expect(created.stdout).toContain('Store it now: it is not shown again (only its hash is kept).');
    const store = await openMigratedStore(db);
    try {
      expect(await createKeyVerifier(store).verify(key, Date.now())).toMatchObject({
        ok: true,
        key: { id, name: 'segment-forwarder', scopes: ['ingest', 'read'] },
      });
    } finally {
      await store.close();
    }
    const listed = await revops(['keys', 'list', '--db', db]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    // Verifying stamped the key's last use (the listing shows it instead of "never").
    expect(listed.stdout).toMatch(
      new RegExp(`${id} +│ segment-forwarder +│ ingest,read +│ \\S+Z +│ \\S+Z +│ +│`),
    );
    expect(listed.stdout).not.toContain(key.slice(16));
    expect(listed.stdout).toMatch(/1 key\(s\), 1 active, in /);
  });

  it('lists as JSON, revokes once, and says so when asked again', async () => {
    const db = await target();
    const json = await revops([
      'keys',
      'create',
      '--name',
      'dashboard',
      '--scopes',
      'read',
      '--db',
      db,
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('warning: the key is shown only this once; store it now\n');
    const made = JSON.parse(json.stdout) as { id: string; key: string; createdAt: string };
    expect(made.key.startsWith(`rk_${made.id}_`)).toBe(true);

    const revoked = await revops(['keys', 'revoke', made.id, '--db', db]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(
      new RegExp(`^revoked API key ${made.id} "dashboard" at \\d{4}-\\d\\d-\\d\\dT`),
    );
    const again = await revops(['keys', 'revoke', made.id, '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already revoked at');

    const listed = JSON.parse((await revops(['keys', 'list', '--db', db, '--json'])).stdout) as {
      keys: Record<string, unknown>[];
    };
    expect(listed.keys).toEqual([
      {
        id: made.id,
        name: 'dashboard',
        scopes: ['read'],
        createdAt: made.createdAt,
        lastUsedAt: null,
        revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      },
    ]);
  });
});

describe('revops keys: what the user gets wrong', () => {
  it('refuses an unknown scope with exit 2 and a suggestion', async () => {
    const res = await revops(['keys', 'create', '--name', 'x', '--scopes', 'read,admn', '--db', 'revops.db']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error cli.invalid_option: unknown scope `admn` — did you mean `admin`?\nhint: scopes are ingest, read, admin (admin allows everything) and approve:rep:<id> or approve:role:<role> (deal-desk votes as that approver only)\n',
    );
  });

  it('needs --name and --scopes', async () => {
    const res = await revops(['keys', 'create', '--scopes', 'read', '--db', 'revops.db']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("required option '--name <name>' not specified");
  });

  it('revoking an unknown id is auth.unknown_key (exit 2)', async () => {
    const res = await revops(['keys', 'revoke', 'abcdef012345', '--db', 'revops.db']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error auth.unknown_key: no API key has the id `abcdef012345`\nhint: list the keys with `revops keys list`; the id is the part after `rk_` in a key\n',
    );
  });

  it('lists nothing on a fresh database, saying how to start', async () => {
    const res = await revops(['keys', 'list', '--db', 'revops.db']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      `no API keys in sqlite:${join(dir, 'revops.db')}; create one with \`revops keys create --name NAME --scopes read\`\n`,
    );
  });
});

/**
 * `revops keys create|list|revoke`: the API keys of a database. A key is printed once, at creation;
 * only its SHA-256 hash is stored.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import type { ApiKeyRecord, Store } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { createApiKey, parseScopes, revokeApiKey } from '../../server/apiKeys.ts';
import { EXIT, write, type CliIo } from '../io.ts';

const DB_HELP = 'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)';

const CREATE_HELP = `
Scopes: ingest (POST /v1/events and the other write-in endpoints), read (GET endpoints, routing
preview, config validation), admin (everything, including PATCH /v1/reps and POST /v1/config),
approve:rep:<id> / approve:role:<role> (deal-desk votes, POST /v1/approvals/{id}/decision, as that
approver only; a rep's key also votes as the role the rep holds in team.reps).
The key is printed once: store it in your secret manager. Send it as
  Authorization: Bearer <key>      (or the header x-api-key: <key>)

Examples:
  revops keys create --name segment-forwarder --scopes ingest
  revops keys create --name dashboard --scopes read --json
  revops keys create --name dan-approvals --scopes approve:rep:dan,read`;

const LIST_HELP = `
Lists every key, revoked ones included: id, name, scopes, created, last used (stamped at most once
a minute while in use) and revoked. The key itself is never shown again.`;

const REVOKE_HELP = `
A revoked key is refused from then on (a running server may accept it for up to 5 more seconds,
the time it trusts a key it has read). Revoking cannot be undone: create a new key instead.

Example:
  revops keys revoke 3f9a1c2b7d4e`;

async function withStore<T>(io: CliIo, db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(databaseTarget(db, io.cwd));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const iso = (at: Millis | undefined) => (at === undefined ? null : new Date(at).toISOString());

function keyJson(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    createdAt: iso(key.createdAt),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}

export async function keysCreateCommand(
  io: CliIo,
  options: { name: string; scopes: string; db?: string; json?: boolean },
): Promise<number> {
  const scopes = parseScopes(options.scopes);
  return withStore(io, options.db, async (store) => {
    const { key, record } = await createApiKey(store, { name: options.name, scopes, at: Date.now() });
    if (options.json === true) {
      write(io.stdout, JSON.stringify(Object.assign(keyJson(record), { key }), null, 2));
      write(io.stderr, 'warning: the key is shown only this once; store it now');
      return EXIT.ok;
    }
    write(
      io.stdout,
      [
        `Created API key ${record.id} "${record.name}" (scopes: ${record.scopes.join(', ')}) in ${store.description}:`,
        '',
        `  ${key}`,
        '',
        'Store it now: it is not shown again (only its hash is kept).',
        'Send it as `Authorization: Bearer <key>` or `x-api-key: <key>`.',
      ].join('\n'),
    );
    return EXIT.ok;
  });
}

export async function keysListCommand(io: CliIo, options: { db?: string; json?: boolean }): Promise<number> {
  return withStore(io, options.db, async (store) => {
    const keys = await store.listApiKeys();
    if (options.json === true) {
      write(io.stdout, JSON.stringify({ keys: keys.map(keyJson) }, null, 2));
      return EXIT.ok;
    }
    if (keys.length === 0) {
      write(
        io.stdout,
        `no API keys in ${store.description}; create one with \`revops keys create --name NAME --scopes read\``,
      );
      return EXIT.ok;
    }
    const table = new Table({
      head: ['id', 'name', 'scopes', 'created', 'last used', 'revoked'],
      style: PLAIN,
    });
    for (const key of keys) {
      const k = keyJson(key);
      table.push([
        k.id,
        k.name,
        key.scopes.join(','),
        k.createdAt ?? '',
        k.lastUsedAt ?? 'never',
        k.revokedAt ?? '',
      ]);
    }
    const active = keys.filter((k) => k.revokedAt === undefined).length;
    write(io.stdout, `${table.toString()}\n${keys.length} key(s), ${active} active, in ${store.description}`);
    return EXIT.ok;
  });
}

export async function keysRevokeCommand(io: CliIo, id: string, options: { db?: string }): Promise<number> {
  return withStore(io, options.db, async (store) => {
    const at = Date.now();
    const key = await revokeApiKey(store, id, at);
    const when = iso(key.revokedAt) ?? '';
    write(
      io.stdout,
      key.revokedAt === at
        ? `revoked API key ${key.id} "${key.name}" at ${when}`
        : `API key ${key.id} "${key.name}" was already revoked at ${when}; nothing changed`,
    );
    return EXIT.ok;
  });
}

/** Registers `keys create`, `keys list` and `keys revoke` on the program. */
export function registerKeys(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  const keys = cli
    .command('keys')
    .description('API keys for the HTTP API: create (shown once), list, revoke');
  keys
    .command('create')
    .description('Create an API key and print it once')
    .requiredOption('--name <name>', 'who uses it, e.g. segment-forwarder')
    .requiredOption(
      '--scopes <list>',
      'comma-separated: ingest, read, admin, approve:rep:<id>, approve:role:<role>',
    )
    .option('--db <target>', DB_HELP)
    .option('--json', 'print the key and its record as JSON')
    .addHelpText('after', CREATE_HELP)
    .action((options: { name: string; scopes: string; db?: string; json?: boolean }) =>
      done(keysCreateCommand(io, options)),
    );
  keys
    .command('list')
    .description('List the API keys (never the keys themselves)')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print them as JSON')
    .addHelpText('after', LIST_HELP)
    .action((options: { db?: string; json?: boolean }) => done(keysListCommand(io, options)));
  keys
    .command('revoke')
    .description('Revoke an API key by its id')
    .argument('<id>', 'the key id (`revops keys list`; the part after rk_ in the key)')
    .option('--db <target>', DB_HELP)
    .addHelpText('after', REVOKE_HELP)
    .action((id: string, options: { db?: string }) => done(keysRevokeCommand(io, id, options)));
}

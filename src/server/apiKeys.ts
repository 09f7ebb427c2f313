/**
 * API keys: `rk_<id>_<secret>` with a 192-bit random secret. Only the SHA-256 hash of the whole key
 * is stored; a key is found by its id (no scan, no hash index) and checked with a constant-time
 * compare. Scopes: `ingest`, `read`, `admin` (admin implies the others), and `approve:<approver>`
 * (`approve:rep:dan`, `approve:role:finance`): deal-desk votes as that approver only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RevopsError } from '../core/errors.ts';
import type { ApiKeyRecord, Store } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import { didYouMean } from '../core/text/didYouMean.ts';
import { API_SCOPES, type ApiScope, type GrantedScope, type RouteScope } from './context.ts';

const KEY_FORMAT = /^rk_([0-9a-f]{12})_([0-9a-f]{48})$/;
/** Shortest key `ensureKey` accepts when it is not in the `rk_` format (a demo key from the environment). */
export const MIN_FOREIGN_KEY_LENGTH = 20;

/** Hex SHA-256 of a key's whole text: what the store keeps. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The id a presented key is looked up by: the `<id>` of an `rk_<id>_<secret>` key, else (a key set
 * through `REVOPS_API_KEY` in another format) the first 12 hex digits of its hash.
 */
export function keyId(key: string): string {
  return KEY_FORMAT.exec(key)?.[1] ?? hashKey(key).slice(0, 12);
}

/** `approve:rep:dan` → `rep:dan`: the approver a scope lets a key vote as. */
const APPROVE = /^approve:((?:rep|role):[a-z0-9][a-z0-9_.-]*)$/;

/**
 * True when `granted` allows `needed`: `admin` allows everything; `approve` needs some
 * `approve:<approver>` scope (the route then checks the approver with `mayVoteAs`).
 */
export function hasScope(granted: readonly string[], needed: Exclude<RouteScope, 'public'>): boolean {
  if (granted.includes('admin')) return true;
  return needed === 'approve' ? granted.some((scope) => APPROVE.test(scope)) : granted.includes(needed);
}

/**
 * Whether a key with `granted` may vote as `approver` (`rep:dan`, `role:finance`): with `admin`, as
 * anyone; with `approve:rep:<id>`, as that rep and as every role `roles` gives the rep; with
 * `approve:role:<role>`, as that role.
 */
export function mayVoteAs(
  granted: readonly string[],
  approver: string,
  roles: (rep: string) => readonly string[],
): boolean {
  if (granted.includes('admin')) return true;
  for (const scope of granted) {
    const who = APPROVE.exec(scope)?.[1];
    if (who === undefined) continue;
    if (who === approver) return true;
    if (who.startsWith('rep:') && approver.startsWith('role:')) {
      if (roles(who.slice('rep:'.length)).includes(approver.slice('role:'.length))) return true;
    }
  }
  return false;
}

/** The approvers a key's `approve:` scopes name, in order. */
export function approversOf(granted: readonly string[]): string[] {
  return granted.flatMap((scope) => {
    const who = APPROVE.exec(scope)?.[1];
    return who === undefined ? [] : [who];
  });
}

const SCOPES_HINT = `scopes are ${API_SCOPES.join(', ')} (admin allows everything) and approve:rep:<id> or approve:role:<role> (deal-desk votes as that approver only)`;

/**
 * Parses `ingest,read,approve:rep:dan` into scopes: the named ones in the order of `API_SCOPES`, then
 * the `approve:` ones in the order given, deduplicated. Throws `RevopsError` (`cli.invalid_option`)
 * naming an unknown or malformed scope, or an empty list.
 */
export function parseScopes(text: string): GrantedScope[] {
  const asked = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (asked.length === 0)
    throw new RevopsError('cli.invalid_option', 'a key needs at least one scope', {
      hint: `give --scopes with any of ${API_SCOPES.join(', ')}, e.g. --scopes ingest,read`,
    });
  const approvals: GrantedScope[] = [];
  for (const scope of asked) {
    if (scope.startsWith('approve')) {
      if (!APPROVE.test(scope))
        throw new RevopsError('cli.invalid_option', `\`${scope}\` does not name an approver`, {
          hint: 'write approve:rep:<rep id> (e.g. approve:rep:dan) or approve:role:<role> (e.g. approve:role:finance)',
        });
      if (!approvals.includes(scope as GrantedScope)) approvals.push(scope as GrantedScope);
      continue;
    }
    if (!(API_SCOPES as readonly string[]).includes(scope))
      throw new RevopsError(
        'cli.invalid_option',
        `unknown scope \`${scope}\`${didYouMean(scope, API_SCOPES)}`,
        { hint: SCOPES_HINT },
      );
  }
  return [...API_SCOPES.filter((scope) => asked.includes(scope)), ...approvals];
}

/** A new key's text (shown once) and its stored record. */
export interface CreatedKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** Makes and stores a new random key. Throws `RevopsError` for an empty name; storage failures as they come. */
export async function createApiKey(
  store: Store,
  input: { readonly name: string; readonly scopes: readonly GrantedScope[]; readonly at: Millis },
): Promise<CreatedKey> {
  const name = input.name.trim();
  if (name === '')
    throw new RevopsError('cli.invalid_option', 'a key needs a name', {
      hint: 'name it after who uses it, e.g. --name segment-forwarder',
    });
  const key = `rk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('hex')}`;
  const record: ApiKeyRecord = {
    id: keyId(key),
    name,
    scopes: [...input.scopes],
    hash: hashKey(key),
    createdAt: input.at,
  };
  await store.insertApiKey(record);
  return { key, record };
}

/**
 * Makes sure `plaintext` is a working key (for `npm start`'s demo key): stores it with `name` and
 * `scopes` unless a key with its id is stored already; with no `plaintext`, makes a new random key.
 * Returns the key, its record and whether it was created. Throws `RevopsError` when the text is too
 * short, when it was revoked, or when another key holds its id.
 */
export async function ensureKey(
  store: Store,
  plaintext: string | undefined,
  name: string,
  scopes: readonly ApiScope[],
  at: Millis = Date.now(),
): Promise<CreatedKey & { readonly created: boolean }> {
  if (plaintext === undefined) {
    const made = await createApiKey(store, { name, scopes, at });
    return { key: made.key, record: made.record, created: true };
  }
  const key = plaintext.trim();
  if (!KEY_FORMAT.test(key) && key.length < MIN_FOREIGN_KEY_LENGTH)
    throw new RevopsError(
      'auth.invalid_key',
      `the API key given (${key.length} characters) is too short to be a secret`,
      {
        hint: `use at least ${MIN_FOREIGN_KEY_LENGTH} random characters (e.g. \`openssl rand -hex 24\`), or leave REVOPS_API_KEY unset to get a generated key`,
      },
    );
  const id = keyId(key);
  const stored = await store.apiKey(id);
  if (stored === undefined) {
    const record: ApiKeyRecord = { id, name, scopes: [...scopes], hash: hashKey(key), createdAt: at };
    await store.insertApiKey(record);
    return { key, record, created: true };
  }
  if (!sameHash(stored.hash, hashKey(key)))
    throw new RevopsError('auth.invalid_key', `another key already has the id ${id}`, {
      hint: 'pick a different REVOPS_API_KEY, or leave it unset to get a generated key',
    });
  if (stored.revokedAt !== undefined)
    throw new RevopsError('auth.invalid_key', `the API key ${id} (${stored.name}) was revoked`, {
      hint: 'a revoked key stays revoked: set REVOPS_API_KEY to a new value, or leave it unset to get a generated key',
    });
  return { key, record: stored, created: false };
}

/** Constant-time equality of two hex SHA-256 digests. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/**
 * Revokes the key with this id. Throws `RevopsError` (`auth.unknown_key`) when no key has it;
 * revoking a revoked key changes nothing and returns it.
 */
export async function revokeApiKey(store: Store, id: string, at: Millis): Promise<ApiKeyRecord> {
  const revoked = await store.revokeApiKey(id.trim(), at);
  if (revoked === undefined) {
    const known = (await store.listApiKeys()).map((k) => k.id);
    throw new RevopsError('auth.unknown_key', `no API key has the id \`${id}\`${didYouMean(id, known)}`, {
      hint: 'list the keys with `revops keys list`; the id is the part after `rk_` in a key',
    });
  }
  return revoked;
}

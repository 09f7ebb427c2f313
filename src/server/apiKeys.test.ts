// API keys on a real (in-memory SQLite) store: the key format, what is stored, scopes, ensureKey
// for the demo key, revoking.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import {
  approversOf,
  createApiKey,
  ensureKey,
  hasScope,
  keyId,
  mayVoteAs,
  parseScopes,
  revokeApiKey,
} from './apiKeys.ts';
import { createKeyVerifier } from './keyVerifier.ts';

const T0 = Date.parse('2026-11-24T15:00:00Z');
let store: Store;
beforeEach(async () => {
  store = await openMigratedStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

function codeOf(error: unknown): string {
  return error instanceof RevopsError ? error.code : String(error);
}

describe('createApiKey', () => {
  it('makes rk_<12 hex>_<48 hex> keys and stores only the SHA-256 of the key', async () => {
    const { key, record } = await createApiKey(store, { name: ' forwarder ', scopes: ['ingest'], at: T0 });
    expect(key).toMatch(/^rk_[0-9a-f]{12}_[0-9a-f]{48}$/);
    expect(record).toEqual({
      id: key.slice(3, 15),
      name: 'forwarder',
      scopes: ['ingest'],
      hash: createHash('sha256').update(key).digest('hex'),
      createdAt: T0,
    });
    expect(await store.apiKey(record.id)).toStrictEqual(record);
    const again = await createApiKey(store, { name: 'other', scopes: ['read'], at: T0 });
    expect(again.key).not.toBe(key);
  });

  it('needs a name', async () => {
    await expect(createApiKey(store, { name: '  ', scopes: ['read'], at: T0 })).rejects.toThrow(
      'a key needs a name',
    );
  });
});

describe('scopes', () => {
  it('parses a comma list in canonical order, refusing unknown and empty ones', () => {
    expect(parseScopes('read, INGEST,read')).toEqual(['ingest', 'read']);
    expect(() => parseScopes('read,admn')).toThrow('unknown scope `admn` — did you mean `admin`?');
    expect(() => parseScopes(' , ')).toThrow('a key needs at least one scope');
  });

  it('admin implies every scope; the others only themselves', () => {
    expect(hasScope(['admin'], 'ingest')).toBe(true);
    expect(hasScope(['read'], 'read')).toBe(true);
    expect(hasScope(['ingest'], 'read')).toBe(false);
    expect(hasScope(['read'], 'admin')).toBe(false);
  });

  it('binds a key to approvers: approve:rep:<id> and approve:role:<role>, after the named scopes', () => {
    expect(parseScopes('approve:rep:dan, read,APPROVE:ROLE:finance,approve:rep:dan')).toEqual([
      'read',
      'approve:rep:dan',
      'approve:role:finance',
    ]);
    expect(() => parseScopes('approve:dan')).toThrow('`approve:dan` does not name an approver');
    expect(() => parseScopes('approve')).toThrow('`approve` does not name an approver');
    // A route needing `approve` lets in admin and approver keys; nothing else does.
    expect(hasScope(['approve:rep:dan'], 'approve')).toBe(true);
    expect(hasScope(['admin'], 'approve')).toBe(true);
    expect(hasScope(['ingest', 'read'], 'approve')).toBe(false);
    expect(hasScope(['approve:rep:dan'], 'ingest')).toBe(false);
    expect(approversOf(['read', 'approve:rep:dan', 'approve:role:legal'])).toEqual(['rep:dan', 'role:legal']);
  });

  it('lets a key vote only as its approvers, and a rep key as the roles the rep holds', () => {
    const roles = (rep: string): readonly string[] => (rep === 'nadia' ? ['finance'] : []);
    expect(mayVoteAs(['approve:rep:dan'], 'rep:dan', roles)).toBe(true);
    expect(mayVoteAs(['approve:rep:dan'], 'rep:maya', roles)).toBe(false);
    expect(mayVoteAs(['approve:rep:nadia'], 'role:finance', roles)).toBe(true);
    expect(mayVoteAs(['approve:rep:nadia'], 'role:legal', roles)).toBe(false);
    expect(mayVoteAs(['approve:role:legal'], 'role:legal', roles)).toBe(true);
    expect(mayVoteAs(['approve:role:legal'], 'rep:theo', roles)).toBe(false);
    expect(mayVoteAs(['ingest', 'read'], 'rep:dan', roles)).toBe(false);
    expect(mayVoteAs(['admin'], 'role:vp_sales', roles)).toBe(true);
  });
});

describe('ensureKey', () => {
  it('installs a given key once, then finds it again (a second start)', async () => {
    const demo = 'demo-key-from-the-environment-1234';
    const first = await ensureKey(store, demo, 'demo', ['admin'], T0);
    expect(first.created).toBe(true);
    expect(first.record.id).toBe(keyId(demo));
    expect(keyId(demo)).toBe(createHash('sha256').update(demo).digest('hex').slice(0, 12));
    const second = await ensureKey(store, demo, 'demo', ['admin'], T0 + 1);
    expect(second).toEqual({ key: demo, record: first.record, created: false });
    expect(await store.listApiKeys()).toHaveLength(1);
    const verified = await createKeyVerifier(store).verify(demo, T0);
    expect(verified.ok).toBe(true);
  });

  it('generates a key when none is given', async () => {
    const made = await ensureKey(store, undefined, 'demo', ['admin'], T0);
    expect(made.created).toBe(true);
    expect(made.key).toMatch(/^rk_[0-9a-f]{12}_[0-9a-f]{48}$/);
  });

  it('refuses a short key, a revoked one and one whose id another key holds', async () => {
    expect(codeOf(await ensureKey(store, 'short', 'demo', ['admin'], T0).catch((e: unknown) => e))).toBe(
      'auth.invalid_key',
    );
    const { key, record } = await createApiKey(store, { name: 'ops', scopes: ['admin'], at: T0 });
    const impostor = `${key.slice(0, 16)}${'f'.repeat(48)}`;
    await expect(ensureKey(store, impostor, 'demo', ['admin'], T0)).rejects.toThrow(
      `another key already has the id ${record.id}`,
    );
    await revokeApiKey(store, record.id, T0 + 5);
    await expect(ensureKey(store, key, 'demo', ['admin'], T0)).rejects.toThrow(
      `the API key ${record.id} (ops) was revoked`,
    );
  });
});

describe('revokeApiKey', () => {
  it('revokes by id; an unknown id is auth.unknown_key with a suggestion', async () => {
    const { record } = await createApiKey(store, { name: 'ops', scopes: ['admin'], at: T0 });
    expect((await revokeApiKey(store, record.id, T0 + 1)).revokedAt).toBe(T0 + 1);
    const typo = `${record.id.slice(0, 11)}${record.id.endsWith('0') ? '1' : '0'}`;
    const error = await revokeApiKey(store, typo, T0).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('auth.unknown_key');
    expect((error as Error).message).toBe(
      `no API key has the id \`${typo}\` — did you mean \`${record.id}\`?`,
    );
  });
});

describe('createKeyVerifier', () => {
  it('trusts a key it read for cacheMs: a revocation elsewhere shows once that has passed', async () => {
    const { key, record } = await createApiKey(store, { name: 'ops', scopes: ['read'], at: T0 });
    const verifier = createKeyVerifier(store, { cacheMs: 5_000 });
    expect((await verifier.verify(key, T0)).ok).toBe(true);
    await store.revokeApiKey(record.id, T0 + 1);
    expect((await verifier.verify(key, T0 + 4_999)).ok).toBe(true);
    expect(await verifier.verify(key, T0 + 5_000)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('refuses empty and overlong text without a lookup', async () => {
    const verifier = createKeyVerifier(store);
    expect(await verifier.verify('', T0)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier.verify('x'.repeat(10_000), T0)).toEqual({ ok: false, reason: 'invalid' });
  });
});

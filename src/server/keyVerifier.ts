/**
 * Checking a presented API key: found by its id, its hash compared in constant time. Found keys are
 * cached for a few seconds, so a busy client costs one database read per key per `cacheMs` (a key
 * revoked from another process stops working within that time); the last-use stamp is written at
 * most once per `touchEveryMs` per key.
 */
import type { ApiKeyRecord, Store } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import { hashKey, keyId, sameHash } from './apiKeys.ts';

export type KeyCheck =
  | { readonly ok: true; readonly key: ApiKeyRecord }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'revoked'; readonly key: ApiKeyRecord };

export interface KeyVerifierOptions {
  /** How long a key read from the store is trusted, in ms (default 5,000; 0: read every time). */
  readonly cacheMs?: number;
  /** Least time between two last-use stamps of one key, in ms (default 60,000). */
  readonly touchEveryMs?: number;
  /** Told when stamping a key's last use fails (the request goes on). */
  readonly onTouchError?: (error: unknown) => void;
}

/** Longest key text even looked at: a real key is 64 characters. */
const MAX_KEY_LENGTH = 256;

export interface KeyVerifier {
  /**
   * Checks `presented` at `now` (wall-clock epoch ms, for the cache and the last-use stamp).
   * Rejects only if the store fails.
   */
  verify(presented: string, now: Millis): Promise<KeyCheck>;
  /** Drops a cached key (after revoking it in this process). */
  forget(id: string): void;
}

export function createKeyVerifier(store: Store, options: KeyVerifierOptions = {}): KeyVerifier {
  const cacheMs = options.cacheMs ?? 5_000;
  const touchEveryMs = options.touchEveryMs ?? 60_000;
  const cache = new Map<string, { record: ApiKeyRecord; readAt: Millis }>();
  const touched = new Map<string, Millis>();

  async function lookup(id: string, now: Millis): Promise<ApiKeyRecord | undefined> {
    const hit = cache.get(id);
    if (hit !== undefined && now - hit.readAt < cacheMs) return hit.record;
    const record = await store.apiKey(id);
    if (record === undefined) cache.delete(id);
    else if (cacheMs > 0) cache.set(id, { record, readAt: now });
    return record;
  }

  async function touch(record: ApiKeyRecord, now: Millis): Promise<void> {
    const last = touched.get(record.id) ?? record.lastUsedAt;
    if (last !== undefined && now - last < touchEveryMs) return;
    touched.set(record.id, now);
    try {
      await store.markApiKeyUsed(record.id, now);
    } catch (error) {
      options.onTouchError?.(error);
    }
  }

  return {
    async verify(presented, now) {
      if (presented.length === 0 || presented.length > MAX_KEY_LENGTH)
        return { ok: false, reason: 'invalid' };
      const record = await lookup(keyId(presented), now);
      if (record === undefined || !sameHash(record.hash, hashKey(presented)))
        return { ok: false, reason: 'invalid' };
      if (record.revokedAt !== undefined) return { ok: false, reason: 'revoked', key: record };
      await touch(record, now);
      return { ok: true, key: record };
    },
    forget(id) {
      cache.delete(id);
    },
  };
}

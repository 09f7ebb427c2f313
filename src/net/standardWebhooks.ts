/**
 * The Standard Webhooks signature scheme (https://www.standardwebhooks.com), both ways: the outbox
 * dispatcher signs what it sends, the inbound webhook endpoints verify what they receive.
 *
 * A message is signed as HMAC-SHA256 over `${id}.${timestamp}.${body}` with the secret's bytes (a
 * secret is `whsec_` + base64; anything else is taken as raw UTF-8 bytes). Headers: `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature` — a space-separated list of `v1,<base64>`
 * (several while a secret rotates). Verification compares in constant time and refuses timestamps
 * more than five minutes away from now, in either direction.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignedHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** A new random secret in the scheme's `whsec_<base64>` form (24 bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

function signature(secret: string, id: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secretBytes(secret)).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The three headers for `body`, signed with `secret`; `nowMs` gives the timestamp. Never throws. */
export function signWebhook(secret: string, id: string, nowMs: number, body: string | Buffer): SignedHeaders {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature(secret, id, timestamp, body).toString('base64')}`,
  };
}

export type VerifyFailure = 'missing_signature' | 'timestamp_out_of_range' | 'invalid_signature';

export type VerifyResult =
  | { readonly ok: true; readonly id: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly message: string };

function header(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a received message against one or more secrets (any may match, for rotation). `headers`
 * are lower-cased as Node gives them; `body` must be the raw bytes as received. Never throws.
 */
export function verifyWebhook(
  secrets: readonly string[],
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string | Buffer,
  nowMs: number,
): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return {
      ok: false,
      reason: 'missing_signature',
      message: 'webhook-id, webhook-timestamp and webhook-signature headers are all required',
    };
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: 'timestamp_out_of_range',
      message: `webhook-timestamp ${JSON.stringify(timestamp)} is not within ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes of now`,
    };
  }
  const offered = signatures
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = signature(secret, id, timestamp, body);
    if (offered.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected))) {
      return { ok: true, id, timestamp: seconds };
    }
  }
  return { ok: false, reason: 'invalid_signature', message: 'no v1 signature matches the configured secret' };
}

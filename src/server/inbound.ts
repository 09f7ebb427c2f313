/**
 * What the inbound webhook routes share: secrets read by the environment-variable names config
 * gives, the raw body parsed as JSON, the Segment write-key check, and the all-or-nothing ingest of
 * an adapter's events (checked against the catalog first, so a payload is either ingested whole,
 * after the commit, or refused with an error and nothing written).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { Runtime } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import { formatPath, type Issue } from '../core/issue.ts';
import type { Millis } from '../core/types.ts';
import { checkMapped, type AdapterResult } from './adapters/mapped.ts';
import type { ServerContext } from './context.ts';
import type { WebhookResultSchema } from './schemas/webhooks.ts';

/** What every webhook endpoint answers with 200. */
export type WebhookResult = z.output<typeof WebhookResultSchema>;

/**
 * The secrets in environment variable `name` (several separated by whitespace while one rotates).
 * Throws `webhook.unknown_source` when the variable is unset or empty: the source cannot be used.
 */
export function secretsOf(ctx: ServerContext, source: string, name: string): string[] {
  const secrets = (ctx.env?.[name] ?? '').split(/\s+/).filter((s) => s !== '');
  if (secrets.length === 0)
    throw new RevopsError(
      'webhook.unknown_source',
      `the inbound source \`${source}\` is configured but its secret ${name} is not set in the server's environment`,
      { hint: `set ${name} where the server runs and restart it` },
    );
  return secrets;
}

/** Throws `webhook.unknown_source` for a source config does not define. */
export function unknownSource(source: string, configPath: string): RevopsError {
  return new RevopsError('webhook.unknown_source', `no inbound source \`${source}\` is configured`, {
    hint: `add \`${configPath}\` to revops.yaml (docs/webhooks.md shows how)`,
  });
}

/** The raw body as received (empty when there was none). Never throws. */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/**
 * The body parsed as JSON. Throws `http.unsupported_media_type` for a content type that is not
 * JSON (or text), `http.invalid_body` for an empty body or malformed JSON.
 */
export function parseJson(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== '' && type !== 'text/plain' && !/^application\/([\w.+-]*\+)?json$/.test(type))
    throw new RevopsError('http.unsupported_media_type', `this endpoint takes JSON, not \`${type}\``, {
      hint: 'send the body with `content-type: application/json`',
    });
  if (body.length === 0)
    throw new RevopsError('http.invalid_body', 'the request has no body', {
      hint: 'send the payload as JSON',
    });
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new RevopsError('http.invalid_body', `the body is not valid JSON: ${(error as Error).message}`, {
      hint: 'send the payload as JSON, exactly as the source produces it',
      cause: error,
    });
  }
}

function sameSecret(offered: string, expected: string): boolean {
  const a = createHash('sha256').update(offered).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks a Segment-style write key: `Authorization: Basic base64(<key>:)` (Segment, RudderStack,
 * Jitsu) or `Bearer <key>`, compared in constant time against each of `keys`. Throws
 * `auth.missing_key` or `auth.invalid_key`.
 */
export function checkWriteKey(
  authorization: string | undefined,
  keys: readonly string[],
  envName: string,
): void {
  const hint = `set the source's write key to the value of ${envName}; it is sent as the Basic-auth username`;
  const basic = /^\s*basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  let offered: string | undefined;
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    offered = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
  } else if (bearer?.[1] !== undefined) offered = bearer[1];
  if (offered === undefined || offered === '')
    throw new RevopsError('auth.missing_key', 'this endpoint needs the source write key as Basic auth', {
      hint,
    });
  let match = false;
  for (const key of keys) match = sameSecret(offered, key) || match;
  if (!match) throw new RevopsError('auth.invalid_key', 'the write key does not match', { hint });
}

function refuse(source: string, issues: readonly Issue[]): RevopsError {
  const tooMany = issues.find((i) => i.code === 'http.batch_too_large');
  if (tooMany !== undefined)
    return new RevopsError('http.batch_too_large', tooMany.message, {
      hint: tooMany.hint ?? 'send fewer at a time',
      issues: [tooMany],
    });
  const first = issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : `${formatPath(first.path)}: `;
  return new RevopsError(
    'webhook.unmappable_payload',
    `the ${source} payload cannot be mapped onto events (${issues.length} problem${issues.length === 1 ? '' : 's'}; first: ${where}${first?.message ?? ''})`,
    {
      issues,
      hint: 'fix the fields the issues name and send it again; nothing of this payload was ingested',
    },
  );
}

/**
 * Ingests an adapter's events as one batch after checking every one against the catalog the
 * engine will use; resolves after the commit. Throws `webhook.unmappable_payload` (or
 * `http.batch_too_large`) with nothing written when any item is refused; otherwise only if storage
 * fails.
 */
export async function ingestMapped(
  runtime: Runtime,
  result: AdapterResult,
  source: string,
  now: Millis,
): Promise<WebhookResult> {
  if (result.issues.length > 0) throw refuse(source, result.issues);
  const invalid = checkMapped(
    result.events,
    Object.assign({}, runtime.setup.catalog, { now, defaultSource: source }),
  );
  if (invalid.length > 0) throw refuse(source, invalid);
  const ignored = result.ignored.map((i) => ({ path: formatPath(i.path), reason: i.reason }));
  const received = result.events.length + result.ignored.length;
  if (result.events.length === 0)
    return { source, received, accepted: 0, duplicates: 0, rejected: 0, ignored, items: [] };
  const summary = await runtime.engine.ingest(
    result.events.map((e) => e.event),
    { source },
  );
  const items = summary.items.map((item) => {
    const mapped = result.events[item.index];
    const type = mapped?.event['type'];
    return {
      id: item.id ?? '',
      type: typeof type === 'string' ? type : '',
      path: formatPath(mapped?.base ?? []),
      status: item.status,
    };
  });
  return {
    source,
    received,
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    ignored,
    items,
  };
}

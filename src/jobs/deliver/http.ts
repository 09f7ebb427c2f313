/**
 * One guarded HTTP POST: the destination guard resolves and checks the host, the request connects
 * to the checked address (no second lookup), redirects are not followed, the whole exchange has a
 * deadline and only the start of the response body is read (for `last_error`).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, type DestinationGuard } from '../../net/destinationGuard.ts';

/** Characters of the response body kept for `last_error`. */
export const EXCERPT_CHARS = 200;
const MAX_BODY_READ = 4096;

export type HttpOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly retryAfter?: string;
      readonly excerpt: string;
    }
  /** Connection refused or reset, timeout, TLS failure, DNS failure: worth another try. */
  | { readonly kind: 'network'; readonly error: string }
  /** The guard refused the destination (`outbox.destination_refused`). */
  | { readonly kind: 'refused'; readonly error: string };

export interface PostOptions {
  readonly guard: DestinationGuard;
  /** Deadline for the whole request, connection to last byte read. */
  readonly timeoutMs: number;
}

/** The body start as one line: whitespace collapsed, at most `EXCERPT_CHARS` characters. */
export function excerptOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}

function readStart(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      if (size >= MAX_BODY_READ) return;
      chunks.push(chunk.subarray(0, MAX_BODY_READ - size));
      size += chunk.length;
      if (size >= MAX_BODY_READ) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });
}

/** POSTs `body` to `url` with `headers`. Never throws: every failure is an outcome. */
export async function postGuarded(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: PostOptions,
): Promise<HttpOutcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { kind: 'refused', error: `outbox.destination_refused: \`${url}\` is not a URL` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return {
      kind: 'refused',
      error: `outbox.destination_refused: ${target.protocol} URLs are not delivered to`,
    };
  const verdict = await options.guard.check(target.hostname);
  if (!verdict.ok)
    return verdict.kind === 'refused'
      ? {
          kind: 'refused',
          error: `outbox.destination_refused: ${verdict.reason}; allow it in delivery.allowPrivate if it is yours`,
        }
      : { kind: 'network', error: verdict.reason };

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: Object.assign({}, headers, { 'content-length': String(Buffer.byteLength(body)) }),
        lookup: pinnedLookup(verdict.address, verdict.family),
        agent: false,
      },
      (response) => {
        void readStart(response).then((text) => {
          const retryAfter = response.headers['retry-after'];
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            ...(retryAfter === undefined ? {} : { retryAfter }),
            excerpt: excerptOf(text),
          });
        });
      },
    );
    const deadline = setTimeout(() => {
      req.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        kind: 'network',
        error: error.code === undefined ? error.message : `${error.code}: ${error.message}`,
      });
    });
    req.end(body);
  });
}

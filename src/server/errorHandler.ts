/**
 * The one place where error codes become HTTP statuses, and every failure becomes the envelope
 * `{ "error": { code, message, hint, issues } }`. A client's fault is a 4xx with the code that
 * names it; a 5xx is a bug (logged, answered without internals) or, for `store.unavailable`, a
 * database that cannot be reached (503).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RevopsError, type IssueCode } from '../core/errors.ts';
import { formatPath } from '../core/issue.ts';

/** The area of a code: `http` of `http.not_found`. */
export type IssueArea = IssueCode extends `${infer Area}.${string}` ? Area : never;

/** Each area's status, unless `STATUS_BY_CODE` says otherwise. A new area must be given one here. */
const STATUS_BY_AREA: Readonly<Record<IssueArea, number>> = {
  config: 422,
  event: 422,
  cli: 400,
  store: 503,
  routing: 422,
  lifecycle: 422,
  http: 400,
  contact: 404,
  account: 404,
  rep: 404,
  task: 404,
  auth: 401,
  webhook: 401,
  outbox: 409,
  demo: 409,
  pipeline: 422,
  approval: 409,
  metrics: 400,
};

const STATUS_BY_CODE: Readonly<Partial<Record<IssueCode, number>>> = {
  'config.unknown_version': 404,
  'event.invalid_json': 400,
  'routing.not_configured': 409,
  'routing.unknown_contact': 404,
  'routing.no_owner': 409,
  'routing.owner_changed': 409,
  'lifecycle.unknown_contact': 404,
  'lifecycle.transition_not_allowed': 409,
  'http.not_found': 404,
  'http.method_not_allowed': 405,
  'http.body_too_large': 413,
  'http.batch_too_large': 413,
  'http.unsupported_media_type': 415,
  'http.rate_limited': 429,
  'http.internal_error': 500,
  'task.not_open': 409,
  'auth.insufficient_scope': 403,
  'auth.not_this_approver': 403,
  'auth.unknown_key': 404,
  'webhook.unknown_source': 404,
  'webhook.unmappable_payload': 422,
  'outbox.unknown_item': 404,
  'outbox.destination_refused': 422,
  'pipeline.not_configured': 409,
  'pipeline.unknown_deal': 404,
  'pipeline.deal_exists': 409,
  'pipeline.deal_closed': 409,
  'approval.unknown_request': 404,
  'approval.not_an_approver': 403,
  'approval.invalid_request': 422,
};

/** The HTTP status of an error code. Does not throw. */
export function statusOf(code: IssueCode): number {
  return STATUS_BY_CODE[code] ?? STATUS_BY_AREA[code.slice(0, code.indexOf('.')) as IssueArea] ?? 400;
}

/** One problem of a request as the API reports it. */
export interface HttpIssue {
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: IssueCode;
    readonly message: string;
    readonly hint: string;
    readonly issues: readonly HttpIssue[];
  };
}

/** What to do, when the error itself says nothing. */
const DEFAULT_HINT: Readonly<Partial<Record<IssueCode, string>>> = {
  'http.not_found': 'check the path and method; GET /docs lists every route',
  'http.method_not_allowed': 'use one of the methods in the Allow header',
  'http.invalid_body': 'send a JSON body as documented at /docs',
  'http.invalid_query': 'check the query parameters against /docs',
  'http.unsupported_media_type': 'send the body as JSON with `content-type: application/json`',
  'http.bad_request': 'check the request line and headers (URL encoding, Content-Length)',
  'http.internal_error': 'this is a bug in revops: report it with the request id; retrying may not help',
  'store.unavailable': 'check that the database is running and reachable, then retry',
};

/**
 * An issue of a `RevopsError` (path as a list) or an event (path as text), as the API reports it. Does not throw.
 */
export function httpIssue(issue: {
  readonly code: string;
  readonly path: string | readonly (string | number)[];
  readonly message: string;
  readonly hint?: string | undefined;
}): HttpIssue {
  const path = typeof issue.path === 'string' ? issue.path : formatPath(issue.path);
  return issue.hint === undefined
    ? { code: issue.code, path, message: issue.message }
    : { code: issue.code, path, message: issue.message, hint: issue.hint };
}

/** The envelope for `code`. Does not throw. */
export function errorBody(
  code: IssueCode,
  message: string,
  hint?: string,
  issues: readonly HttpIssue[] = [],
): ErrorBody {
  return { error: { code, message, hint: hint ?? DEFAULT_HINT[code] ?? 'see docs/api.md', issues } };
}

/** Sends `error` as the envelope with its code's status. Does not throw. */
export function sendRevopsError(reply: FastifyReply, error: RevopsError): FastifyReply {
  return reply
    .code(statusOf(error.code))
    .type('application/json; charset=utf-8')
    .send(errorBody(error.code, error.message, error.hint, error.issues.map(httpIssue)));
}

/** Fastify's own errors that are the client's doing, by Fastify code. */
const FASTIFY_CODES: Readonly<Record<string, { code: IssueCode; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'http.invalid_body', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'http.invalid_body',
    message: 'the body is empty but the content type says JSON',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'http.body_too_large', message: 'the body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'http.unsupported_media_type',
    message: 'this route does not accept that content type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'http.bad_request',
    message: 'the body size does not match Content-Length',
  },
  FST_ERR_BAD_URL: { code: 'http.bad_request', message: 'the URL is not valid (bad percent-encoding?)' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'http.bad_request',
    message: 'a path segment is too long (at most 1,000 characters)',
  },
};

/** A schema validation failure (zod, through fastify-type-provider-zod) as coded issues. */
function validationBody(error: FastifyError): ErrorBody {
  const where = error.validationContext ?? 'body';
  const code: IssueCode = where === 'body' ? 'http.invalid_body' : 'http.invalid_query';
  const issues = (error.validation ?? []).map((v) => {
    const path = v.instancePath
      .split('/')
      .filter((part) => part !== '')
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    return httpIssue({ code, path, message: v.message ?? 'is not valid' });
  });
  const first = issues[0];
  const message =
    first === undefined
      ? `the request ${where} is not valid`
      : `the request ${where} is not valid: ${first.path === '' ? '' : `${first.path}: `}${first.message}`;
  return errorBody(code, message, `check the request ${where} against the route’s schema at /docs`, issues);
}

/** How a failure is answered: its status, body, and whether it is a bug to log. Does not throw. */
export function classifyError(error: unknown, limits?: { readonly maxBodyBytes: number }) {
  if (error instanceof RevopsError) {
    const status = statusOf(error.code);
    return {
      status,
      body: errorBody(error.code, error.message, error.hint, error.issues.map(httpIssue)),
      bug: false,
    };
  }
  const fastify = error as Partial<FastifyError>;
  if (Array.isArray(fastify.validation)) {
    return { status: 400, body: validationBody(fastify as FastifyError), bug: false };
  }
  const known = fastify.code === undefined ? undefined : FASTIFY_CODES[fastify.code];
  if (known !== undefined) {
    const message =
      known.code === 'http.body_too_large' && limits !== undefined
        ? `the body is larger than ${limits.maxBodyBytes} bytes`
        : known.message;
    const hint = known.code === 'http.body_too_large' ? 'send a smaller body: split the batch' : undefined;
    return { status: statusOf(known.code), body: errorBody(known.code, message, hint), bug: false };
  }
  const status = typeof fastify.statusCode === 'number' ? fastify.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Another client error Fastify raised (a malformed request line, a header it refused).
    const message = (fastify.message ?? 'the request is not valid').slice(0, 200);
    return { status: statusOf('http.bad_request'), body: errorBody('http.bad_request', message), bug: false };
  }
  return {
    status: 500,
    body: errorBody('http.internal_error', 'internal error (a bug in revops); it has been logged'),
    bug: true,
  };
}

/** Hears every bug (a 5xx) with the request it broke; the default writes the stack to stderr. */
export type BugListener = (error: unknown, request: FastifyRequest) => void;

export const logBugToStderr: BugListener = (error, request) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `revops: internal error on ${request.method} ${request.url} (request ${request.id}):\n${text}\n`,
  );
};

/**
 * Fastify's error handler: every thrown error becomes the envelope; bugs are reported to `onBug`
 * and answered 500 with the request id, nothing internal. Does not throw.
 */
export function createErrorHandler(onBug: BugListener, limits: { readonly maxBodyBytes: number }) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const { status, body, bug } = classifyError(error, limits);
    if (bug) {
      onBug(error, request);
      const withId = errorBody(
        'http.internal_error',
        `internal error (a bug in revops); it has been logged as request ${request.id}`,
      );
      return reply.code(500).type('application/json; charset=utf-8').send(withId);
    }
    if (status === 503) reply.header('retry-after', '5');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  };
}

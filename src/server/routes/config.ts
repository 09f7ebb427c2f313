/**
 * The config API: `POST /v1/config/validate` (read), `POST /v1/config` (admin: validate, store a
 * new version, activate it, audited), `GET /v1/config/versions`, `GET /v1/config/versions/{hash}`
 * and `GET /v1/config/diff`. Bodies are YAML (`application/yaml`, `text/yaml`) or JSON: a config
 * document (JSON is YAML, so positions point into the text sent) or `{ "text": "<yaml>", "note" }`.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeLoadConfigText } from '../../config/loader.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Issue } from '../../core/issue.ts';
import { formatPath } from '../../core/issue.ts';
import type { JsonObject } from '../../core/types.ts';
import { requestActor } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import {
  ActivatedSchema,
  ConfigDiffSchema,
  ConfigNoteQuery,
  ConfigVersionListSchema,
  ConfigVersionTextSchema,
  DiffQuery,
  HashParams,
  ValidateResultSchema,
} from '../schemas/admin.ts';
import { errorResponses } from '../schemas/common.ts';
import { configVersionViews, resolveVersion } from './configVersions.ts';
import { unifiedDiff } from '../lineDiff.ts';

/** The content types a config body may come as; each is read as text. */
export const CONFIG_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/json',
];
const FILE = 'revops.yaml';

/** The body as the routes see it: text (every config media type is read as a string). */
const ConfigBody = z
  .string()
  .describe('The config as YAML; or JSON: a config document, or `{ "text": "<the YAML>", "note": "why" }`');

/** The config text (and note) of a request body. Throws `RevopsError` (`http.invalid_body`) for bad JSON. */
function configBody(request: FastifyRequest, queryNote: string | undefined): { text: string; note?: string } {
  const raw = typeof request.body === 'string' ? request.body : '';
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const note = queryNote === undefined ? {} : { note: queryNote };
  if (type !== 'application/json') return { text: raw, ...note };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new RevopsError('http.invalid_body', `the body is not valid JSON: ${(error as Error).message}`, {
      hint: 'send the config as YAML with `content-type: application/yaml`, or JSON `{ "text": "<yaml>" }`',
      cause: error,
    });
  }
  if (
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    typeof (parsed as JsonObject)['text'] === 'string'
  ) {
    const wrapper = parsed as { text: string; note?: unknown };
    const wrapped = typeof wrapper.note === 'string' ? { note: wrapper.note.slice(0, 500) } : note;
    return { text: wrapper.text, ...wrapped };
  }
  return { text: raw, ...note };
}

/** An issue as `ConfigIssue`: its path as text and its position as `file:line:col`. */
function issueView(issue: Issue) {
  const s = issue.source;
  return {
    code: issue.code,
    path: formatPath(issue.path),
    message: issue.message,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
    severity: issue.severity,
    at: s === undefined ? null : `${s.file}:${s.line}:${s.column}`,
  };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Registers the config routes in their own scope (their bodies are read as text). The handlers throw `RevopsError`. */
export async function configRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register((scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(CONFIG_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
    const api = scoped.withTypeProvider<ZodTypeProvider>();
    const consumes = CONFIG_MEDIA_TYPES.filter((t) => t !== 'text/plain');

    api.post(
      '/v1/config/validate',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['config'],
          summary: 'Check a config without storing it: every problem with file:line:col',
          consumes,
          body: ConfigBody,
          response: { 200: ValidateResultSchema, ...errorResponses(400, 401, 403, 413, 415, 429) },
        },
      },
      (request) => {
        const { text } = configBody(request, undefined);
        const result = safeLoadConfigText(text, FILE);
        return { valid: result.ok, hash: sha256(text), issues: result.issues.map(issueView) };
      },
    );

    api.post(
      '/v1/config',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['config'],
          summary: 'Store a new config version and make it the running one (audited)',
          description:
            'Validates the text (422 `config.rejected` listing every problem, nothing stored), stores it as a version named by its SHA-256, records who activated it (the API key) and when with the note, syncs the reps and teams, and swaps the running engine. Rep overrides stay.',
          consumes,
          body: ConfigBody,
          querystring: ConfigNoteQuery,
          response: {
            200: ActivatedSchema,
            201: ActivatedSchema,
            ...errorResponses(400, 401, 403, 413, 415, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const { text, note } = configBody(request, request.query.note);
        const result = safeLoadConfigText(text, FILE);
        if (!result.ok) {
          const errors = result.issues.filter((i) => i.severity === 'error');
          throw new RevopsError(
            'config.rejected',
            `the config has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was stored`,
            {
              hint: 'fix every issue listed (each names its line and column in `message`); POST /v1/config/validate checks without storing',
              issues: result.issues.map((i) =>
                Object.assign({}, i, {
                  message:
                    i.source === undefined
                      ? i.message
                      : `${i.source.file}:${i.source.line}:${i.source.column} ${i.message}`,
                }),
              ),
            },
          );
        }
        const hash = sha256(text);
        const previous = ctx.workspace.current();
        const changed = previous.hash !== hash;
        const by = requestActor(request);
        const at = ctx.clock.now();
        if (changed) {
          await ctx.store.saveConfigVersion({
            hash,
            text,
            at,
            ...(note === undefined ? {} : { note }),
            ...(by === undefined ? {} : { by }),
          });
          const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as JsonObject;
          await ctx.store.syncTeam({
            reps: result.config.team.reps.map(plain),
            teams: result.config.team.teams.map(plain),
          });
          try {
            ctx.workspace.activate(result.config, text, hash);
          } catch (error) {
            // The engine could not be built (a bug): the database goes back to the running version.
            await ctx.store.saveConfigVersion({
              hash: previous.hash,
              text: previous.text,
              at,
              note: `restored: activating ${hash.slice(0, 12)} failed`,
            });
            await ctx.store.syncTeam({
              reps: previous.config.team.reps.map(plain),
              teams: previous.config.team.teams.map(plain),
            });
            throw error;
          }
        }
        const version = (await configVersionViews(ctx.store)).find((v) => v.hash === hash);
        if (version === undefined) throw new Error(`config version ${hash} was stored but is not listed`);
        void reply.code(changed ? 201 : 200);
        return { version, changed, previous: previous.hash, warnings: result.issues.map(issueView) };
      },
    );

    api.get(
      '/v1/config/versions',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['config'],
          summary:
            'Stored config versions, newest first, with the active one and who stored and activated each',
          response: { 200: ConfigVersionListSchema, ...errorResponses(401, 403, 429) },
        },
      },
      async () => ({ versions: await configVersionViews(ctx.store) }),
    );

    api.get(
      '/v1/config/versions/:hash',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['config'],
          summary: 'One config version with its text',
          params: HashParams,
          response: { 200: ConfigVersionTextSchema, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request) => {
        const versions = await configVersionViews(ctx.store);
        const version = resolveVersion(versions, request.params.hash, 'hash');
        const text = await ctx.store.configText(version.hash);
        return Object.assign({}, version, { text: text ?? '' });
      },
    );

    api.get(
      '/v1/config/diff',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['config'],
          summary: 'Unified line diff between two config versions',
          querystring: DiffQuery,
          response: { 200: ConfigDiffSchema, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const versions = await configVersionViews(ctx.store);
        const to =
          request.query.to === undefined
            ? (versions.find((v) => v.active) ?? resolveVersion(versions, ctx.workspace.current().hash, 'to'))
            : resolveVersion(versions, request.query.to, 'to');
        const from =
          request.query.from === undefined
            ? (versions[versions.findIndex((v) => v.hash === to.hash) + 1] ?? to)
            : resolveVersion(versions, request.query.from, 'from');
        const [a, b] = await Promise.all([ctx.store.configText(from.hash), ctx.store.configText(to.hash)]);
        const diff = unifiedDiff(a ?? '', b ?? '', { from: from.hash, to: to.hash });
        const lines = diff.split('\n').slice(2);
        return {
          from: from.hash,
          to: to.hash,
          added: lines.filter((l) => l.startsWith('+')).length,
          removed: lines.filter((l) => l.startsWith('-')).length,
          diff,
        };
      },
    );
    return Promise.resolve();
  });
}

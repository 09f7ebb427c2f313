/**
 * Loads revops.yaml: YAML with positions → schema (durations, money, CEL compiled on the way) →
 * cross-reference checks → one deep-frozen config. Collects every issue, never only the first.
 */
import { deepFreeze } from '../core/deepFreeze.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CompiledRule } from '../core/rule.ts';
import { RevopsError } from '../core/errors.ts';
import type { Issue } from '../core/issue.ts';
import { checkReferences } from './references.ts';
import { configSchema, type RevopsConfig } from './schema/index.ts';
import { fromZodIssue } from './schemaIssues.ts';
import { parseYamlSource } from './yamlSource.ts';

export type LoadResult =
  | {
      readonly ok: true;
      readonly config: RevopsConfig;
      readonly issues: readonly Issue[];
      readonly file: string;
    }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly file: string };

/** Parses and checks config text. Never throws for bad input: problems come back as issues. */
export function safeLoadConfigText(text: string, file = 'revops.yaml'): LoadResult {
  const source = parseYamlSource(text, file);
  if (source.issues.length > 0) return { ok: false, issues: sortIssues(source.issues), file };
  let data: unknown;
  try {
    data = source.doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // The yaml library refuses a document whose aliases expand too far (a "billion laughs" file).
    return { ok: false, file, issues: [tooManyAliases(file, error)] };
  }
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      file,
      issues: [
        {
          code: 'config.invalid_type',
          path: [],
          message:
            data === null || data === undefined
              ? 'the config file is empty'
              : 'the config must be a mapping of sections (company:, team:, …)',
          hint: 'start from a template: `revops init --template mid-market`',
          source: { file, line: 1, column: 1 },
          severity: 'error',
        },
      ],
    };
  }
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => fromZodIssue(issue, configSchema, source));
    return { ok: false, issues: sortIssues(dropMissingThatWereMisspelt(dedupe(issues))), file };
  }
  const issues = checkReferences(parsed.data, source);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) return { ok: false, issues: sortIssues(issues), file };
  const config = deepFreeze(nameRules(parsed.data, []) as RevopsConfig);
  return { ok: true, config, issues: sortIssues(issues), file };
}

/** How many `*alias` expansions a config may use: plenty for shared blocks, not a "billion laughs" file. */
const MAX_ALIASES = 100;

function tooManyAliases(file: string, error: unknown): Issue {
  return {
    code: 'config.yaml_syntax',
    path: [],
    message: `the YAML could not be expanded: ${error instanceof Error ? error.message : String(error)} (at most ${MAX_ALIASES} alias expansions)`,
    hint: 'write the repeated values out, or use fewer `*anchor` references to large blocks',
    source: { file, line: 1, column: 1 },
    severity: 'error',
  };
}

/** Reads and checks a config file; never throws for bad input. */
export function safeLoadConfigFile(path: string): LoadResult {
  const file = path;
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      ok: false,
      file,
      issues: [
        {
          code: missing ? 'config.file_not_found' : 'config.file_unreadable',
          path: [],
          message: missing ? `no config file at ${path}` : `cannot read ${path}: ${(error as Error).message}`,
          hint: missing
            ? 'create one with `revops init`, or give the right path (`--config FILE`, or the file itself for `revops validate`)'
            : 'check the file permissions',
          severity: 'error',
        },
      ],
    };
  }
  return safeLoadConfigText(text, file);
}

/** Like `safeLoadConfigFile`, but throws a `RevopsError` (code of the first issue) when invalid. */
export function loadConfigFile(path: string): RevopsConfig {
  const result = safeLoadConfigFile(path);
  if (result.ok) return result.config;
  const count = result.issues.filter((i) => i.severity === 'error').length;
  throw new RevopsError(result.issues[0]?.code ?? 'config.invalid_value', `${path} has ${count} problem(s)`, {
    issues: result.issues,
    hint: 'run `revops validate` to see them all',
  });
}

function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0),
  );
}

function dedupe(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}|${issue.path.join('.')}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `thresold: 65` makes two issues: an unknown key and a missing `threshold`. The unknown key's
 * "did you mean `threshold`" already says it all, so the missing-key issue is dropped.
 */
function dropMissingThatWereMisspelt(issues: readonly Issue[]): Issue[] {
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'config.unknown_key') continue;
    const parent = issue.path.slice(0, -1).join('.');
    const match = /did you mean `([^`]+)`/.exec(issue.message);
    if (match?.[1] !== undefined) misspelt.add(`${parent}|${match[1]}`);
  }
  return issues.filter(
    (issue) =>
      issue.code !== 'config.missing_key' ||
      !misspelt.has(`${issue.path.slice(0, -1).join('.')}|${String(issue.path.at(-1))}`),
  );
}

function isRule(value: unknown): value is CompiledRule {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'rule';
}

/** Gives every compiled rule its config path as id (`routing.rules[2].when`). */
function nameRules(value: unknown, path: (string | number)[]): unknown {
  if (isRule(value)) {
    const id = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    return Object.assign({}, value, { id });
  }
  if (Array.isArray(value)) return value.map((item, i) => nameRules(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = nameRules(child, [...path, key]);
    return out;
  }
  return value;
}

/**
 * Turns zod's issues into our coded issues: plain words, the valid keys or values, "did you mean",
 * and the YAML position of the offending value (a column inside a CEL expression when we have it).
 */
import type { z } from 'zod';
import type { IssueCode } from '../core/errors.ts';
import { formatPath, type Issue } from '../core/issue.ts';
import { DURATION_HINT } from '../core/time/duration.ts';
import { didYouMean, listOf } from './didYouMean.ts';
import type { YamlSource } from './yamlSource.ts';

interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  options?: unknown[];
  getter?: () => unknown;
}

function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod?.def;
}

/** The object schemas a value at `path` may be checked against (several under a union). */
function objectSchemasAt(schema: unknown, path: readonly PropertyKey[]): unknown[] {
  const def = defOf(schema);
  if (!def) return [];
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return objectSchemasAt(def.innerType, path);
    case 'pipe':
      return objectSchemasAt(def.in, path);
    case 'lazy':
      return def.getter ? objectSchemasAt(def.getter(), path) : [];
    case 'union':
      return (def.options ?? []).flatMap((option) => objectSchemasAt(option, path));
    case 'array':
      return path.length > 0 && typeof path[0] === 'number'
        ? objectSchemasAt(def.element, path.slice(1))
        : [];
    case 'object': {
      if (path.length === 0) return [schema];
      const shape = (schema as { shape: Record<string, unknown> }).shape;
      const key = path[0];
      return typeof key === 'string' && key in shape ? objectSchemasAt(shape[key], path.slice(1)) : [];
    }
    default:
      return [];
  }
}

/** The keys an object at `path` accepts. */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const object of objectSchemasAt(schema, path)) {
    for (const key of Object.keys((object as { shape: Record<string, unknown> }).shape)) keys.add(key);
  }
  return [...keys];
}

const MONEY_WORD = 'expected an amount';
const PERCENT_WORD = 'expected a percentage';

function codeForMessage(message: string): IssueCode {
  if (message === DURATION_HINT) return 'config.invalid_duration';
  if (message.startsWith(MONEY_WORD)) return 'config.invalid_money';
  if (message.startsWith(PERCENT_WORD)) return 'config.invalid_percent';
  return 'config.invalid_value';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text \`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `the ${typeof value} \`${String(value)}\``;
  return 'a value of an unexpected kind';
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: '`true` or `false`',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  int: 'a whole number',
};

/** Converts one zod issue into one or more of ours. */
export function fromZodIssue(zodIssue: z.core.$ZodIssue, schema: unknown, source: YamlSource): Issue[] {
  const path: PropertyKey[] = zodIssue.path;
  const stringPath = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const where = formatPath(stringPath) || 'the file';
  const base = (
    code: IssueCode,
    message: string,
    hint?: string,
    position = source.positionOf(path),
  ): Issue => ({
    code,
    path: stringPath,
    message,
    ...(hint === undefined ? {} : { hint }),
    source: position,
    severity: 'error',
  });

  switch (zodIssue.code) {
    case 'unrecognized_keys': {
      const valid = keysAt(schema, path);
      return zodIssue.keys.map((key) =>
        Object.assign(
          base(
            'config.unknown_key',
            `unknown key \`${key}\` in \`${where}\`${didYouMean(key, valid)}`,
            valid.length > 0 ? `valid keys here: ${listOf(valid, 20)}` : 'remove it',
            source.positionOf([...path, key], { key: true }),
          ),
          { path: [...stringPath, key] },
        ),
      );
    }
    case 'invalid_type': {
      const input = (zodIssue as { input?: unknown }).input;
      const last = path.at(-1);
      if (input === undefined) {
        return [
          base(
            'config.missing_key',
            `\`${where}\` is required`,
            `add \`${String(last)}:\` here (${TYPE_WORDS[zodIssue.expected] ?? zodIssue.expected}); \`revops schema\` documents every key`,
            source.positionOf(path.slice(0, -1), { key: true }),
          ),
        ];
      }
      const custom = zodIssue.message.startsWith('Invalid input') ? undefined : zodIssue.message;
      return [
        base(
          'config.invalid_type',
          custom ??
            `\`${where}\` expects ${TYPE_WORDS[zodIssue.expected] ?? zodIssue.expected}, but has ${describe(input)}`,
        ),
      ];
    }
    case 'invalid_value': {
      const input = (zodIssue as { input?: unknown }).input;
      const values = zodIssue.values.map(String);
      return [
        base(
          'config.invalid_value',
          `\`${where}\` cannot be ${describe(input)}${typeof input === 'string' ? didYouMean(input, values) : ''}`,
          `expected ${listOf(values)}`,
        ),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const input = (zodIssue as { input?: unknown }).input;
      const custom = zodIssue.message.startsWith('Too ') ? undefined : zodIssue.message;
      const bound = zodIssue.code === 'too_small' ? zodIssue.minimum : zodIssue.maximum;
      const inclusive = zodIssue.inclusive !== false;
      const limit =
        zodIssue.code === 'too_small'
          ? `${inclusive ? 'at least' : 'above'} ${String(bound)}`
          : `${inclusive ? 'at most' : 'below'} ${String(bound)}`;
      const what =
        zodIssue.origin === 'array'
          ? `${limit} item(s)`
          : zodIssue.origin === 'string'
            ? `${limit} character(s)`
            : limit;
      return [
        base('config.out_of_range', custom ?? `\`${where}\` must be ${what}, but has ${describe(input)}`),
      ];
    }
    case 'custom': {
      const params = (zodIssue.params ?? {}) as { code?: IssueCode; celOffset?: number; hint?: string };
      const position =
        params.celOffset === undefined
          ? source.positionOf(path)
          : source.positionOf(path, { offset: params.celOffset });
      return [
        base(
          params.code ?? 'config.invalid_value',
          `\`${where}\`: ${zodIssue.message}`,
          params.hint,
          position,
        ),
      ];
    }
    case 'invalid_format':
    case 'invalid_union':
    default: {
      const input = (zodIssue as { input?: unknown }).input;
      const generic = zodIssue.message.startsWith('Invalid');
      return [
        base(
          generic ? 'config.invalid_value' : codeForMessage(zodIssue.message),
          generic
            ? `\`${where}\` has an invalid value: ${describe(input)}`
            : `\`${where}\`: ${zodIssue.message}, got ${describe(input)}`,
        ),
      ];
    }
  }
}

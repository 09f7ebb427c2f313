/**
 * Deal fields: applying a command's changes (top-level fields checked and normalised, the rest
 * kept as given, `null` clears), and whether a required field is filled. Pure.
 */
import type { Issue } from '../issue.ts';
import type { DealFieldValue, DealState } from './types.ts';

/** Fields kept at the top of the deal rather than in `fields`. */
const TOP_LEVEL = new Set(['name', 'owner', 'amount', 'currency', 'closeDate', 'source', 'account']);
const NUMBERS = new Set(['amount', 'discountPercent', 'termMonths', 'fitScore']);

/** `2026-12-15` from a date or an ISO time; undefined when it is neither. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value.trim());
  if (match?.[1] === undefined) return undefined;
  const ms = Date.parse(`${match[1]}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== match[1] ? undefined : match[1];
}

/** A custom field as `pipeline.fields` declares it. */
export interface DeclaredField {
  readonly id: string;
  readonly type: string;
  readonly options?: readonly string[] | undefined;
}

/** Why `value` does not fit a declared field's type, or undefined when it does. */
function typeProblem(field: DeclaredField, value: DealFieldValue): string | undefined {
  const name = `\`${field.id}\``;
  switch (field.type) {
    case 'number':
    case 'money':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${name} must be a number`;
    case 'percent':
      return typeof value === 'number' && value >= 0 && value <= 100
        ? undefined
        : `${name} is a percentage: a number from 0 to 100`;
    case 'date':
      return isoDate(value) === undefined ? `${name} must be a date like 2026-12-15` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false`;
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : `${name} must be a list of text (["a", "b"])`;
    default: {
      if (typeof value !== 'string') return `${name} must be text`;
      const options = field.options;
      return options === undefined || options.length === 0 || options.includes(value)
        ? undefined
        : `${name} must be one of ${options.join(', ')} (got ${JSON.stringify(value)})`;
    }
  }
}

/**
 * Problems with the values of `changes`: wrong types, negative amounts, bad dates, and custom
 * fields that do not fit the type (and options) `pipeline.fields` declares.
 */
export function checkChanges(
  changes: Readonly<Record<string, DealFieldValue>>,
  declared: readonly DeclaredField[] = [],
): Issue[] {
  const issues: Issue[] = [];
  for (const field of declared) {
    const value = changes[field.id];
    if (value === undefined || value === null) continue;
    const problem = typeProblem(field, value);
    if (problem !== undefined)
      issues.push({
        code: 'pipeline.invalid_request',
        path: [field.id],
        message: problem,
        severity: 'error',
      });
  }
  const bad = (field: string, message: string) =>
    issues.push({ code: 'pipeline.invalid_request', path: [field], message, severity: 'error' });
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) continue;
    if (NUMBERS.has(field) && (typeof value !== 'number' || !Number.isFinite(value) || value < 0))
      bad(field, `\`${field}\` must be a number of 0 or more (got ${JSON.stringify(value)})`);
    else if (field === 'discountPercent' && typeof value === 'number' && value > 100)
      bad(field, '`discountPercent` is a percentage: 0 to 100 (15 for 15% off)');
    else if (field === 'termMonths' && typeof value === 'number' && !Number.isInteger(value))
      bad(field, '`termMonths` must be a whole number of months');
    else if (field === 'closeDate' && isoDate(value) === undefined)
      bad(field, `\`closeDate\` must be a date like 2026-12-15 (got ${JSON.stringify(value)})`);
    else if (['name', 'owner', 'currency', 'source', 'account'].includes(field) && typeof value !== 'string')
      bad(field, `\`${field}\` must be text`);
  }
  return issues;
}

/** The deal with `changes` applied (assumed checked). */
export function applyChanges(deal: DealState, changes: Readonly<Record<string, DealFieldValue>>): DealState {
  const next: Record<string, unknown> = Object.assign({}, deal) as unknown as Record<string, unknown>;
  const fields: Record<string, DealFieldValue> = Object.assign({}, deal.fields);
  for (const [field, value] of Object.entries(changes)) {
    if (TOP_LEVEL.has(field)) {
      if (value === null) {
        if (field !== 'currency') delete next[field];
      } else
        next[field] =
          field === 'closeDate'
            ? isoDate(value)
            : field === 'currency' && typeof value === 'string'
              ? value.toUpperCase()
              : value;
    } else if (value === null) delete fields[field];
    else fields[field] = value;
  }
  next['fields'] = fields;
  return next as unknown as DealState;
}

/** The value of a field on the deal (top-level or custom). */
export function fieldValue(deal: DealState, field: string): DealFieldValue | undefined {
  switch (field) {
    case 'contacts':
      return deal.contacts.map((c) => c.contactKey);
    case 'name':
    case 'owner':
    case 'currency':
    case 'closeDate':
    case 'source':
    case 'account':
      return deal[field];
    case 'amount':
      return deal.amount;
    default:
      return deal.fields[field];
  }
}

/**
 * Filled: present and not empty — not null, not blank text, not an empty list, and not `false`
 * (a required yes/no field such as `signedContract` must be yes).
 */
export function isFilled(value: DealFieldValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** The required fields of a stage the deal leaves empty, in the order the stage lists them. */
export function missingFields(deal: DealState, required: readonly string[]): string[] {
  return required.filter((field) => !isFilled(fieldValue(deal, field)));
}

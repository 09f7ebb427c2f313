/**
 * What every inbound adapter returns: events in the catalog's shape, each remembering where its
 * fields came from in the received payload, the calls it deliberately ignored, and the problems
 * that make the payload unmappable. Pure: no IO, no clock.
 */
import { validateEvent, type EventCatalogSpec } from '../../core/events/validate.ts';
import type { Issue } from '../../core/issue.ts';

/** A path into a received payload: `['batch', 3, 'traits', 'email']`. */
export type PayloadPath = readonly (string | number)[];

/** One event an adapter made, with where its fields came from. */
export interface MappedEvent {
  /** The event as `engine.ingest` takes it: `{ id, type, at?, contact, company?, properties? }`. */
  readonly event: Readonly<Record<string, unknown>>;
  /**
   * Where fields came from: event path (`contact.email`, `properties`) → payload path. A key covers
   * everything under it; `''` covers the whole event (the payload item is the event itself).
   */
  readonly origins: Readonly<Record<string, PayloadPath>>;
  /** The payload item the event was made from (`['batch', 3]`; `[]` for the whole body). */
  readonly base: PayloadPath;
}

/** A well-formed call that carries nothing the engine takes (an anonymous page view, a `screen`). */
export interface IgnoredItem {
  readonly path: PayloadPath;
  readonly reason: string;
}

/** An adapter's answer: events to ingest, calls ignored, problems refusing the payload. */
export interface AdapterResult {
  readonly events: readonly MappedEvent[];
  readonly ignored: readonly IgnoredItem[];
  /** Non-empty: the payload is refused as a whole (422), nothing of it is ingested. */
  readonly issues: readonly Issue[];
}

/** An issue making a payload unmappable, at `path` of the payload. */
export function unmappable(path: PayloadPath, message: string, hint?: string): Issue {
  return {
    code: 'webhook.unmappable_payload',
    path: [...path],
    message,
    severity: 'error',
    ...(hint === undefined ? {} : { hint }),
  };
}

/** A plain JSON object (not null, not a list). Never throws. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: `__proto__`, `constructor` and friends never come from the prototype. */
export function own(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The own value at a path of keys, or undefined. */
export function ownPath(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) current = own(current, key);
  return current;
}

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The first key of `keys` that `value` holds as text, with its key. */
export function firstText(
  value: unknown,
  keys: readonly string[],
): { key: string; value: string } | undefined {
  for (const key of keys) {
    const found = text(own(value, key));
    if (found !== undefined) return { key, value: found };
  }
  return undefined;
}

/** The payload path of an event path, through the longest covering origin. */
export function payloadPath(mapped: MappedEvent, eventPath: string): PayloadPath {
  const parts = eventPath === '' ? [] : eventPath.split('.');
  for (let n = parts.length; n >= 0; n--) {
    const key = parts.slice(0, n).join('.');
    const origin = Object.hasOwn(mapped.origins, key) ? mapped.origins[key] : undefined;
    if (origin !== undefined) return [...origin, ...parts.slice(n)];
  }
  return mapped.base;
}

/**
 * Checks mapped events against the catalog exactly as `engine.ingest` will, so a payload is refused
 * whole before anything is written. Each issue keeps its event code and names the payload field.
 */
export function checkMapped(events: readonly MappedEvent[], spec: EventCatalogSpec): Issue[] {
  const issues: Issue[] = [];
  for (const mapped of events) {
    const checked = validateEvent(mapped.event, spec);
    if (checked.ok) continue;
    for (const issue of checked.issues) {
      const path = payloadPath(mapped, issue.path);
      const same = path.join('.') === [...mapped.base, issue.path].filter((p) => p !== '').join('.');
      issues.push({
        code: issue.code,
        path: [...path],
        message: same
          ? issue.message
          : `${issue.message} (in the mapped event's \`${issue.path || 'event'}\`)`,
        severity: 'error',
      });
    }
  }
  return issues;
}

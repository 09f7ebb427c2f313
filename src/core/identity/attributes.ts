/**
 * Attribute merging with provenance: each attribute keeps the value of the event with the latest
 * `at` (ties: the later arrival wins), and remembers which event and source set it.
 */
import type { Attribute, AttributeValue, Attributes, Millis } from '../types.ts';

export interface Provenance {
  readonly at: Millis;
  readonly eventId: string;
  readonly source: string;
}

/** Merges incoming values; returns the same object when nothing changed. */
export function mergeAttributes(
  current: Attributes,
  incoming: Readonly<Record<string, AttributeValue>>,
  provenance: Provenance,
  skip: ReadonlySet<string> = new Set(),
): Attributes {
  let next: Record<string, Attribute> | undefined;
  for (const [name, value] of Object.entries(incoming)) {
    if (skip.has(name)) continue;
    const existing = current[name];
    if (existing !== undefined && existing.at > provenance.at) continue;
    if (existing !== undefined && sameValue(existing.value, value) && existing.at === provenance.at) continue;
    next ??= { ...current };
    next[name] = { value, at: provenance.at, eventId: provenance.eventId, source: provenance.source };
  }
  return next ?? current;
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** The plain values, for rule evaluation and output. */
export function attributeValues(attributes: Attributes): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, attribute] of Object.entries(attributes)) out[name] = attribute.value;
  return out;
}

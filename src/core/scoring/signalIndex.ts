/**
 * Signals found by the event, not by trying them all: a model with a thousand content-level rules
 * (`event.properties.url == "https://…/p/417"`) must not evaluate a thousand conditions per page view.
 * Per event type, a signal whose condition is a disjunction of `event.properties.<name> == "<text>"`
 * terms is filed under each (name, text); any other condition is kept in a list tried in full.
 * Equivalent to evaluating every condition: a property that is missing or not that exact string makes
 * the term false, as CEL does (an evaluation error counts as false).
 */
import type { InboundEvent } from '../types.ts';
import type { SignalModel } from './model.ts';

interface TypeIndex {
  readonly byProperty: ReadonlyMap<string, ReadonlyMap<string, readonly SignalModel[]>>;
  /** Signals with other conditions (or none), in model order. */
  readonly general: readonly SignalModel[];
  /** Position in the model, to return candidates in model order. */
  readonly order: ReadonlyMap<SignalModel, number>;
}

const TERM = /^\s*event\.properties\.([A-Za-z_][A-Za-z0-9_]*)\s*==\s*"([^"\\]*)"\s*$/;

/** The (property, text) terms of a pure disjunction of equalities, or undefined for anything else. */
export function equalityTerms(source: string): { property: string; text: string }[] | undefined {
  const terms: { property: string; text: string }[] = [];
  for (const part of source.split('||')) {
    const match = TERM.exec(part);
    if (match === null) return undefined;
    terms.push({ property: match[1] ?? '', text: match[2] ?? '' });
  }
  return terms;
}

const cache = new WeakMap<readonly SignalModel[], ReadonlyMap<string, TypeIndex>>();

function build(signals: readonly SignalModel[]): ReadonlyMap<string, TypeIndex> {
  const byType = new Map<
    string,
    {
      byProperty: Map<string, Map<string, SignalModel[]>>;
      general: SignalModel[];
      order: Map<SignalModel, number>;
    }
  >();
  signals.forEach((signal, position) => {
    let entry = byType.get(signal.event);
    if (entry === undefined) {
      entry = { byProperty: new Map(), general: [], order: new Map() };
      byType.set(signal.event, entry);
    }
    entry.order.set(signal, position);
    const terms = signal.when === undefined ? undefined : equalityTerms(signal.when.source);
    if (terms === undefined) {
      entry.general.push(signal);
      return;
    }
    for (const { property, text } of terms) {
      let byText = entry.byProperty.get(property);
      if (byText === undefined) entry.byProperty.set(property, (byText = new Map<string, SignalModel[]>()));
      const list = byText.get(text) ?? [];
      if (!list.includes(signal)) list.push(signal);
      byText.set(text, list);
    }
  });
  return byType;
}

/**
 * The signals that can match `event`, in model order: the indexed ones whose equality holds (their
 * condition is then true, no need to evaluate it: `matched`), and the general ones (to evaluate).
 */
export function candidateSignals(
  signals: readonly SignalModel[],
  event: InboundEvent,
): { readonly matched: readonly SignalModel[]; readonly toEvaluate: readonly SignalModel[] } {
  let index = cache.get(signals);
  if (index === undefined) {
    index = build(signals);
    cache.set(signals, index);
  }
  const entry = index.get(event.type);
  if (entry === undefined) return { matched: [], toEvaluate: [] };
  const matched = new Set<SignalModel>();
  for (const [property, byText] of entry.byProperty) {
    const value = event.properties[property];
    if (typeof value !== 'string') continue;
    for (const signal of byText.get(value) ?? []) matched.add(signal);
  }
  const ordered = [...matched].sort((a, b) => (entry.order.get(a) ?? 0) - (entry.order.get(b) ?? 0));
  return { matched: ordered, toEvaluate: entry.general };
}

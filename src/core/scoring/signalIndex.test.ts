// The signal index must find exactly the signals whose condition holds — the same answer as
// evaluating every condition — only faster.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compiledRule } from '../../../test/support/compiledRule.ts';
import type { CompiledRule } from '../rule.ts';
import type { InboundEvent, JsonObject } from '../types.ts';
import type { SignalModel } from './model.ts';
import { candidateSignals, equalityTerms } from './signalIndex.ts';

const rule = (source: string): CompiledRule => compiledRule(source, 'event');

const SOURCES = [
  'event.properties.url == "/pricing"',
  'event.properties.url == "/blog"',
  'event.properties.url == "/pricing" || event.properties.kind == "ebook"',
  'event.properties.kind == "ebook"',
  'event.properties.url != "/pricing"',
  'event.properties.url == "/a||b"',
  'event.properties.url.startsWith("/p")',
] as const;
const COMPILED = new Map(SOURCES.map((s) => [s, rule(s)]));

function signal(id: string, event: string, source?: (typeof SOURCES)[number]): SignalModel {
  return {
    id,
    label: id,
    event,
    ...(source === undefined ? {} : { when: COMPILED.get(source) }),
    points: 5,
    frequency: 'each',
  };
}

function event(type: string, properties: JsonObject): InboundEvent {
  return { id: 'e', type, at: 0, source: 'test', contact: {}, company: {}, properties };
}

describe('equalityTerms', () => {
  it.each([
    ['event.properties.url == "/pricing"', [{ property: 'url', text: '/pricing' }]],
    [
      'event.properties.url == "/p" || event.properties.kind == "ebook"',
      [
        { property: 'url', text: '/p' },
        { property: 'kind', text: 'ebook' },
      ],
    ],
    ['event.properties.url != "/p"', undefined],
    ['event.properties.url == "/a||b"', undefined],
    ['event.properties.url == "/p" && event.properties.kind == "x"', undefined],
  ])('%s', (source, expected) => {
    expect(equalityTerms(source)).toEqual(expected);
  });
});

describe('candidateSignals', () => {
  it('indexes equalities, keeps other conditions to evaluate, in model order', () => {
    const signals = [
      signal('blog', 'page_view', 'event.properties.url == "/blog"'),
      signal('pricing', 'page_view', 'event.properties.url == "/pricing"'),
      signal('any-view', 'page_view'),
      signal('not-pricing', 'page_view', 'event.properties.url != "/pricing"'),
      signal('ebook', 'content_download', 'event.properties.kind == "ebook"'),
    ];
    const found = candidateSignals(signals, event('page_view', { url: '/pricing' }));
    expect(found.matched.map((s) => s.id)).toEqual(['pricing']);
    expect(found.toEvaluate.map((s) => s.id)).toEqual(['any-view', 'not-pricing']);
    expect(candidateSignals(signals, event('webinar', {}))).toEqual({ matched: [], toEvaluate: [] });
  });

  const properties = fc.record(
    {
      url: fc.constantFrom<JsonObject[string]>('/pricing', '/blog', '/a||b', '/p2', 7),
      kind: fc.constantFrom<JsonObject[string]>('ebook', 'whitepaper'),
    },
    { requiredKeys: [] },
  );
  test.prop([
    fc.array(
      fc.tuple(fc.constantFrom('page_view', 'content_download'), fc.option(fc.constantFrom(...SOURCES))),
      {
        maxLength: 12,
      },
    ),
    fc.constantFrom('page_view', 'content_download'),
    properties,
  ])('finds exactly the signals a full evaluation finds', (specs, type, props) => {
    const signals = specs.map(([on, source], i) => signal(`s${i}`, on, source ?? undefined));
    const e = event(type, props);
    const context = { event: { type, at: '1970-01-01T00:00:00.000Z', properties: props as JsonObject } };
    const brute = signals.filter((s) => s.event === type && (s.when?.evaluate(context) ?? true));
    const { matched, toEvaluate } = candidateSignals(signals, e);
    const indexed = [...matched, ...toEvaluate.filter((s) => s.when?.evaluate(context) ?? true)];
    expect(new Set(indexed.map((s) => s.id))).toEqual(new Set(brute.map((s) => s.id)));
  });
});

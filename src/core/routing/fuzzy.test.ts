import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routingModel } from './__fixtures__/builders.ts';
import {
  asciiNormalLength,
  companySimilarity,
  fuzzyNamedAccounts,
  LEGAL_SUFFIXES,
  normalizeCompanyName,
} from './fuzzy.ts';
import type { NamedAccountModel } from './model.ts';

describe('normalizeCompanyName', () => {
  it.each([
    ['Globex Corporation', 'globex'],
    ['GLOBEX, Corp.', 'globex'],
    ['Acme Co., Ltd.', 'acme'],
    ['Initech, Inc.', 'initech'],
    ['Hooli GmbH', 'hooli'],
    ['Pied-Piper LLC', 'pied piper'],
    ['Société Générale SA', 'societe generale'],
    ['AG Barr plc', 'ag barr'], // a legal word only counts at the end
    ['Inc.', 'inc'], // nothing but a legal word: kept
    ['  ', ''],
  ])('%s → %s', (name, normal) => {
    expect(normalizeCompanyName(name)).toBe(normal);
  });
});

describe('companySimilarity', () => {
  it.each([
    ['Globex Corporation', 'GLOBEX, Corp.', 1],
    ['Massive Dynamic', 'Massive Dynamics', 1 - 1 / 16],
    ['Initech', 'Initek', 1 - 2 / 7],
    ['Hooli', 'Acme', 1 - 5 / 5], // no letter in common
    ['', 'Acme', 0],
  ])('%s ~ %s = %d', (a, b, score) => {
    expect(companySimilarity(a, b)).toBeCloseTo(score, 12);
    expect(companySimilarity(b, a)).toBeCloseTo(score, 12);
  });
});

describe('fuzzyNamedAccounts', () => {
  const named = (domain: string, name?: string): [string, NamedAccountModel] => [
    domain,
    { domain, ...(name === undefined ? {} : { name }), owner: 'ana', tier: 2 },
  ];
  const model = routingModel({
    namedAccounts: new Map([
      named('massive.example', 'Massive Dynamic'),
      named('md.example', 'Massive Dynamics'),
      named('globex.example', 'Globex Corporation'),
      named('nameless.example'),
      named('b-hooli.example', 'Hooli'),
      named('a-hooli.example', 'Hooli Inc'),
    ]),
  });

  it('lists the names at or above the threshold, best first', () => {
    expect(fuzzyNamedAccounts('Massive Dynamics, Inc.', model)).toEqual([
      { domain: 'md.example', name: 'Massive Dynamics', score: 1 },
      { domain: 'massive.example', name: 'Massive Dynamic', score: 0.9375 },
    ]);
    const strict = { ...model, fuzzyNameMatch: { enabled: true, threshold: 0.95 } };
    expect(fuzzyNamedAccounts('Massive Dynamics, Inc.', strict)).toEqual([
      { domain: 'md.example', name: 'Massive Dynamics', score: 1 },
    ]);
  });

  it('breaks equal scores by domain', () => {
    expect(fuzzyNamedAccounts('hooli', model).map((m) => m.domain)).toEqual([
      'a-hooli.example',
      'b-hooli.example',
    ]);
  });

  it('finds nothing for a different company', () => {
    expect(fuzzyNamedAccounts('Globex Systems', model)).toEqual([]);
  });

  it('finds every name a full comparison finds, whatever the threshold (the length pre-check drops none)', () => {
    const names = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc
        .array(
          fc.constantFrom('Massive', 'Dynamic', 'Dynamics', 'Globex', 'Hooli', 'Inc', 'Corp', 'é', '-', ' '),
          {
            maxLength: 5,
          },
        )
        .map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(names, fc.double({ min: 0.5, max: 1, noNaN: true }), (name, threshold) => {
        const at = { ...model, fuzzyNameMatch: { enabled: true, threshold } };
        const expected = [...model.namedAccounts.values()]
          .filter((a) => a.name !== undefined && companySimilarity(name, a.name) >= threshold)
          .map((a) => a.domain)
          .sort();
        expect(
          fuzzyNamedAccounts(name, at)
            .map((m) => m.domain)
            .sort(),
        ).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeCompanyName on plain ASCII', () => {
  /** The Unicode path, applied to every name: what the ASCII shortcut must agree with. */
  const viaUnicode = (name: string): string => {
    const words = name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .split(' ')
      .filter((w) => w.length > 0);
    let end = words.length;
    while (end > 1 && LEGAL_SUFFIXES.has(words[end - 1] ?? '')) end--;
    return words.slice(0, end).join(' ');
  };

  it('gives the same form as the Unicode path for any printable ASCII name', () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    const words = fc
      .array(fc.constantFrom('Acme', 'co', 'Ltd.', 'GMBH', ' ', '&', 'Inc', '3M', 'a-b', ','), {
        maxLength: 8,
      })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(ascii, words), (name) => {
        expect(normalizeCompanyName(name)).toBe(viaUnicode(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('measures the normal form without building it (the pre-check that skips most leads)', () => {
    expect(asciiNormalLength('Acme Co., Ltd.')).toBe('acme'.length);
    expect(asciiNormalLength('Co Ltd')).toBe('co'.length);
    expect(asciiNormalLength('  ')).toBe(0);
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 80,
    });
    const words = fc
      .array(fc.constantFrom('Acme', 'co', 'Ltd.', 'GMBH', ' ', '&', 'Incorporated', '3M', 'a-b', ','), {
        maxLength: 8,
      })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(ascii, words), (name) => {
        expect(asciiNormalLength(name)).toBe(normalizeCompanyName(name).length);
      }),
      { numRuns: 3000 },
    );
  });

  it('declines names outside printable ASCII, which only the Unicode path normalises', () => {
    expect(asciiNormalLength('Société Générale SA')).toBe(-1);
    expect(asciiNormalLength('Acme\tLtd')).toBe(-1);
    // Both forms agree wherever the measure answers.
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const length = asciiNormalLength(name);
        if (length >= 0) expect(length).toBe(normalizeCompanyName(name).length);
        else expect(/^[\x20-\x7e]*$/.test(name)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

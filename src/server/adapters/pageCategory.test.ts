import { describe, expect, it } from 'vitest';
import { pageCategory, pathOf } from './pageCategory.ts';

describe('pageCategory', () => {
  it.each([
    ['https://example.com/', 'homepage'],
    ['https://example.com', 'homepage'],
    ['/pricing', 'pricing'],
    ['https://example.com/Pricing/?plan=team', 'pricing'],
    ['https://example.com/plans', 'pricing'],
    ['https://example.com/request-demo', 'demo'],
    ['https://example.com/roi-calculator', 'roi_calculator'],
    ['https://example.com/customers/northwind', 'case_study'],
    ['https://example.com/resources/case-studies/acme', 'case_study'],
    ['https://example.com/compare/hubspot', 'comparison'],
    ['https://example.com/revops-vs-spreadsheets', 'comparison'],
    ['https://example.com/careers/ae-emea', 'careers'],
    ['https://example.com/blog/lead-scoring', 'blog'],
    ['https://example.com/about', 'other'],
    ['https://example.com/democracy', 'other'],
  ])('guesses %s as %s', (url, category) => {
    expect(pageCategory([], url, [])).toBe(category);
  });

  it('prefers the stated category, then the configured path rules', () => {
    expect(pageCategory(['Case Study'], '/blog/x', [])).toBe('case_study');
    expect(pageCategory(['Landing', 'roi-calculator'], '/blog/x', [])).toBe('roi_calculator');
    const rules = [{ path: '/learn', category: 'blog' as const }];
    expect(pageCategory([], 'https://example.com/learn/scoring', rules)).toBe('blog');
    expect(pageCategory([], 'https://example.com/learn', rules)).toBe('blog');
    expect(pageCategory([], 'https://example.com/learning', rules)).toBe('other');
    expect(pageCategory([], 'https://example.com/x', [{ path: '/', category: 'demo' }])).toBe('other');
    expect(pageCategory([], undefined, rules)).toBe('other');
  });

  it('reads paths of absolute and bare URLs, never throwing', () => {
    expect(pathOf('https://example.com/A/b/')).toBe('/a/b');
    expect(pathOf('pricing')).toBe('/pricing');
    expect(pathOf('http://[::1')).toBeUndefined();
  });
});

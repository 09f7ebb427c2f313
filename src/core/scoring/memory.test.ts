import { describe, expect, it } from 'vitest';
import { compileRule } from '../../config/cel.ts';
import { loadConfigFile } from '../../config/loader.ts';
import { templatePath } from '../../config/templates/index.ts';
import { parseDuration } from '../time/duration.ts';
import {
  DAY,
  email,
  event,
  form,
  HOUR,
  lead,
  MON_0900_UTC as T,
  page,
  product,
  remember,
  scoreAt,
} from './__fixtures__/builders.ts';
import {
  emptyMemory,
  latestCompletion,
  latestPerDay,
  MAX_CATEGORIES,
  MAX_KEPT,
  resetEngagement,
} from './memory.ts';
import type { ScoringModel, SignalModel } from './model.ts';

const MID: ScoringModel = loadConfigFile(templatePath('mid-market')).scoring;
const PLG: ScoringModel = loadConfigFile(templatePath('plg')).scoring;

function rule(source: string) {
  const result = compileRule(source, 'test', 'event');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rule;
}

const who = lead();

describe('observe', () => {
  it('records what scoring needs and nothing else', () => {
    const m = remember(MID, who, [
      event('identify', {}, T - DAY),
      page('pricing', T),
      page('pricing', T + HOUR),
      form('demo_request', T + 2 * HOUR),
      email('click', T + 3 * HOUR),
      email('unsubscribe', T + 4 * HOUR),
      event('rep_activity', { kind: 'call' }, T + 5 * HOUR),
    ]);
    expect(m).toEqual({
      version: 1,
      firstSeenAt: T - DAY,
      lastActivityAt: T + 4 * HOUR, // identify and rep activity are not the lead's activity
      signals: {
        'pricing-page': { times: [T + HOUR] }, // `once`: only the latest matters
        'demo-or-trial': { times: [T + 2 * HOUR] },
        'email-clicks': { times: [T + 3 * HOUR] },
      },
      fastTrack: { 'demo-request': T + 2 * HOUR },
      negativeHits: {},
      activity: {},
      pageCategories: ['pricing'],
      emailFlags: { unsubscribe: T + 4 * HOUR },
    });
  });

  it('is JSON-serialisable as is', () => {
    const m = remember(PLG, who, [product('login', T), product('core_feature_used', T), page('blog', T)]);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    expect(m.activity).toEqual({ 'no-login-14d': T });
  });

  it('keeps counts bounded: the latest `atLeast` for count signals', () => {
    const clicks = Array.from({ length: 50 }, (_, i) => email('click', T + i * HOUR));
    const m = remember(MID, who, clicks);
    expect(m.signals['email-clicks']).toEqual({ times: [T + 47 * HOUR, T + 48 * HOUR, T + 49 * HOUR] });
  });

  it('keeps `each` without max bounded, still counting every occurrence when nothing decays', () => {
    const opens: SignalModel = {
      id: 'open',
      label: 'Email open',
      event: 'email',
      when: rule('event.properties.action == "open"'),
      points: 1,
      frequency: 'each',
    };
    const model: ScoringModel = { ...MID, fastTrack: [], negative: [], engagement: { signals: [opens] } };
    const m = remember(
      model,
      who,
      Array.from({ length: 300 }, (_, i) => email('open', T + i * HOUR)),
    );
    expect(m.signals['open']?.times).toHaveLength(MAX_KEPT);
    expect(m.signals['open']?.dropped).toBe(300 - MAX_KEPT);
    expect(scoreAt(model, who, m, T + 300 * HOUR).engagement).toBe(300);
  });

  it('drops `each` occurrences that have fully decayed by the latest one', () => {
    const clicks: SignalModel = {
      id: 'click',
      label: 'Email click',
      event: 'email',
      when: rule('event.properties.action == "click"'),
      points: 5,
      frequency: 'each',
      decay: { points: 2, every: parseDuration('1 month')!, from: 'occurrence' },
    };
    const model: ScoringModel = { ...MID, fastTrack: [], negative: [], engagement: { signals: [clicks] } };
    // 5 points lose 2 per 30 days: gone after 3 steps (90 days).
    const m = remember(
      model,
      who,
      [0, 30, 75, 90, 100].map((d) => email('click', T + d * DAY)),
    );
    expect(m.signals['click']?.times).toEqual([T + 30 * DAY, T + 75 * DAY, T + 90 * DAY, T + 100 * DAY]);
    // At day 100: 70 days old → 2 steps → 1; then 5, 5, 5.
    expect(scoreAt(model, who, m, T + 100 * DAY).engagement).toBe(1 + 5 + 5 + 5);
  });

  it('caps the page categories and then no longer says "only visited"', () => {
    const views = Array.from({ length: MAX_CATEGORIES + 3 }, (_, i) =>
      page(`c${String(i).padStart(2, '0')}`, T + i),
    );
    const m = remember(MID, who, views);
    expect(m.pageCategories).toHaveLength(MAX_CATEGORIES);
    expect(m.manyCategories).toBe(true);
  });

  it('a page view without a category counts as `other`', () => {
    expect(remember(MID, who, [event('page_view', { url: '/x' }, T)]).pageCategories).toEqual(['other']);
  });
});

describe('resetEngagement', () => {
  it('forgets occurrences and fast-track hits before the reset, keeps the rest', () => {
    const m = remember(MID, who, [page('pricing', T), form('demo_request', T), email('unsubscribe', T)]);
    const r = resetEngagement(m, T + DAY);
    expect(r).toEqual({ ...m, resetAt: T + DAY, signals: {}, fastTrack: {} });
    // Later occurrences count again.
    const again = remember(MID, who, [page('pricing', T + 2 * DAY)], r);
    expect(again.signals).toEqual({ 'pricing-page': { times: [T + 2 * DAY] } });
  });

  it('a later reset wins over an earlier one', () => {
    expect(resetEngagement(resetEngagement(emptyMemory(), T + DAY), T).resetAt).toBe(T + DAY);
  });
});

describe('window helpers', () => {
  it('latestPerDay keeps one time per UTC day, the latest', () => {
    expect(latestPerDay([T, T + HOUR, T + DAY, T + DAY + 2 * HOUR])).toEqual([T + HOUR, T + DAY + 2 * HOUR]);
  });

  it('latestCompletion finds the last occurrence closing a full window (inclusive)', () => {
    expect(latestCompletion([T, T + 3 * DAY, T + 7 * DAY], 3, 7 * DAY)).toBe(T + 7 * DAY);
    expect(latestCompletion([T, T + 3 * DAY, T + 7 * DAY + 1], 3, 7 * DAY)).toBeUndefined();
    expect(latestCompletion([T, T + DAY, T + 2 * DAY, T + 30 * DAY], 3, 7 * DAY)).toBe(T + 2 * DAY);
  });
});

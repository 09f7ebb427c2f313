/**
 * Invariants of scoring, over random event histories on the three templates and on a model that
 * uses every signal shape (windows, distinct days, per-occurrence with and without max, decay
 * from the occurrence and from the last activity).
 */
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compileRule } from '../../config/cel.ts';
import { loadConfigFile } from '../../config/loader.ts';
import { templatePath, type TemplateName } from '../../config/templates/index.ts';
import { parseDuration, type Duration } from '../time/duration.ts';
import type { ContactState, InboundEvent, JsonObject } from '../types.ts';
import {
  contextOf,
  DAY,
  event,
  isFreeMail,
  lead,
  MINUTE,
  MON_0900_UTC as T,
  remember,
  scoreAt,
  type Facts,
} from './__fixtures__/builders.ts';
import { emptyMemory, observe, observeAll, type ScoringMemory } from './memory.ts';
import type { ScoringModel, SignalModel } from './model.ts';
import type { ScoreResult } from './score.ts';

function load(name: TemplateName) {
  return loadConfigFile(templatePath(name));
}
const MID = load('mid-market');

function rule(source: string) {
  const result = compileRule(source, 'test', 'event');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rule;
}
function dur(text: string): Duration {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(text);
  return d;
}

const signal = (s: Omit<SignalModel, 'label'>): SignalModel => ({ label: s.id, ...s });
const EVERY_SHAPE: ScoringModel = {
  ...MID.scoring,
  engagement: {
    signals: [
      signal({
        id: 'blog-3-week',
        event: 'page_view',
        when: rule('event.properties.category == "blog"'),
        points: 10,
        frequency: 'once',
        count: { atLeast: 3, within: dur('1 week'), distinctDays: false },
        decay: { points: 5, every: dur('2 weeks'), from: 'occurrence' },
      }),
      signal({
        id: 'daily-active',
        event: 'product',
        when: rule('event.properties.action == "active_day"'),
        points: 20,
        frequency: 'once',
        count: { atLeast: 3, within: dur('1 week'), distinctDays: true },
        decay: { points: 10, every: dur('2 weeks'), from: 'last_activity' },
      }),
      signal({
        id: 'click',
        event: 'email',
        when: rule('event.properties.action == "click"'),
        points: 5,
        frequency: 'each',
        max: 4,
        decay: { points: 2, every: dur('1 month'), from: 'occurrence' },
      }),
      signal({
        id: 'open',
        event: 'email',
        when: rule('event.properties.action == "open"'),
        points: 1,
        frequency: 'each',
      }),
      signal({
        id: 'social',
        event: 'social',
        points: 3,
        frequency: 'each',
        decay: { points: 1, every: dur('1 week'), from: 'last_activity' },
      }),
      signal({
        id: 'download',
        event: 'content_download',
        points: 7,
        frequency: 'each',
        decay: { points: 3, every: dur('10 days'), from: 'occurrence' },
      }),
      signal({
        id: 'pricing',
        event: 'page_view',
        when: rule('event.properties.category == "pricing"'),
        points: 15,
        frequency: 'once',
        decay: { points: 5, every: dur('1 week'), from: 'occurrence' },
      }),
    ],
  },
  negative: [
    ...MID.scoring.negative,
    {
      id: 'no-login',
      label: 'No login',
      points: -15,
      inactiveFor: dur('14d'),
      event: 'product',
      on: rule('event.properties.action == "login"'),
      effect: 'none',
    },
    { id: 'careers-only', label: 'Careers only', points: -30, onlyVisited: ['careers'], effect: 'none' },
  ],
};

const MODELS: readonly { readonly name: string; readonly model: ScoringModel; readonly facts: Facts }[] = [
  ...(['mid-market', 'plg', 'sales-led'] as const).map((name) => {
    const c = load(name);
    return {
      name,
      model: c.scoring,
      facts: {
        competitorDomains: c.company.competitors,
        studentDomains: c.hygiene.studentDomains,
        isFreeMail,
      },
    };
  }),
  {
    name: 'every shape',
    model: EVERY_SHAPE,
    facts: { competitorDomains: MID.company.competitors, isFreeMail },
  },
];

/** Events that match some signal somewhere (positive behaviour). */
const POSITIVE: readonly [string, JsonObject][] = [
  ['page_view', { category: 'pricing' }],
  ['page_view', { category: 'blog' }],
  ['form_submit', { form: 'demo_request' }],
  ['form_submit', { form: 'trial_signup' }],
  ['content_download', { kind: 'case_study' }],
  ['content_download', { kind: 'roi_guide' }],
  ['webinar', { action: 'attended', audience: 'executive' }],
  ['email', { action: 'click' }],
  ['email', { action: 'open' }],
  ['social', { action: 'like' }],
  ['product', { action: 'account_created' }],
  ['product', { action: 'onboarding_completed' }],
  ['product', { action: 'core_feature_used' }],
  ['product', { action: 'teammate_invited' }],
  ['product', { action: 'usage_limit_hit' }],
  ['product', { action: 'active_day' }],
];
/** Anything else: logins, careers pages, identify, rep touches. */
const OTHER: readonly [string, JsonObject][] = [
  ['product', { action: 'login' }],
  ['page_view', { category: 'careers' }],
  ['identify', {}],
  ['rep_activity', { kind: 'call' }],
];
const POOL = [...POSITIVE, ...OTHER];

const LEADS: readonly ContactState[] = [
  lead({
    email: 'dana@acme.example',
    contact: { seniority: 'vp', role: 'decision_maker' },
    company: {
      employees: 300,
      industry: 'Software',
      country: 'US',
      techStack: ['slack'],
      revenue: 60_000_000,
    },
  }),
  lead({
    email: 'kim@gmail.com',
    contact: { seniority: 'student', title: 'Student' },
    company: { employees: 5 },
  }),
  lead({ email: 'sam@rivalmetrics.example', contact: { seniority: 'manager' }, company: { employees: 80 } }),
];

const HORIZON = 120 * DAY;
const anOffset = fc.integer({ min: 0, max: HORIZON / MINUTE }).map((m) => m * MINUTE);
const anEvent = (pool: readonly [string, JsonObject][]) =>
  fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), anOffset, fc.integer({ min: 0, max: 59_999 }));
const history = fc.array(anEvent(POOL), { maxLength: 40 });
const aModel = fc.integer({ min: 0, max: MODELS.length - 1 });
const aLead = fc.integer({ min: 0, max: LEADS.length - 1 });
const later = fc.integer({ min: 0, max: 200 * DAY });

function build(
  pool: readonly [string, JsonObject][],
  spec: readonly [number, number, number][],
): InboundEvent[] {
  return spec.map(([i, offset, ms]) => {
    const [type, properties] = pool[i] ?? ['identify', {}];
    return event(type, properties, T + offset + ms);
  });
}

function setup(modelIndex: number, leadIndex: number) {
  const m = MODELS[modelIndex] ?? MODELS[0]!;
  const contact = LEADS[leadIndex] ?? LEADS[0]!;
  const items = (events: readonly InboundEvent[]) =>
    events.map((e) => ({ event: e, context: contextOf(contact, e) }));
  const facts: Facts = { ...m.facts, createdAt: T };
  const score = (memory: ScoringMemory, now: number) => scoreAt(m.model, contact, memory, now, facts);
  return { ...m, contact, items, score };
}

const lastAt = (events: readonly InboundEvent[]) => Math.max(T, ...events.map((e) => e.at));

/** What time alone may change: points per entry, the total and the MQL decision. */
function signature(r: ScoreResult) {
  return {
    ledger: r.ledger.map((e) => `${e.dimension}:${e.ruleId}=${e.points}/${e.decayApplied}`),
    total: r.total,
    mql: r.mql,
  };
}

describe('scoring invariants', () => {
  prop.prop([aModel, aLead, history, later], { numRuns: 300 })(
    'no signal is ever negative; percentages stay within 0–100; the total is never negative',
    (mi, li, spec, extra) => {
      const s = setup(mi, li);
      const events = build(POOL, spec);
      const r = s.score(observeAll(emptyMemory(), s.items(events), s.model), lastAt(events) + extra);
      for (const entry of r.ledger.filter(
        (e) => e.dimension === 'engagement' && !e.ruleId.startsWith('caps.'),
      )) {
        expect(entry.points).toBeGreaterThanOrEqual(0);
        expect(entry.decayApplied).toBeGreaterThanOrEqual(0);
      }
      expect(r.engagement).toBeGreaterThanOrEqual(0);
      expect(r.negative).toBeLessThanOrEqual(0);
      expect(r.total).toBeGreaterThanOrEqual(0);
      expect(r.total).toBeLessThanOrEqual(100);
      for (const p of [r.fitPercent, r.engagementPercent]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(100);
      }
    },
  );

  prop.prop([aModel, aLead, history, anEvent(POSITIVE), later], { numRuns: 300 })(
    'adding a positive event never lowers the score at the same instant',
    (mi, li, spec, extraEvent, extra) => {
      const s = setup(mi, li);
      const events = build(POOL, spec);
      const added = build(POSITIVE, [extraEvent]);
      const now = lastAt([...events, ...added]) + extra;
      const before = s.score(observeAll(emptyMemory(), s.items(events), s.model), now);
      const after = s.score(observeAll(emptyMemory(), s.items([...events, ...added]), s.model), now);
      expect(after.engagement).toBeGreaterThanOrEqual(before.engagement);
      expect(after.total).toBeGreaterThanOrEqual(before.total);
      if (before.mql) expect(after.mql).toBe(true);
    },
  );

  prop.prop([aModel, aLead, history, fc.integer({ min: 0, max: 40 }), later], { numRuns: 300 })(
    'one by one in time order, all at once, or in two batches: the same memory and score',
    (mi, li, spec, cut, extra) => {
      const s = setup(mi, li);
      const events = build(POOL, spec);
      const inOrder = [...events].sort((a, b) => a.at - b.at);
      const oneByOne = inOrder.reduce(
        (m, e) => observe(m, e, contextOf(s.contact, e), s.model),
        emptyMemory(),
      );
      const allAtOnce = observeAll(emptyMemory(), s.items([...events].reverse()), s.model);
      const k = Math.min(cut, inOrder.length);
      const twoBatches = observeAll(
        observeAll(emptyMemory(), s.items(inOrder.slice(0, k)), s.model),
        s.items(inOrder.slice(k)),
        s.model,
      );
      expect(allAtOnce).toEqual(oneByOne);
      expect(twoBatches).toEqual(oneByOne);
      const now = lastAt(events) + extra;
      expect(s.score(allAtOnce, now)).toEqual(s.score(oneByOne, now));
    },
  );

  prop.prop([fc.integer({ min: 0, max: 2 }), aLead, history, later], { numRuns: 300 })(
    'templates (no count windows): arrival order does not matter at all',
    (mi, li, spec, extra) => {
      const s = setup(mi, li);
      const events = build(POOL, spec);
      const arrived = remember(s.model, s.contact, events); // as generated, not sorted
      const sorted = observeAll(emptyMemory(), s.items(events), s.model);
      expect(arrived).toEqual(sorted);
      const now = lastAt(events) + extra;
      expect(s.score(arrived, now)).toEqual(s.score(sorted, now));
    },
  );

  prop.prop([aModel, aLead, history, later], { numRuns: 300 })(
    'nextDecayAt: nothing changes before it, something changes at it, nothing ever changes without it',
    (mi, li, spec, extra) => {
      const s = setup(mi, li);
      const events = build(POOL, spec);
      const memory = observeAll(emptyMemory(), s.items(events), s.model);
      const now = lastAt(events) + extra;
      const r = s.score(memory, now);
      if (r.nextDecayAt === undefined) {
        expect(signature(s.score(memory, now + 5 * 365 * DAY))).toEqual(signature(r));
        return;
      }
      expect(r.nextDecayAt).toBeGreaterThan(now);
      expect(signature(s.score(memory, r.nextDecayAt - 1))).toEqual(signature(r));
      expect(signature(s.score(memory, r.nextDecayAt))).not.toEqual(signature(r));
    },
  );
});

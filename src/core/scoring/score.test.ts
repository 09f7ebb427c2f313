/**
 * Worked examples pinned from the three templates (revops-scoring-models.md, example models 1–3,
 * with the decay of the matching signal). Every expected figure is computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../config/cel.ts';
import { loadConfigFile } from '../../config/loader.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import { templatePath, type TemplateName } from '../../config/templates/index.ts';
import type { CompiledRule } from '../rule.ts';
import { parseDuration, type Duration } from '../time/duration.ts';
import {
  DAY,
  download,
  email,
  form,
  HOUR,
  isFreeMail,
  lead,
  MINUTE,
  MON_0900_UTC as T,
  page,
  points,
  product,
  remember,
  scoreAt,
  webinar,
  type Facts,
} from './__fixtures__/builders.ts';
import { emptyMemory, resetEngagement } from './memory.ts';
import type { NegativeRuleModel, ScoringModel, SignalModel } from './model.ts';

const configs = new Map<TemplateName, RevopsConfig>();
function config(name: TemplateName): RevopsConfig {
  const hit = configs.get(name) ?? loadConfigFile(templatePath(name));
  configs.set(name, hit);
  return hit;
}

// Type-level check: the parsed config section is a core ScoringModel, with no cast.
const loadedConfig = config('mid-market');
const _check: ScoringModel = loadedConfig.scoring;

const MID: ScoringModel = config('mid-market').scoring;
const PLG: ScoringModel = config('plg').scoring;
const SALES: ScoringModel = config('sales-led').scoring;

function facts(name: TemplateName): Facts {
  const c = config(name);
  return {
    competitorDomains: c.company.competitors,
    studentDomains: c.hygiene.studentDomains,
    isFreeMail,
  };
}

function rule(source: string, scope: 'event' | 'attributes'): CompiledRule {
  const result = compileRule(source, 'test', scope);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rule;
}

function dur(text: string): Duration {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(text);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Mid-market (model 3): fit 15/10/15/10/10 → fitMax 60; engagement 25+15+10+10+10+10 → engMax 80;
// 50% / 50%, threshold 65, fitMin 30%, engagementMin 30%.
// ---------------------------------------------------------------------------------------------

/** A VP at a 300-employee US software company that uses Slack: every fit criterion, 60 of 60. */
const vp = lead({
  email: 'dana@acme.example',
  contact: { seniority: 'vp', title: 'VP Marketing' },
  company: { employees: 300, industry: 'Software', country: 'US', techStack: ['slack'] },
});

describe('mid-market worked example', () => {
  // Pricing page 10 days ago (+15, −5 per week: one full week → 10), demo request 3 days ago (+25).
  const memory = remember(MID, vp, [page('pricing', T - 10 * DAY), form('demo_request', T - 3 * DAY)]);
  const result = scoreAt(MID, vp, memory, T, facts('mid-market'));

  it('scores fit, decayed engagement, negative and total exactly', () => {
    expect(result.fit).toBe(60);
    expect(result.fitPercent).toBe(100);
    expect(result.engagement).toBe(35); // 25 + (15 − 5)
    expect(result.engagementPercent).toBe(43.75); // 35 / 80
    expect(result.negative).toBe(0);
    expect(result.total).toBe(72); // round(0.5·100 + 0.5·43.75) = round(71.875)
    expect(result.grades).toEqual({ fit: 'A', engagement: 3 });
    expect(result.excluded).toBeUndefined();
  });

  it('is an MQL by the threshold and both minimums', () => {
    expect(result.mql).toBe(true);
    expect(result.fastTrack).toBeUndefined();
    expect(result.mqlReason).toBe('total 72 ≥ threshold 65, fit 100% ≥ 30%, engagement 43.75% ≥ 30%');
  });

  it('itemises every point', () => {
    expect(points(result)).toEqual({
      'fit:company-size': 15,
      'fit:industry': 10,
      'fit:title': 15,
      'fit:geography': 10,
      'fit:complementary-tool': 10,
      'engagement:demo-or-trial': 25,
      'engagement:pricing-page': 10,
      'fast_track:demo-request': 0,
    });
    const pricing = result.ledger.find((e) => e.ruleId === 'pricing-page');
    expect(pricing).toMatchObject({ label: 'Pricing page visit', decayApplied: 5 });
    expect(pricing?.reason).toBe(
      '1 occurrence, last 2026-02-20T09:00:00.000Z; −5 (1 step of 5 per 1 week since the occurrence)',
    );
    expect(result.ledger.find((e) => e.ruleId === 'company-size')?.reason).toBe(
      'company.employees = 300 in 50..1000',
    );
  });

  it('wakes the sweep at the next pricing step (day 14 after the visit)', () => {
    // Pricing steps at +7d, +14d from the visit: the next is in 4 days. Inactivity (30 days after
    // the demo request) would only come 27 days from now.
    expect(result.nextDecayAt).toBe(T + 4 * DAY);
  });
});

describe('mid-market decay at the step boundaries', () => {
  // Pricing page alone at T: 15 points, −5 per week. Fit 100%, so total = round(50 + 0.5·eng%).
  const memory = remember(MID, vp, [page('pricing', T)]);
  const at = (now: number) => scoreAt(MID, vp, memory, now, facts('mid-market'));

  it.each([
    { label: 'at the visit', now: T, engagement: 15, total: 59, next: T + 7 * DAY }, // round(59.375)
    { label: '6d 23h 59m', now: T + 7 * DAY - MINUTE, engagement: 15, total: 59, next: T + 7 * DAY },
    { label: '7d 0h', now: T + 7 * DAY, engagement: 10, total: 56, next: T + 14 * DAY }, // round(56.25)
    { label: '13d 23h 59m', now: T + 14 * DAY - MINUTE, engagement: 10, total: 56, next: T + 14 * DAY },
    { label: '14d', now: T + 14 * DAY, engagement: 5, total: 53, next: T + 21 * DAY }, // round(53.125)
    // Fully decayed at 21 days; next change is the 30-day inactivity penalty.
    { label: '21d', now: T + 21 * DAY, engagement: 0, total: 50, next: T + 30 * DAY },
    { label: '29d 23h', now: T + 30 * DAY - HOUR, engagement: 0, total: 50, next: T + 30 * DAY },
    // No engagement in 30 days: −10. Nothing changes after that.
    { label: '30d', now: T + 30 * DAY, engagement: 0, total: 40, next: undefined },
  ])('$label: engagement $engagement, total $total', ({ now, engagement, total, next }) => {
    const r = at(now);
    expect(r.engagement).toBe(engagement);
    expect(r.total).toBe(total);
    expect(r.nextDecayAt).toBe(next);
    expect(r.mql).toBe(false);
  });

  it('keeps a fully decayed signal in the ledger at zero', () => {
    expect(at(T + 60 * DAY).ledger.find((e) => e.ruleId === 'pricing-page')).toMatchObject({
      points: 0,
      decayApplied: 15,
    });
    expect(points(at(T + 60 * DAY))['negative:no-engagement-30d']).toBe(-10);
  });
});

describe('mid-market re-qualification after decay', () => {
  // Webinar attended (+10, −5 per month) and pricing page (+15, −5 per week) at T: 25 of 80.
  const first = remember(MID, vp, [webinar('attended', T), page('pricing', T)]);

  it('qualifies, decays below, and qualifies again on a new visit (no once-ever trigger)', () => {
    const f = facts('mid-market');
    const start = scoreAt(MID, vp, first, T, f);
    expect([start.engagement, start.engagementPercent, start.total, start.mql]).toEqual([
      25,
      31.25,
      66,
      true,
    ]);

    // A week later pricing is worth 10: 20 of 80 = 25% → round(50 + 12.5) = 63, and 25% < 30%.
    const week = scoreAt(MID, vp, first, T + 7 * DAY, f);
    expect([week.engagement, week.total, week.mql]).toEqual([20, 63, false]);
    expect(week.mqlReason).toBe('total 63 < threshold 65; engagement 25% < engagementMin 30%');

    // Day 10: another pricing visit restores its 15 points; the webinar (10 days old) still gives 10.
    const again = remember(MID, vp, [page('pricing', T + 10 * DAY)], first);
    const back = scoreAt(MID, vp, again, T + 10 * DAY, f);
    expect([back.engagement, back.total, back.mql]).toEqual([25, 66, true]);
  });
});

describe('mid-market: neither fit alone nor engagement alone', () => {
  it('a perfect fit that never engaged reaches 50 and is not an MQL', () => {
    const r = scoreAt(MID, vp, emptyMemory(), T, { ...facts('mid-market'), createdAt: T });
    expect([r.fit, r.fitPercent, r.engagement, r.total, r.mql]).toEqual([60, 100, 0, 50, false]);
    expect(r.grades).toEqual({ fit: 'A', engagement: 4 });
    expect(r.mqlReason).toBe('total 50 < threshold 65; engagement 0% < engagementMin 30%');
  });

  it('a student who does everything (demo request included) is not an MQL', () => {
    const student = lead({
      email: 'kim@uni.example',
      contact: { seniority: 'student', title: 'Student' },
      company: { employees: 10, industry: 'Education', country: 'BR', techStack: [] },
    });
    const events = [
      form('demo_request', T),
      page('pricing', T),
      download('case_study', T),
      webinar('attended', T),
      ...[0, 1, 2].map((i) => email('click', T + i * MINUTE)),
      ...[0, 1, 2, 3, 4].map((i) => page('blog', T + i * MINUTE)),
    ];
    const r = scoreAt(MID, student, remember(MID, student, events), T + 10 * MINUTE, facts('mid-market'));
    expect(r.fit).toBe(0);
    expect(r.engagement).toBe(80); // 25 + 15 + 10 + 10 + 10 + 10: every signal
    expect(r.engagementPercent).toBe(100);
    expect(r.negative).toBe(-25); // student or intern title
    expect(r.total).toBe(25); // round(0 + 50 − 25)
    expect(r.mql).toBe(false);
    expect(r.grades).toEqual({ fit: 'D', engagement: 1 });
    expect(r.mqlReason).toBe(
      'total 25 < threshold 65; fit 0% < fitMin 30%; fast-track demo-request needs fit 0% ≥ 30%',
    );
  });
});

describe('mid-market negative signals', () => {
  const events = [page('pricing', T - 10 * DAY), form('demo_request', T - 3 * DAY)];
  const withEmail = (address: string, contact: Record<string, string> = { seniority: 'vp', title: 'VP' }) =>
    lead({
      email: address,
      contact,
      company: { employees: 300, industry: 'Software', country: 'US', techStack: ['slack'] },
    });

  it('competitor domain: −50 and flagged for review (not excluded)', () => {
    const c = withEmail('sam@rivalmetrics.example');
    const r = scoreAt(MID, c, remember(MID, c, events), T, facts('mid-market'));
    expect(r.negative).toBe(-50);
    expect(r.total).toBe(22); // round(50 + 21.875 − 50)
    expect(r.excluded).toBeUndefined();
    // Fast-track asks only for fit: the demo request still qualifies; the flag sends it to review.
    expect([r.mql, r.fastTrack]).toEqual([true, 'demo-request']);
    expect(r.ledger.find((e) => e.dimension === 'negative')?.reason).toBe(
      'rivalmetrics.example is a competitor domain (rivalmetrics.example) (flag_review)',
    );
  });

  it('competitor subdomain and company domain match too', () => {
    const c = withEmail('sam@eu.dashly.example');
    expect(scoreAt(MID, c, remember(MID, c, []), T, facts('mid-market')).negative).toBe(-50);
    const d = withEmail('pat@partner.example');
    const r = scoreAt(MID, d, remember(MID, d, []), T, {
      ...facts('mid-market'),
      competitorDomains: ['partner.example'],
    });
    expect(points(r)['negative:competitor-domain']).toBe(-50);
  });

  it('personal email: −10; the demo request still fast-tracks on a 100% fit', () => {
    const c = withEmail('dana@gmail.com');
    const r = scoreAt(MID, c, remember(MID, c, events), T, facts('mid-market'));
    expect(r.negative).toBe(-10);
    expect(r.total).toBe(62); // round(71.875 − 10)
    expect(r.mql).toBe(true);
    expect(r.fastTrack).toBe('demo-request');
    expect(r.mqlReason).toBe('fast-track demo-request (Demo request) with fit 100% ≥ fitMin 30%');
  });

  it('intern title: −25', () => {
    const c = withEmail('ari@acme.example', {
      seniority: 'individual_contributor',
      title: 'Marketing Intern',
    });
    const r = scoreAt(MID, c, remember(MID, c, []), T, facts('mid-market'));
    expect(points(r)).toEqual({
      'fit:company-size': 15,
      'fit:industry': 10,
      'fit:geography': 10,
      'fit:complementary-tool': 10,
      'negative:student-intern': -25,
    });
  });

  it('student email domain (reference: −30), with the hygiene student domains', () => {
    const studentEmail: NegativeRuleModel = {
      id: 'student-email',
      label: 'Student email (.edu)',
      points: -30,
      builtin: 'student_domain',
      effect: 'none',
    };
    const model: ScoringModel = { ...MID, negative: [...MID.negative, studentEmail] };
    const c = withEmail('kim@cs.mit.edu', {
      seniority: 'individual_contributor',
      title: 'Research Assistant',
    });
    const memory = remember(model, c, [webinar('attended', T), page('pricing', T)]);
    const r = scoreAt(model, c, memory, T, facts('mid-market'));
    // fit 45 of 60 (no title bucket) = 75%; engagement 25 of 80 = 31.25%.
    expect(r.fit).toBe(45);
    expect(r.grades).toEqual({ fit: 'A', engagement: 3 });
    expect(r.negative).toBe(-30);
    expect(r.total).toBe(23); // round(37.5 + 15.625 − 30) = round(23.125)
    expect(r.ledger.find((e) => e.ruleId === 'student-email')?.reason).toBe(
      'cs.mit.edu is a student domain (edu)',
    );
    expect(scoreAt(MID, c, memory, T, facts('mid-market')).total).toBe(53); // without the rule: round(53.125)
  });

  it('hard bounce removes the lead from scoring; spam complaint suppresses everything', () => {
    const bounce: NegativeRuleModel = {
      id: 'hard-bounce',
      label: 'Hard bounce',
      points: -50,
      event: 'email',
      on: rule('event.properties.action == "bounce_hard"', 'event'),
      effect: 'exclude_from_scoring',
    };
    const spam: NegativeRuleModel = {
      id: 'spam-complaint',
      label: 'Spam complaint',
      points: -100,
      event: 'email',
      on: rule('event.properties.action == "spam_complaint"', 'event'),
      effect: 'suppress_everything',
    };
    const model: ScoringModel = { ...MID, negative: [...MID.negative, bounce, spam] };
    const bounced = remember(model, vp, [...events, email('bounce_hard', T - DAY)]);
    const r = scoreAt(model, vp, bounced, T, facts('mid-market'));
    expect([r.excluded, r.total, r.mql, r.negative]).toEqual(['exclude_from_scoring', 0, false, -50]);
    expect(r.mqlReason).toBe('excluded from scoring (exclude_from_scoring)');
    expect(bounced.emailFlags).toEqual({ bounce_hard: T - DAY });

    const complained = remember(model, vp, [email('spam_complaint', T)], bounced);
    expect(scoreAt(model, vp, complained, T, facts('mid-market')).excluded).toBe('suppress_everything');
    // Before the bounce happened, the lead was an MQL.
    expect(scoreAt(model, vp, bounced, T - 2 * DAY, facts('mid-market')).excluded).toBeUndefined();
  });

  it('careers-page-only visitor (reference: −30) until another page is viewed', () => {
    const careers: NegativeRuleModel = {
      id: 'careers-only',
      label: 'Careers page visitor only',
      points: -30,
      onlyVisited: ['careers'],
      effect: 'none',
    };
    const model: ScoringModel = { ...MID, negative: [careers] };
    const seeker = remember(model, vp, [page('careers', T), page('careers', T + HOUR)]);
    expect(scoreAt(model, vp, seeker, T + HOUR).negative).toBe(-30);
    expect(scoreAt(model, vp, emptyMemory(), T).negative).toBe(0); // no page view at all
    const buyer = remember(model, vp, [page('pricing', T + 2 * HOUR)], seeker);
    expect(scoreAt(model, vp, buyer, T + 2 * HOUR).negative).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// PLG (model 1): fit 15/10/10/10 → 45; engagement 15+20+25+25+20+15 → 120; 30% / 70%, threshold 60.
// ---------------------------------------------------------------------------------------------

describe('plg: core feature 3+ times, −5 per month inactive', () => {
  const user = lead({
    email: 'lee@startup.example',
    contact: { seniority: 'manager' },
    company: { employees: 100, industry: 'Software', techStack: ['slack'] },
  });
  const memory = remember(PLG, user, [
    product('account_created', T - DAY),
    product('onboarding_completed', T),
    product('core_feature_used', T),
    product('core_feature_used', T + DAY),
    product('core_feature_used', T + 2 * DAY),
    product('teammate_invited', T + 2 * DAY),
  ]);
  const at = (now: number) => scoreAt(PLG, user, memory, now, facts('plg'));

  it('does not count the core feature before the third use', () => {
    const r = at(T + DAY); // 15 + 20 = 35 of 120 = 29.17% → round(30 + 20.42) = 50
    expect(r.ledger.find((e) => e.ruleId === 'core-feature-used')).toMatchObject({
      points: 0,
      reason: '2 occurrences (at least 3): not yet',
    });
    expect([r.engagement, r.total, r.mql]).toEqual([35, 50, false]);
  });

  it.each([
    // 15 + 20 + 25 + 25 = 85 of 120 = 70.83% → round(30 + 49.58) = 80. No login yet, 14 days from
    // creation (the first event, T − 1d) → the −15 lands at T + 13d.
    {
      label: 'third use',
      now: T + 2 * DAY,
      engagement: 85,
      negative: 0,
      total: 80,
      mql: true,
      next: T + 13 * DAY,
    },
    {
      label: 'just before 14d no login',
      now: T + 13 * DAY - 1,
      engagement: 85,
      negative: 0,
      total: 80,
      mql: true,
      next: T + 13 * DAY,
    },
    // round(79.58 − 15) = 65; next: the first month without activity (T + 2d + 30d).
    {
      label: 'no login in 14 days',
      now: T + 13 * DAY,
      engagement: 85,
      negative: -15,
      total: 65,
      mql: true,
      next: T + 32 * DAY,
    },
    {
      label: '29d 23h 59m inactive',
      now: T + 32 * DAY - MINUTE,
      engagement: 85,
      negative: -15,
      total: 65,
      mql: true,
      next: T + 32 * DAY,
    },
    // Core feature 20: 80 of 120 = 66.67% → round(30 + 46.67 − 15) = 62.
    {
      label: 'one month inactive',
      now: T + 32 * DAY,
      engagement: 80,
      negative: -15,
      total: 62,
      mql: true,
      next: T + 62 * DAY,
    },
    // Core feature 15: 75 of 120 = 62.5% → round(30 + 43.75 − 15) = round(58.75) = 59: below 60.
    {
      label: 'two months inactive',
      now: T + 62 * DAY,
      engagement: 75,
      negative: -15,
      total: 59,
      mql: false,
      next: T + 92 * DAY,
    },
    // Five months: 25 − 25 = 0; 60 of 120 = 50% → 30 + 35 − 15 = 50; nothing left to decay.
    {
      label: 'five months inactive',
      now: T + 152 * DAY,
      engagement: 60,
      negative: -15,
      total: 50,
      mql: false,
      next: undefined,
    },
  ])('$label: engagement $engagement, total $total', ({ now, engagement, negative, total, mql, next }) => {
    const r = at(now);
    expect([r.engagement, r.negative, r.total, r.mql, r.nextDecayAt]).toEqual([
      engagement,
      negative,
      total,
      mql,
      next,
    ]);
  });

  it('a login clears the no-login penalty and restarts the inactivity clock', () => {
    const back = remember(PLG, user, [product('login', T + 40 * DAY)], memory);
    const r = scoreAt(PLG, user, back, T + 40 * DAY, facts('plg'));
    // Core feature back to 25 (last activity now), no penalty: 85 → 80.
    expect([r.engagement, r.negative, r.total]).toEqual([85, 0, 80]);
    expect(r.nextDecayAt).toBe(T + 54 * DAY); // 14 days after the login
  });
});

// ---------------------------------------------------------------------------------------------
// Sales-led (model 2): fit 20/15/15/20/15/10 → 95; engagement 30+20+15+10+15 → 90; 60% / 40%, 75.
// ---------------------------------------------------------------------------------------------

describe('sales-led: pricing page 2+ times', () => {
  const buyer = lead({
    email: 'vp@insurer.example',
    contact: { seniority: 'vp', role: 'decision_maker' },
    company: { employees: 5000, revenue: 100_000_000, industry: 'Insurance', techStack: ['rivalledger'] },
  });
  const events = [
    download('roi_guide', T),
    page('pricing', T),
    page('pricing', T + 3 * DAY),
    webinar('attended', T + 3 * DAY, 'executive'),
  ];

  it.each([
    // After the first visit only: pricing 1 of 2 → 0; ROI guide 10 of 90 → round(60 + 4.44) = 64.
    {
      label: 'one visit',
      seen: 2,
      now: T,
      engagement: 10,
      pricing: 0,
      total: 64,
      mql: false,
      next: T + 30 * DAY,
    },
    // Second visit: pricing 15, ROI 10, webinar 15 = 40 of 90 = 44.44% → round(60 + 17.78) = 78.
    {
      label: 'second visit',
      seen: 4,
      now: T + 3 * DAY,
      engagement: 40,
      pricing: 15,
      total: 78,
      mql: true,
      next: T + 10 * DAY,
    },
    // A week after the second visit: pricing 10 → 35 of 90 → round(60 + 15.56) = 76.
    {
      label: 'a week later',
      seen: 4,
      now: T + 10 * DAY,
      engagement: 35,
      pricing: 10,
      total: 76,
      mql: true,
      next: T + 17 * DAY,
    },
    // Two weeks: pricing 5 → 30 of 90 = 33.33% → round(73.33) = 73 < 75.
    {
      label: 'two weeks later',
      seen: 4,
      now: T + 17 * DAY,
      engagement: 30,
      pricing: 5,
      total: 73,
      mql: false,
      next: T + 24 * DAY,
    },
  ])('$label: pricing $pricing, total $total', ({ seen, now, engagement, pricing, total, mql, next }) => {
    const memory = remember(SALES, buyer, events.slice(0, seen));
    const r = scoreAt(SALES, buyer, memory, now, facts('sales-led'));
    expect(r.fit).toBe(95);
    expect(r.fitPercent).toBe(100);
    expect(points(r)['engagement:pricing-page-2x']).toBe(pricing);
    expect([r.engagement, r.total, r.mql, r.nextDecayAt]).toEqual([engagement, total, mql, next]);
  });

  it('a demo request fast-tracks a good fit below the threshold; an engagement reset undoes it', () => {
    const memory = remember(SALES, buyer, [form('demo_request', T)]);
    const r = scoreAt(SALES, buyer, memory, T, facts('sales-led'));
    // 30 of 90 = 33.33% → round(60 + 13.33) = 73 < 75, but fit 100% ≥ 40%.
    expect([r.engagement, r.total, r.mql, r.fastTrack]).toEqual([30, 73, true, 'demo-request']);

    const recycled = resetEngagement(memory, T + DAY);
    const after = scoreAt(SALES, buyer, recycled, T + DAY, facts('sales-led'));
    expect([after.fit, after.engagement, after.total, after.mql, after.fastTrack]).toEqual([
      95,
      0,
      60,
      false,
      undefined,
    ]);
    // A demo request before the reset that arrives late does not count either.
    const late = remember(SALES, buyer, [form('demo_request', T + HOUR)], recycled);
    expect(late.fastTrack).toEqual({});
  });

  it('a demo request does not fast-track a poor fit', () => {
    const small = lead({
      email: 'ic@tiny.example',
      contact: { seniority: 'manager' },
      company: { employees: 50, industry: 'Insurance' },
    });
    const r = scoreAt(SALES, small, remember(SALES, small, [form('demo_request', T)]), T, facts('sales-led'));
    // fit 15 of 95 = 15.79% < 40%; company too small −30 → round(9.47 + 13.33 − 30) < 0 → 0.
    expect([r.fit, r.negative, r.total, r.mql]).toEqual([15, -30, 0, false]);
    expect(r.mqlReason).toBe(
      'total 0 < threshold 75; fit 15.79% < fitMin 40%; fast-track demo-request needs fit 15.79% ≥ 40%',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Model variants: additive combination, caps, counts within windows, distinct days, per occurrence
// ---------------------------------------------------------------------------------------------

describe('additive combination and caps', () => {
  const memory = remember(MID, vp, [page('pricing', T - 10 * DAY), form('demo_request', T - 3 * DAY)]);

  it('adds points and compares the minimums in points', () => {
    const model: ScoringModel = { ...MID, model: 'additive', fitMin: 30, engagementMin: 40, fastTrack: [] };
    const r = scoreAt(model, vp, memory, T, facts('mid-market'));
    expect([r.fit, r.engagement, r.negative, r.total]).toEqual([60, 35, 0, 95]);
    expect(r.mql).toBe(false);
    expect(r.mqlReason).toBe('engagement 35 points < engagementMin 40 points');
  });

  it('caps engagement and the total, itemising the cap', () => {
    const model: ScoringModel = {
      ...MID,
      model: 'additive',
      fastTrack: [],
      caps: { engagement: 30, total: 80 },
    };
    const r = scoreAt(model, vp, memory, T, facts('mid-market'));
    expect([r.engagement, r.total, r.mql]).toEqual([30, 80, true]);
    expect(points(r)['engagement:caps.engagement']).toBe(-5);
  });

  it('floors the negative points', () => {
    const model: ScoringModel = { ...MID, caps: { negative: -20 } };
    const c = lead({ email: 'x@rivalmetrics.example', contact: { seniority: 'student' } });
    const r = scoreAt(model, c, emptyMemory(), T, facts('mid-market'));
    expect(r.negative).toBe(-20); // −50 − 25 floored at −20
    expect(points(r)['negative:caps.negative']).toBe(55);
  });
});

describe('counts within windows, distinct days and per-occurrence signals', () => {
  const blog3: SignalModel = {
    id: 'blog-3-week',
    label: 'Blog visit (3+ in a week)',
    event: 'page_view',
    when: rule('event.properties.category == "blog"', 'event'),
    points: 10,
    frequency: 'once',
    count: { atLeast: 3, within: dur('1 week'), distinctDays: false },
    decay: { points: 5, every: dur('2 weeks'), from: 'occurrence' },
  };
  const daily5: SignalModel = {
    id: 'daily-active',
    label: 'Daily active for 5+ days',
    event: 'product',
    when: rule('event.properties.action == "active_day"', 'event'),
    points: 20,
    frequency: 'once',
    count: { atLeast: 5, distinctDays: true },
    decay: { points: 10, every: dur('2 weeks'), from: 'last_activity' },
  };
  const clicks: SignalModel = {
    id: 'email-click',
    label: 'Email click',
    event: 'email',
    when: rule('event.properties.action == "click"', 'event'),
    points: 5,
    frequency: 'each',
    max: 3,
    decay: { points: 2, every: dur('1 month'), from: 'occurrence' },
  };
  const model: ScoringModel = {
    ...PLG,
    negative: [],
    fastTrack: [],
    engagement: { signals: [blog3, daily5, clicks] },
  };
  const who = lead();

  it('3+ blog visits within a week: days 0, 3, 8 do not qualify; day 9 does', () => {
    const three = remember(model, who, [
      page('blog', T),
      page('blog', T + 3 * DAY),
      page('blog', T + 8 * DAY),
    ]);
    expect(points(scoreAt(model, who, three, T + 8 * DAY))['engagement:blog-3-week']).toBe(0);
    const four = remember(model, who, [page('blog', T + 9 * DAY)], three);
    expect(four.signals['blog-3-week']).toEqual({
      times: [T + 3 * DAY, T + 8 * DAY, T + 9 * DAY],
      qualifiedAt: T + 9 * DAY,
    });
    expect(points(scoreAt(model, who, four, T + 9 * DAY))['engagement:blog-3-week']).toBe(10);
    // −5 per 2 weeks from the visit that completed the window (day 9).
    expect(points(scoreAt(model, who, four, T + 23 * DAY - 1))['engagement:blog-3-week']).toBe(10);
    expect(points(scoreAt(model, who, four, T + 23 * DAY))['engagement:blog-3-week']).toBe(5);
  });

  it('the window is inclusive: days 0, 3 and exactly 7 qualify', () => {
    const m = remember(model, who, [page('blog', T), page('blog', T + 3 * DAY), page('blog', T + 7 * DAY)]);
    expect(points(scoreAt(model, who, m, T + 7 * DAY))['engagement:blog-3-week']).toBe(10);
  });

  it('daily active 5+ days counts distinct days, then decays 10 per 2 weeks inactive', () => {
    const days = [0, 2 * HOUR, DAY, 2 * DAY, 3 * DAY].map((d) => product('active_day', T + d));
    const four = remember(model, who, days);
    expect(
      scoreAt(model, who, four, T + 3 * DAY).ledger.find((e) => e.ruleId === 'daily-active'),
    ).toMatchObject({
      points: 0,
      reason: '4 days (at least 5): not yet',
    });
    const five = remember(model, who, [product('active_day', T + 4 * DAY)], four);
    const at = (now: number) => points(scoreAt(model, who, five, now))['engagement:daily-active'];
    expect(at(T + 4 * DAY)).toBe(20);
    expect(at(T + 18 * DAY - 1)).toBe(20);
    expect(at(T + 18 * DAY)).toBe(10);
    expect(at(T + 32 * DAY)).toBe(0);
  });

  it('per-occurrence points decay each from its own occurrence, counting at most `max`', () => {
    // Clicks at days 0, 10, 20, 40: the latest three count (10, 20, 40). At day 45:
    // day 10 → 35 days old → 1 step → 3; day 20 → 25 days → 5; day 40 → 5. Total 13.
    const m = remember(
      model,
      who,
      [0, 10, 20, 40].map((d) => email('click', T + d * DAY)),
    );
    expect(m.signals['email-click']?.times).toEqual([T + 10 * DAY, T + 20 * DAY, T + 40 * DAY]);
    const r = scoreAt(model, who, m, T + 45 * DAY);
    expect(r.ledger.find((e) => e.ruleId === 'email-click')).toMatchObject({ points: 13, decayApplied: 2 });
    // Next step: day 20's click turns 30 days old at day 50.
    expect(r.nextDecayAt).toBe(T + 50 * DAY);
  });
});

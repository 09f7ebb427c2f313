/**
 * What each person does on the marketing side, planned ahead from their archetype: website
 * sessions (blog, pricing, demo, docs, comparison pages), form fills (newsletter, content, webinar,
 * demo request, contact sales, trial), downloads, webinars, email opens and clicks, and product
 * usage for trial users and their teammates. Sales-side events are not planned: they depend on
 * what the engine decides and are generated as the simulation runs (sales.ts).
 */
import type { JsonObject, Millis } from '../core/types.ts';
import { about, pageView, profile, type DemoEvent } from './events.ts';
import type { Random } from './random.ts';
import { DAY, MINUTE, localMoment } from './time.ts';
import type { DemoPerson } from './world.ts';

/** Marketing's calendar over the window: newsletter and nurture sends, webinar sessions. */
export interface Campaigns {
  readonly newsletters: readonly Millis[];
  readonly nurtures: readonly Millis[];
  readonly webinars: readonly Millis[];
}

/** Weekly newsletter (Tuesdays 14:00 UTC), fortnightly nurture (Thursdays), fortnightly webinars (Wednesdays 17:00 UTC). */
export function campaigns(start: Millis, end: Millis): Campaigns {
  const newsletters: Millis[] = [];
  const nurtures: Millis[] = [];
  const webinars: Millis[] = [];
  const midnight = start - (start % DAY);
  const first = midnight - new Date(midnight).getUTCDay() * DAY;
  for (let week = 0, sunday = first; sunday < end + 14 * DAY; week++, sunday += 7 * DAY) {
    newsletters.push(sunday + 2 * DAY + 14 * 60 * MINUTE);
    if (week % 2 === 0) nurtures.push(sunday + 4 * DAY + 15 * 60 * MINUTE);
    else webinars.push(sunday + 3 * DAY + 17 * 60 * MINUTE);
  }
  return { newsletters, nurtures, webinars };
}

class Planner {
  readonly events: DemoEvent[] = [];
  at: Millis;
  constructor(
    readonly p: DemoPerson,
    readonly r: Random,
    readonly start: Millis,
  ) {
    this.at = p.arrival;
  }
  /** A new session `minDays`..`maxDays` days after arrival, at a browsing hour. */
  later(minDays: number, maxDays: number): this {
    const zone = this.p.company.place.zone;
    const day = Math.floor((this.p.arrival - this.start) / DAY) + this.r.int(minDays, maxDays);
    this.at = Math.max(this.at + 30 * MINUTE, localMoment(this.r, this.start, day, zone));
    return this;
  }
  private next(): Millis {
    this.at += this.r.int(1, 6) * MINUTE + this.r.int(0, 59) * 1000;
    return this.at;
  }
  push(type: string, source: string, properties?: JsonObject, full = false): this {
    this.events.push(about(this.p, this.next(), type, source, properties, full));
    return this;
  }
  page(category: string, times = 1): this {
    for (let i = 0; i < times; i++)
      this.events.push(pageView(this.p, this.next(), category, (n) => this.r.int(0, n - 1)));
    return this;
  }
  form(form: string, full = true): this {
    return this.push('form_submit', 'web', { form }, full);
  }
  download(kind: string, full = false): this {
    if (full) this.form('content', true);
    return this.push('content_download', 'web', { kind });
  }
  product(action: string): this {
    return this.push('product', 'product', { action });
  }
  /** The newsletter form: an email and a first name, nothing about the company. */
  subscribe(): this {
    const contact = { email: this.p.email, firstName: this.p.firstName };
    this.events.push({
      type: 'form_submit',
      at: this.next(),
      source: 'web',
      contact,
      properties: { form: 'newsletter' },
    });
    return this;
  }
  /** Enrichment fills in the company a few minutes after a form (most work addresses). */
  enrich(): this {
    if (this.p.freeMail || !this.r.chance(0.3)) return this;
    const { company } = profile(this.p);
    this.events.push({
      type: 'identify',
      at: this.next(),
      source: 'enrichment',
      contact: { email: this.p.email },
      company,
    });
    return this;
  }
  /** Opens and clicks of the sends after arrival. */
  emails(sends: readonly Millis[], campaign: string, open: number, click: number): this {
    for (const send of sends) {
      if (send < this.p.arrival) continue;
      if (!this.r.chance(open)) continue;
      const at = send + this.r.int(2, 36 * 60) * MINUTE;
      this.events.push(about(this.p, at, 'email', 'marketing_automation', { action: 'open', campaign }));
      if (this.r.chance(click))
        this.events.push(
          about(this.p, at + this.r.int(1, 5) * MINUTE, 'email', 'marketing_automation', {
            action: 'click',
            campaign,
          }),
        );
      if (this.r.chance(0.006)) {
        this.events.push(
          about(this.p, at + 2 * MINUTE, 'email', 'marketing_automation', {
            action: 'unsubscribe',
            campaign,
          }),
        );
        return this;
      }
    }
    return this;
  }
  /** Registers for the next webinar and attends it with probability `attend`. */
  webinar(c: Campaigns, attend: number): this {
    const session = c.webinars.find((w) => w > this.at + DAY);
    if (session === undefined) return this;
    this.form('webinar_registration', false).push('webinar', 'webinar', {
      action: 'registered',
      audience: 'practitioners',
    });
    if (this.r.chance(attend))
      this.events.push(
        about(this.p, session + this.r.int(0, 10) * MINUTE, 'webinar', 'webinar', {
          action: 'attended',
          audience: 'practitioners',
        }),
      );
    return this;
  }
}

/** The marketing-side events of one person, in no particular order (the agenda sorts them). */
export function planJourney(p: DemoPerson, r: Random, c: Campaigns, start: Millis): DemoEvent[] {
  const plan = new Planner(p, r, start);
  switch (p.archetype) {
    case 'subscriber': {
      plan.page('blog', r.int(1, 2));
      plan.subscribe();
      plan.emails(c.newsletters, 'newsletter', 0.35, 0.18);
      for (let week = 1; week < 12; week++)
        if (r.chance(0.2)) plan.later(week * 7 - 3, week * 7 + 3).page('blog', r.int(1, 3));
      if (r.chance(0.25))
        plan
          .later(10, 40)
          .page('blog')
          .download(r.pick(['ebook', 'whitepaper']), true)
          .enrich();
      break;
    }
    case 'browser': {
      plan
        .page(r.pick(['homepage', 'blog']), r.int(1, 3))
        .download(r.pick(['whitepaper', 'ebook', 'roi_guide']), true)
        .enrich();
      plan.emails(c.nurtures, 'nurture', 0.25, 0.15);
      if (r.chance(0.3)) plan.emails(c.newsletters, 'newsletter', 0.25, 0.12);
      for (let s = r.int(0, 2); s > 0; s--) {
        plan.later(2, 45).page('blog', r.int(1, 3));
        if (r.chance(0.12)) plan.page('pricing');
        if (r.chance(0.15)) plan.page('case_study');
      }
      if (r.chance(0.1)) plan.later(3, 30).webinar(c, 0.5);
      break;
    }
    case 'researcher': {
      plan
        .page('blog', r.int(1, 3))
        .download(r.chance(0.4) ? 'case_study' : 'whitepaper', true)
        .enrich();
      plan.emails(c.nurtures, 'nurture', 0.4, 0.3).emails(c.newsletters, 'newsletter', 0.25, 0.2);
      if (r.chance(0.55)) plan.later(3, 20).webinar(c, 0.65);
      if (r.chance(0.05)) plan.push('social', 'social', { action: 'linkedin_engagement' });
      for (let s = r.int(2, 4); s > 0; s--) {
        plan.later(2, 50).page('blog', r.int(1, 3));
        if (r.chance(0.35)) plan.page('case_study').download('case_study');
        if (r.chance(0.3)) plan.page('pricing');
        if (r.chance(0.3)) plan.page('comparison');
        if (r.chance(0.2)) plan.page('roi_calculator');
        if (r.chance(0.2)) plan.page('other', r.int(1, 3));
      }
      if (r.chance(0.08)) plan.later(5, 40).page('pricing').page('demo').form('demo_request', false);
      break;
    }
    case 'hand_raiser': {
      plan.page('homepage').page('pricing', r.int(1, 2)).page('demo');
      plan
        .form(
          r.weighted([
            ['demo_request', 62],
            ['contact_sales', 25],
            ['trial_signup', 13],
          ] as const),
          true,
        )
        .enrich();
      plan.emails(c.nurtures, 'nurture', 0.5, 0.3);
      for (let s = r.int(1, 2); s > 0; s--)
        plan.later(1, 20).page(r.pick(['pricing', 'case_study', 'other']), r.int(1, 3));
      break;
    }
    case 'trial': {
      plan.page('homepage').page('pricing').form('trial_signup', true).enrich().product('account_created');
      if (r.chance(0.75)) plan.product('onboarding_completed');
      const active = r.int(2, 8);
      for (let d = 0; d < active; d++) {
        plan
          .later(1 + Math.floor((d * 25) / active), 2 + Math.floor((d * 25) / active))
          .product('login')
          .product('active_day');
        for (let k = r.int(1, 3); k > 0; k--) plan.product('core_feature_used');
        if (d === 1 && r.chance(0.4)) plan.product('integration_connected');
        if (d === 2 && r.chance(0.35)) plan.product('teammate_invited');
        if (d === active - 1 && r.chance(0.2)) plan.product('usage_limit_hit');
        if (r.chance(0.08)) plan.product('data_exported');
        if (r.chance(0.15)) plan.page('pricing');
      }
      if (r.chance(0.2))
        plan
          .later(10, 35)
          .page('pricing')
          .form(r.pick(['demo_request', 'contact_sales']), false);
      plan.emails(c.nurtures, 'trial-nurture', 0.5, 0.25);
      break;
    }
    case 'teammate': {
      plan.push('product', 'product', { action: 'account_created' }, true);
      if (r.chance(0.5)) plan.product('onboarding_completed');
      for (let d = r.int(1, 4); d > 0; d--) plan.later(1, 25).product('active_day');
      break;
    }
  }
  return plan.events;
}

/** A recycled lead coming back weeks later: pricing again, a case study, sometimes a demo request. */
export function planReturn(p: DemoPerson, r: Random, at: Millis): DemoEvent[] {
  const plan = new Planner(p, r, at);
  plan.at = at;
  plan.page('pricing', r.int(1, 2)).page('case_study').download('case_study');
  if (r.chance(0.6)) plan.page('demo').form('demo_request', false);
  return plan.events;
}

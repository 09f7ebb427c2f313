/**
 * A deterministic stream of plausible events for tests and benchmarks: a seeded generator of
 * contacts at companies (some on free mail), identifies, page views, forms, email and product
 * activity and rep touches, in time order.
 */
import { mulberry32 } from './prng.ts';

const CATEGORIES = [
  'pricing',
  'demo',
  'case_study',
  'comparison',
  'blog',
  'blog',
  'blog',
  'homepage',
  'careers',
];
const FORMS = ['newsletter', 'content', 'webinar_registration', 'demo_request', 'trial_signup'];
const TITLES: [string, string][] = [
  ['CEO', 'c_level'],
  ['VP Sales', 'vp'],
  ['Director of Marketing', 'director'],
  ['Marketing Manager', 'manager'],
  ['Account Executive', 'individual_contributor'],
];
const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Logistics', 'Retail'];
const STATES = ['CA', 'NY', 'TX', 'WA', 'IL', 'MA', 'FL'];

export interface GenerateOptions {
  readonly events: number;
  readonly seed?: number;
  /** Number of distinct contacts (default: events / 10). */
  readonly contacts?: number;
  readonly start?: string;
  /** Mean minutes between events. */
  readonly spacingMinutes?: number;
  /**
   * Longest run of consecutive events from one person (a visit: identify, pages, a form). Runs are
   * 1..session long; 1 makes every event pick a random person (the worst case for batching).
   */
  readonly session?: number;
}

export function* generateEvents(options: GenerateOptions): Generator<Record<string, unknown>> {
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const contacts = Math.max(1, options.contacts ?? Math.ceil(options.events / 10));
  const companies = Math.max(1, Math.ceil(contacts / 4));
  let at = Date.parse(options.start ?? '2026-09-01T00:00:00Z');
  const spacing = (options.spacingMinutes ?? 1) * 60_000;
  const known = new Set<number>();
  const session = Math.max(1, options.session ?? 8);
  let person = 0;
  let left = 0;
  for (let i = 0; i < options.events; i++) {
    at += Math.floor(random() * 2 * spacing);
    if (left <= 0) {
      person = Math.floor(random() * contacts);
      left = 1 + Math.floor(random() * session);
    }
    left--;
    const company = person % companies;
    const freeMail = person % 11 === 0;
    const email = freeMail ? `person${person}@gmail.com` : `person${person}@company${company}.com`;
    const id = `gen-${options.seed ?? 42}-${i}`;
    const iso = new Date(at).toISOString();
    if (!known.has(person)) {
      known.add(person);
      const [title, seniority] = pick(TITLES);
      yield {
        id,
        type: 'identify',
        at: iso,
        source: 'web',
        contact: { email, firstName: `First${person}`, lastName: `Last${person}`, title, seniority },
        company: {
          name: `Company ${company}`,
          domain: `company${company}.com`,
          employees: 20 + ((company * 37) % 3000),
          industry: INDUSTRIES[company % INDUSTRIES.length],
          country: 'US',
          state: STATES[company % STATES.length],
        },
      };
      continue;
    }
    const roll = random();
    if (roll < 0.55)
      yield {
        id,
        type: 'page_view',
        at: iso,
        contact: { email },
        properties: { url: `https://example.com/p/${i % 97}`, category: pick(CATEGORIES) },
      };
    else if (roll < 0.7)
      yield {
        id,
        type: 'email',
        at: iso,
        contact: { email },
        properties: { action: pick(['open', 'open', 'click']), campaign: 'weekly' },
      };
    else if (roll < 0.8)
      yield { id, type: 'form_submit', at: iso, contact: { email }, properties: { form: pick(FORMS) } };
    else if (roll < 0.9)
      yield {
        id,
        type: 'product',
        at: iso,
        contact: { email },
        properties: { action: pick(['login', 'active_day', 'core_feature_used']) },
      };
    else
      yield {
        id,
        type: 'rep_activity',
        at: iso,
        contact: { email },
        properties: { kind: pick(['call', 'email']), rep: 'ava' },
      };
  }
}

/** The events as NDJSON text. */
export function generateNdjson(options: GenerateOptions): string {
  const lines: string[] = [];
  for (const event of generateEvents(options)) lines.push(JSON.stringify(event));
  return `${lines.join('\n')}\n`;
}

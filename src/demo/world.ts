/**
 * The demo's cast: companies (the config's named accounts, a competitor, a near-namesake of a named
 * account, and several hundred others across the routing territories) and the people who turn up
 * at them over the window, each with a behaviour archetype, an arrival time and a few hidden traits
 * (whether they answer sales at all). Pure and deterministic for a seed.
 */
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Millis } from '../core/types.ts';
import {
  COMPANY_HEADS,
  COMPANY_TAILS,
  FIRST_NAMES,
  FREE_MAIL_DOMAINS,
  INDUSTRY_WEIGHTS,
  LAST_NAMES,
  LEAD_SOURCES,
  PLACE_WEIGHTS,
  SENIORITY_WEIGHTS,
  TITLES,
  TOOLS,
  type Place,
} from './names.ts';
import { Random } from './random.ts';
import { arrivalTime } from './time.ts';

export interface DemoCompany {
  readonly name: string;
  readonly domain: string;
  readonly employees: number;
  readonly industry: string;
  readonly place: Place;
  readonly techStack: readonly string[];
  readonly revenue: number;
}

export const ARCHETYPES = [
  'subscriber',
  'browser',
  'researcher',
  'hand_raiser',
  'trial',
  'teammate',
] as const;
export type Archetype = (typeof ARCHETYPES)[number];

export interface DemoPerson {
  readonly index: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly freeMail: boolean;
  readonly title: string;
  readonly seniority: string;
  readonly department: string;
  readonly phone?: string;
  readonly source: string;
  readonly company: DemoCompany;
  readonly archetype: Archetype;
  /** The first event. */
  readonly arrival: Millis;
  /** Never answers a rep: the lead ends rejected ENG-01 (no response after 3 attempts). */
  readonly unresponsive: boolean;
  /** Another record of an earlier person (a second address): a duplicate for hygiene to find. */
  readonly duplicateOf?: number;
}

export interface World {
  readonly companies: readonly DemoCompany[];
  readonly people: readonly DemoPerson[];
}

const ARCHETYPE_WEIGHTS: readonly (readonly [Archetype, number])[] = [
  ['subscriber', 12],
  ['browser', 49],
  ['researcher', 23],
  ['hand_raiser', 7],
  ['trial', 9],
];

/** About this many new people a day (a few thousand over 90 days). */
export const PEOPLE_PER_DAY = 19;

function employeesOf(r: Random): number {
  const band = r.weighted<[number, number]>([
    [[8, 49], 17],
    [[50, 1000], 58],
    [[1001, 5000], 20],
    [[5001, 12000], 5],
  ]);
  // Log-uniform inside the band: more small companies than large ones.
  return Math.round(Math.exp(r.between(Math.log(band[0]), Math.log(band[1]))));
}

const TOOL_ODDS: Readonly<Record<(typeof TOOLS)[number], number>> = {
  salesforce: 0.35,
  hubspot: 0.35,
  snowflake: 0.15,
  slack: 0.5,
  spreadsheets: 0.3,
  rivalmetrics: 0.05,
  dashly: 0.04,
  jira: 0.3,
  zendesk: 0.15,
  looker: 0.1,
};

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function company(r: Random, used: Set<string>, fixed: Partial<DemoCompany> = {}): DemoCompany {
  const industry = fixed.industry ?? r.weighted(INDUSTRY_WEIGHTS);
  let name = fixed.name ?? '';
  while (name === '' || used.has(slug(name))) {
    name = `${r.pick(COMPANY_HEADS)} ${r.pick(COMPANY_TAILS[industry] ?? ['Group'])}`;
    if (used.has(slug(name))) name = `${name} ${r.pick(['Group', 'Partners', 'Co'])}`;
  }
  used.add(slug(name));
  const employees = fixed.employees ?? employeesOf(r);
  return {
    name,
    domain: fixed.domain ?? `${slug(name)}.example`,
    employees,
    industry,
    place: fixed.place ?? r.weighted(PLACE_WEIGHTS),
    techStack: fixed.techStack ?? TOOLS.filter((t) => r.chance(TOOL_ODDS[t])),
    revenue: Math.round(employees * r.between(90_000, 260_000)),
  };
}

const US_NY: Place = { country: 'US', state: 'NY', zone: 'America/New_York' };
const US_CA: Place = { country: 'US', state: 'CA', zone: 'America/Los_Angeles' };

/** The named accounts, the competitor and a near-namesake first, each with how many people. */
function specialCompanies(config: RevopsConfig, r: Random, used: Set<string>): [DemoCompany, number][] {
  const out: [DemoCompany, number][] = [];
  const named = config.routing.namedAccounts;
  named.forEach((account, i) => {
    const name = account.name ?? account.domain.split('.')[0] ?? account.domain;
    out.push([
      company(r, used, {
        name,
        domain: account.domain,
        industry: i % 2 === 0 ? 'Software' : 'Financial Services',
        employees: 600 + 450 * i,
        place: i % 2 === 0 ? US_CA : US_NY,
        techStack: ['salesforce', 'slack', 'snowflake'],
      }),
      5 - Math.min(i, 2),
    ]);
  });
  const first = named[0];
  if (first?.name !== undefined) {
    // "Globex Corp" on another domain: close enough to a named account's name to need review.
    const head = first.name.split(' ')[0] ?? first.name;
    out.push([company(r, used, { name: `${head} Corp`, industry: 'Software', place: US_CA }), 1]);
  }
  const rival = config.company.competitors[0];
  if (rival !== undefined) {
    const base = rival.split('.')[0] ?? rival;
    out.push([
      company(r, used, {
        name: base.charAt(0).toUpperCase() + base.slice(1),
        domain: rival,
        industry: 'Software',
        employees: 140,
        place: US_NY,
      }),
      2,
    ]);
  }
  return out;
}

function person(
  r: Random,
  index: number,
  at: DemoCompany,
  archetype: Archetype,
  arrival: Millis,
  emails: Set<string>,
): DemoPerson {
  const firstName = r.pick(FIRST_NAMES);
  const lastName = r.pick(LAST_NAMES);
  const seniority = r.weighted(SENIORITY_WEIGHTS);
  const [title, department] = r.pick(TITLES[seniority] ?? [['Analyst', 'other'] as const]);
  const freeMail = archetype === 'subscriber' ? r.chance(0.4) : archetype !== 'teammate' && r.chance(0.09);
  const local = slug(`${firstName}.${lastName}`).replace(/-/g, '.');
  const domain = freeMail ? r.pick(FREE_MAIL_DOMAINS) : at.domain;
  let email = freeMail ? `${local}${r.int(10, 99)}@${domain}` : `${local}@${domain}`;
  if (emails.has(email)) email = `${local}${index}@${domain}`;
  emails.add(email);
  return {
    index,
    firstName,
    lastName,
    email,
    freeMail,
    title,
    seniority,
    department,
    ...(r.chance(0.6) ? { phone: `+1 555 ${String(r.int(100, 999))} ${String(r.int(1000, 9999))}` } : {}),
    source: archetype === 'trial' || archetype === 'teammate' ? 'product_signup' : r.weighted(LEAD_SOURCES),
    company: at,
    archetype,
    arrival,
    unresponsive: r.chance(0.12),
  };
}

/**
 * Builds the cast for `days` days ending at `anchor`: about `PEOPLE_PER_DAY` a day (fewer at
 * weekends, a little more each week), teammates invited by trial users, and a few duplicates.
 */
export function buildWorld(config: RevopsConfig, seed: number, anchor: Millis, days: number): World {
  const r = Random.derive(seed, 'world');
  const used = new Set<string>();
  const emails = new Set<string>();
  const start = anchor - days * 86_400_000;
  const total = Math.max(8, Math.round(days * PEOPLE_PER_DAY));
  const special = specialCompanies(config, r, used);
  const companies: DemoCompany[] = special.map(([c]) => c);
  const general = Math.round(total / 2.4);
  for (let i = 0; i < general; i++) companies.push(company(r, used));

  const people: DemoPerson[] = [];
  const add = (at: DemoCompany, archetype: Archetype, arrival: Millis) => {
    const p = person(
      Random.derive(seed, `person:${people.length}`),
      people.length,
      at,
      archetype,
      arrival,
      emails,
    );
    people.push(p);
    return p;
  };
  // Named accounts, the near-namesake and the competitor: hand-raisers and researchers.
  for (const [c, full] of special) {
    // Fewer of them in a shorter history, so they stay a small share of the leads.
    const count = Math.max(1, Math.round((full * Math.min(days, 90)) / 90));
    for (let i = 0; i < count; i++) {
      const arrival = arrivalTime(r, start, days, c.place.zone);
      add(c, i === 0 ? 'hand_raiser' : r.pick(['researcher', 'browser', 'hand_raiser'] as const), arrival);
    }
  }
  while (people.length < total) {
    // A skew towards the first companies: some accounts get several people (buying committees).
    const c = companies[special.length + Math.floor(general * Math.pow(r.next(), 1.4))] ?? companies[0];
    if (c === undefined) break;
    const arrival = arrivalTime(r, start, days, c.place.zone);
    const p = add(c, r.weighted(ARCHETYPE_WEIGHTS), arrival);
    if (p.archetype === 'trial' && r.chance(0.4)) {
      for (let k = r.int(1, 2); k > 0 && people.length < total; k--) {
        add(c, 'teammate', arrival + r.int(1, 6) * 86_400_000 + r.int(0, 480) * 60_000);
      }
    }
    if (!p.freeMail && p.archetype !== 'subscriber' && r.chance(0.015)) {
      // The same person again, later, from a personal address: a duplicate record.
      const twin = Random.derive(seed, `twin:${p.index}`);
      const local = slug(`${p.firstName}.${p.lastName}`).replace(/-/g, '.');
      const email = `${local}${twin.int(10, 99)}@${twin.pick(FREE_MAIL_DOMAINS)}`;
      if (!emails.has(email)) {
        emails.add(email);
        people.push(
          Object.assign({}, p, {
            index: people.length,
            email,
            freeMail: true,
            archetype: 'browser' as const,
            arrival: p.arrival + twin.int(3, 30) * 86_400_000,
            duplicateOf: p.index,
          }),
        );
      }
    }
  }
  return { companies, people };
}

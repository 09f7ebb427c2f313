/**
 * Catalog events about the demo's people, as any tool would post them: the first one carries the
 * person's and company's attributes (a form fill or an enrichment), later ones only the email.
 * Ids are given at ingestion, in the order the simulation sends them.
 */
import type { JsonObject, Millis } from '../core/types.ts';
import type { DemoPerson } from './world.ts';

type Attributes = Readonly<Record<string, string | number | readonly string[]>>;

/** An event before it gets its id. */
export interface DemoEvent {
  readonly type: string;
  readonly at: Millis;
  /** Where it came from (`web`, `product`, `crm`, …): the provenance of its attributes. */
  readonly source: string;
  readonly contact: Attributes;
  readonly company?: Attributes;
  readonly properties?: JsonObject;
}

/** The event as sent to `engine.ingest`. */
export function rawEvent(id: string, event: DemoEvent): Record<string, unknown> {
  return {
    id,
    type: event.type,
    at: new Date(event.at).toISOString(),
    source: event.source,
    contact: event.contact,
    ...(event.company === undefined ? {} : { company: event.company }),
    ...(event.properties === undefined ? {} : { properties: event.properties }),
  };
}

/** Everything a form or enrichment knows of the person and their company. */
export function profile(p: DemoPerson): { contact: Attributes; company: Attributes } {
  const c = p.company;
  return {
    contact: {
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      title: p.title,
      seniority: p.seniority,
      department: p.department,
      source: p.source,
      ...(p.phone === undefined ? {} : { phone: p.phone }),
    },
    company: {
      name: c.name,
      // A personal address gives no domain: the person has no account until sales finds one.
      ...(p.freeMail ? {} : { domain: c.domain }),
      employees: c.employees,
      industry: c.industry,
      country: c.place.country,
      ...(c.place.state === undefined ? {} : { state: c.place.state }),
      revenue: c.revenue,
      techStack: c.techStack,
    },
  };
}

/** An event about `p` at `at`; `full` adds the profile (the first touchpoint, a form fill). */
export function about(
  p: DemoPerson,
  at: Millis,
  type: string,
  source: string,
  properties: JsonObject | undefined,
  full = false,
): DemoEvent {
  const attributes = full ? profile(p) : { contact: { email: p.email } };
  return {
    type,
    at: Math.round(at),
    source,
    contact: attributes.contact,
    ...('company' in attributes ? { company: attributes.company } : {}),
    ...(properties === undefined ? {} : { properties }),
  };
}

const PAGES: Readonly<Record<string, readonly string[]>> = {
  pricing: ['/pricing', '/pricing/compare-plans'],
  demo: ['/demo', '/product/tour'],
  case_study: ['/customers/northwind', '/customers/bluepeak', '/customers/harbor-health'],
  comparison: ['/compare/rivalmetrics', '/compare/spreadsheets'],
  blog: [
    '/blog/speed-to-lead',
    '/blog/mql-definitions',
    '/blog/lead-scoring-101',
    '/blog/routing-rules',
    '/blog/pipeline-hygiene',
    '/blog/revops-metrics',
  ],
  homepage: ['/'],
  roi_calculator: ['/roi-calculator'],
  careers: ['/careers'],
  other: ['/docs/getting-started', '/docs/api', '/docs/integrations/salesforce', '/security'],
};

export function pageView(
  p: DemoPerson,
  at: Millis,
  category: string,
  pick: (n: number) => number,
): DemoEvent {
  const urls = PAGES[category] ?? ['/'];
  const path = urls[pick(urls.length)] ?? '/';
  return about(p, at, 'page_view', 'web', { url: `https://www.acme-insights.example${path}`, category });
}

/**
 * A small hand-built history for the metrics tests (engine, API, CLI), run through the real engine
 * on the mid-market template. October 2026 (America/New_York) holds a cohort of seven contacts:
 *
 * | contact | source      | what happens (UTC)                                             | reaches     | owner |
 * | ------- | ----------- | -------------------------------------------------------------- | ----------- | ----- |
 * | ann     | paid_search | identify 10-05 (name + company): a lead                        | lead        | —     |
 * | abe     | paid_search | identify 10-06: a lead                                         | lead        | —     |
 * | sub     | (none)      | newsletter form 10-07 from gmail: a subscriber                 | —           | —     |
 * | bea     | paid_search | demo request 10-08 15:00 (MQL), call +3 min, rejected FIT-01   | mql         | priya |
 * | bob     | organic     | demo request 10-13 15:00, call +10 min, accepted 10-14         | sql         | priya |
 * | cal     | organic     | demo request 10-14 15:00, call +2 min, accepted, deal 10-16    | opportunity | leo   |
 * | dee     | organic     | demo request 10-15 15:00, call +1 min, accepted, deal 10-19, won 10-27 | customer | sofia |
 *
 * and `old` (organic), an MQL of 2026-09-15, outside the cohort. Owners come from the template's
 * weighted round-robin over team general (priya, leo, sofia); team plg is leo alone.
 *
 * The October funnel by hand: contacts 7; leads 6 (all but sub); MQLs 4 (bea, bob, cal, dee); SQLs 3
 * (bob, cal, dee); opportunities 2 (cal, dee); customers 1 (dee). Lead → MQL 4/6 = 0.6667 (above the
 * 5–15% band: high), MQL → SQL 3/4 = 0.75 (above 30–50%: high), SQL → opportunity 2/3 = 0.6667
 * (inside 50–70%: ok), opportunity → customer 1/2 = 0.5 (no benchmark). One rejection: FIT-01.
 */
import { runtime } from '../../compose.ts';
import { metricsModel } from '../../config/metricsModel.ts';
import { safeLoadConfigText } from '../../config/loader.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import { readTemplate } from '../../config/templates/index.ts';
import type { MetricsInput } from '../../core/metrics/index.ts';
import type { Store } from '../../core/ports.ts';
import { SimulatedClock } from '../clock.ts';
import type { MetricsSetup } from '../metricsInput.ts';

/** Monday 2026-11-02 12:00 UTC: "now" for every metrics test. */
export const METRICS_NOW = Date.parse('2026-11-02T12:00:00Z');
/** October 2026 in the company zone, as a request gives it. */
export const OCTOBER = { from: '2026-10-01', to: '2026-10-31' } as const;
/** The same range as instants: local midnights (EDT, UTC−4). */
export const OCTOBER_FROM = Date.parse('2026-10-01T04:00:00Z');
export const OCTOBER_TO = Date.parse('2026-11-01T04:00:00Z');

export const OCTOBER_COUNTS = {
  contacts: 7,
  leads: 6,
  mqls: 4,
  sqls: 3,
  opportunities: 2,
  customers: 1,
} as const;

const email = (name: string) => `${name}@${name}-co.com`;
const person = (name: string, source?: string) =>
  Object.assign(
    { email: email(name), firstName: name, lastName: 'Test', seniority: 'vp' },
    source === undefined ? {} : { source },
  );
const company = (name: string) => ({ name: `${name} Co`, employees: 400 });
const demo = (id: string, name: string, at: string, source: string) => ({
  id,
  type: 'form_submit',
  at,
  contact: person(name, source),
  company: company(name),
  properties: { form: 'demo_request' },
});
const about = (type: string, id: string, name: string, at: string, properties: Record<string, unknown>) => ({
  id,
  type,
  at,
  contact: { email: email(name) },
  properties,
});
const call = (id: string, name: string, at: string) => about('rep_activity', id, name, at, { kind: 'call' });
const accept = (id: string, name: string, at: string) =>
  about('sales_decision', id, name, at, { decision: 'accept', bant: ['budget', 'need'] });

export const METRICS_EVENTS: readonly Record<string, unknown>[] = [
  demo('m-01', 'old', '2026-09-15T15:00:00Z', 'organic'),
  {
    id: 'm-02',
    type: 'identify',
    at: '2026-10-05T14:00:00Z',
    contact: person('ann', 'paid_search'),
    company: company('ann'),
  },
  {
    id: 'm-03',
    type: 'identify',
    at: '2026-10-06T14:00:00Z',
    contact: person('abe', 'paid_search'),
    company: company('abe'),
  },
  {
    id: 'm-04',
    type: 'form_submit',
    at: '2026-10-07T14:00:00Z',
    contact: { email: 'sub@gmail.com', firstName: 'Sub' },
    properties: { form: 'newsletter' },
  },
  demo('m-05', 'bea', '2026-10-08T15:00:00Z', 'paid_search'),
  call('m-06', 'bea', '2026-10-08T15:03:00Z'),
  about('sales_decision', 'm-07', 'bea', '2026-10-09T15:00:00Z', {
    decision: 'reject',
    reasonCode: 'FIT-01',
  }),
  demo('m-08', 'bob', '2026-10-13T15:00:00Z', 'organic'),
  call('m-09', 'bob', '2026-10-13T15:10:00Z'),
  accept('m-10', 'bob', '2026-10-14T15:00:00Z'),
  demo('m-11', 'cal', '2026-10-14T15:00:00Z', 'organic'),
  call('m-12', 'cal', '2026-10-14T15:02:00Z'),
  accept('m-13', 'cal', '2026-10-15T15:00:00Z'),
  about('deal', 'm-14', 'cal', '2026-10-16T15:00:00Z', { action: 'created', dealId: 'd-cal', amount: 24000 }),
  demo('m-15', 'dee', '2026-10-15T15:00:00Z', 'organic'),
  call('m-16', 'dee', '2026-10-15T15:01:00Z'),
  accept('m-17', 'dee', '2026-10-16T15:00:00Z'),
  about('deal', 'm-18', 'dee', '2026-10-19T15:00:00Z', { action: 'created', dealId: 'd-dee', amount: 12000 }),
  about('deal', 'm-19', 'dee', '2026-10-27T15:00:00Z', {
    action: 'closed_won',
    dealId: 'd-dee',
    signedContract: true,
    paymentTerms: 'net-30',
  }),
];

/** The mid-market template, loaded. Throws if the shipped template does not load (a bug). */
export function midMarket(): { readonly config: RevopsConfig; readonly text: string } {
  const text = readTemplate('mid-market');
  const loaded = safeLoadConfigText(text);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return { config: loaded.config, text };
}

/**
 * Ingests `METRICS_EVENTS` into `store` through the engine (mid-market template, clock at
 * `METRICS_NOW`); returns the metrics setup of the template. Throws if an event is refused.
 */
export async function seedMetricsHistory(store: Store): Promise<MetricsSetup> {
  const { config } = midMarket();
  const { engine, setup } = runtime(store, config, new SimulatedClock(METRICS_NOW));
  const result = await engine.ingest(METRICS_EVENTS);
  if (result.accepted !== METRICS_EVENTS.length)
    throw new Error(`the metrics history was refused in part: ${JSON.stringify(result)}`);
  return { model: metricsModel(config, setup.calendar), timezone: setup.calendar.spec.timezone };
}

/** Everything `store` holds that a metrics report reads, untrimmed: what the row-based computation is given. */
export async function everythingIn(store: Store): Promise<MetricsInput> {
  return {
    contacts: await store.listContacts(),
    history: await store.stageHistory(),
    touches: await store.touches(),
    assignments: await store.listAssignments(),
    clocks: await store.listClocks(),
    deals: await store.listDeals(),
    approvals: await store.listApprovals(),
  };
}

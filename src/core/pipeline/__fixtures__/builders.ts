/**
 * Test builders for the deal pipeline: the mid-market template's pipeline written out as a model
 * (`template.test.ts` checks it equals what the config loader makes of the template), its company
 * calendar (New York, Monday to Friday 09:00–17:00, US public holidays) and team, named instants,
 * a deal filled for any stage, commands and the decision environment, each with overrides.
 */
import type { Effect, FiredTimer, OutboxEffect, TaskEffect, TimerEffect } from '../../effects.ts';
import type { ActionEnvironment } from '../../lifecycle/actions.ts';
import { createBusinessCalendar } from '../../time/calendar.ts';
import { parseDuration, type Duration } from '../../time/duration.ts';
import { OFFICE_HOURS } from '../../time/openingHours.ts';
import type { ContactState, Millis } from '../../types.ts';
import type { DealCommand, DealCommandAction } from '../command.ts';
import type { DealEnv } from '../decide.ts';
import type { PipelineDefModel, PipelineModel } from '../model.ts';
import type { DealFieldValue, DealState, DealStageMove } from '../types.ts';

export const DAY = 86_400_000;

export const dur = (text: string): Duration => {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`not a duration: ${text}`);
  return d;
};
const task = (title: string, due: string) =>
  ({ do: 'create_task', title, due: dur(due), assignee: 'owner' }) as const;

/** `new-business` of the mid-market template (revops-SKILL.md "Pipeline Stage Management"). */
export const NEW_BUSINESS: PipelineDefModel = {
  id: 'new-business',
  name: 'New business',
  skips: 'flag',
  stages: [
    {
      id: 'qualified',
      name: 'Qualified',
      kind: 'open',
      probability: 0.1,
      required: ['contacts', 'account', 'source', 'fitScore'],
      exit: 'Discovery call scheduled.',
      onEntry: [],
    },
    {
      id: 'discovery',
      name: 'Discovery',
      kind: 'open',
      probability: 0.2,
      required: ['painPoints', 'currentSolution', 'timeline'],
      exit: 'Needs confirmed and a demo scheduled.',
      staleAfter: dur('14d'),
      onEntry: [task('Complete the discovery questionnaire', '2 business days')],
    },
    {
      id: 'demo',
      name: 'Demo / evaluation',
      kind: 'open',
      probability: 0.4,
      required: ['technicalRequirements', 'decisionMakers'],
      exit: 'Positive evaluation and a proposal requested.',
      onEntry: [task('Prepare the demo environment', '2 business days')],
    },
    {
      id: 'proposal',
      name: 'Proposal',
      kind: 'open',
      probability: 0.6,
      required: ['amount', 'discountPercent', 'termMonths', 'paymentTerms', 'stakeholderMap'],
      exit: 'Proposal delivered and reviewed.',
      staleAfter: dur('10d'),
      onEntry: [task('Send the proposal', '5 business days'), { do: 'request_approval' }],
    },
    {
      id: 'negotiation',
      name: 'Negotiation',
      kind: 'open',
      probability: 0.8,
      required: ['redlines', 'approvalChain', 'closeDate'],
      exit: 'Terms agreed and contract sent.',
      staleAfter: dur('21d'),
      onEntry: [
        {
          do: 'notify',
          to: 'team:cs',
          message: '{company.name} is in negotiation and likely to close: get ready for onboarding.',
          urgent: false,
        },
      ],
    },
    {
      id: 'closed_won',
      name: 'Closed won',
      kind: 'won',
      probability: 1,
      required: ['signedContract', 'paymentTerms'],
      exit: 'Handoff to customer success complete.',
      onEntry: [],
    },
    {
      id: 'closed_lost',
      name: 'Closed lost',
      kind: 'lost',
      probability: 0,
      required: ['lossReason'],
      exit: 'Post-mortem logged.',
      onEntry: [task('Log the loss reason for the win/loss review', '2 business days')],
    },
  ],
  stale: {
    averageMultiplier: 2,
    alertTask: { title: 'Update or close the deal', due: dur('3 business days') },
    managerAfter: dur('7d'),
  },
  closeDate: { pushReasonRequired: true, forecastReviewAfter: 2 },
  closedWon: {
    contactsBecome: 'customer',
    csTeam: 'cs',
    kickoff: { title: 'Schedule kickoff call with {company.name}', due: dur('2 business days') },
    stopSequences: true,
  },
};

/** The template's `pipeline` section as the engine runs it. */
export const MODEL: PipelineModel = {
  fields: [
    { id: 'painPoints', label: 'Pain points', type: 'text' },
    { id: 'currentSolution', label: 'Current solution', type: 'text' },
    { id: 'timeline', label: 'Buying timeline', type: 'text' },
    { id: 'technicalRequirements', label: 'Technical requirements', type: 'text' },
    { id: 'decisionMakers', label: 'Decision makers', type: 'list' },
    { id: 'stakeholderMap', label: 'Stakeholder map', type: 'text' },
    { id: 'redlines', label: 'Contract redlines', type: 'text' },
    { id: 'approvalChain', label: 'Approval chain', type: 'list' },
  ],
  pipelines: [NEW_BUSINESS],
};

export const NY = 'America/New_York';
/** The template's calendar: New York, Monday to Friday 09:00–17:00, US public holidays. */
export const COMPANY = createBusinessCalendar({
  timezone: NY,
  hours: OFFICE_HOURS,
  holidays: { country: 'US', extra: [], ignore: [] },
});
export const addTime = (start: Millis, duration: Duration): Millis =>
  COMPANY.addBusinessTime(start, duration);

/** The template's team, managers and backups (`team.reps`). */
export const MANAGERS: Readonly<Record<string, string>> = {
  dan: 'maya',
  priya: 'dan',
  leo: 'dan',
  sofia: 'dan',
  jonas: 'dan',
  grace: 'maya',
  omar: 'maya',
};
export const BACKUPS: Readonly<Record<string, string>> = {
  priya: 'leo',
  leo: 'sofia',
  sofia: 'priya',
  jonas: 'sofia',
};
/** sofia's manager is dan, dan's is maya. */
export const ACTIONS: ActionEnvironment = {
  reps: { managerOf: (rep) => MANAGERS[rep], backupOf: (rep) => BACKUPS[rep] },
  addTime,
};

export const at = (iso: string): Millis => Date.parse(iso);

/** Monday 2026-03-02 15:00 UTC (10:00 New York): the deal is created. */
export const T0 = at('2026-03-02T15:00:00Z');

/** The model with `new-business` changed (e.g. `{ skips: 'block' }`). */
export function modelWith(overrides: Partial<PipelineDefModel>): PipelineModel {
  return { fields: MODEL.fields, pipelines: [Object.assign({}, NEW_BUSINESS, overrides)] };
}

/** Every field a stage (and every stage before it) requires, filled. */
export const FILLED: Readonly<Record<string, DealFieldValue>> = {
  fitScore: 72,
  painPoints: 'Lead routing by spreadsheet',
  currentSolution: 'Spreadsheets',
  timeline: 'This quarter',
  technicalRequirements: 'SSO, Salesforce sync',
  decisionMakers: ['ava@northwind.io', 'cfo@northwind.io'],
  discountPercent: 0,
  termMonths: 12,
  paymentTerms: 'net-30',
  stakeholderMap: 'Ava (champion), CFO (economic buyer)',
  redlines: 'Liability cap at 12 months of fees',
  approvalChain: ['legal', 'cfo'],
};

export const AVA = 'email:ava@northwind.io';
export const BEN = 'email:ben@northwind.io';

/** Overrides of a deal; `undefined` removes the field. */
export type DealOverrides = { readonly [K in keyof DealState]?: DealState[K] | undefined };

/**
 * A deal of sofia's with every field filled, in `stage` since `enteredAt`, with the history of a
 * deal that went through each earlier open stage a day apart (the last move at `enteredAt`).
 */
export function deal(stage = 'qualified', overrides: DealOverrides = {}, enteredAt: Millis = T0): DealState {
  const order = NEW_BUSINESS.stages.map((s) => s.id);
  const upTo = order.slice(0, Math.max(order.indexOf(stage), 0) + 1);
  const start = enteredAt - (upTo.length - 1) * DAY;
  const history: DealStageMove[] = [];
  let from: string | undefined;
  upTo.forEach((to, i) => {
    const move = { to, at: start + i * DAY, cause: `e${i}`, skipped: [] };
    history.push(from === undefined ? move : Object.assign({ from }, move));
    from = to;
  });
  const built: Record<string, unknown> = {
    id: 'd1',
    pipeline: 'new-business',
    stage,
    status: 'open',
    name: 'Northwind platform',
    account: 'northwind.io',
    owner: 'sofia',
    amount: 36000,
    currency: 'USD',
    closeDate: '2026-06-30',
    source: 'demo_request',
    contacts: [{ contactKey: AVA, role: 'primary' }],
    fields: Object.assign({}, FILLED),
    createdAt: start,
    updatedAt: enteredAt,
    stageEnteredAt: enteredAt,
    history,
    pushes: [],
    flags: { skipped: [], forecastReview: false },
    ...overrides,
  };
  for (const key of Object.keys(built)) if (built[key] === undefined) delete built[key];
  return built as unknown as DealState;
}

/** A deal command at `at` (default a day after T0), caused by event `cause`. */
export function command(action: DealCommandAction, overrides: Partial<DealCommand> = {}): DealCommand {
  const base: DealCommand = { action, dealId: 'd1', at: T0 + DAY, cause: 'ev-1', changes: {} };
  return Object.assign(base, overrides);
}

/** Ava at Northwind (company name `Northwind`), owned by sofia. */
export function contact(overrides: Partial<ContactState> = {}): ContactState {
  const attr = (value: string) => ({ value, at: T0, eventId: 'e0', source: 'crm' });
  const base: ContactState = {
    key: AVA,
    email: 'ava@northwind.io',
    accountDomain: 'northwind.io',
    attributes: { firstName: attr('Ava'), lastName: attr('Stone') },
    companyAttributes: { name: attr('Northwind'), domain: attr('northwind.io') },
    stage: 'opportunity',
    stageEnteredAt: T0,
    owner: 'sofia',
    flags: [],
    createdAt: T0,
    updatedAt: T0,
    eventCount: 3,
  };
  return Object.assign(base, overrides);
}

/** The decision environment: the template's model, team and calendar; events (not strict). */
export function env(overrides: Partial<DealEnv> = {}): DealEnv {
  const base: DealEnv = { model: MODEL, reps: ACTIONS.reps, addTime: ACTIONS.addTime };
  return Object.assign(base, overrides);
}

export const outboxes = (effects: readonly Effect[], type?: string): OutboxEffect[] =>
  effects.filter((e): e is OutboxEffect => e.kind === 'outbox' && (type === undefined || e.type === type));
export const tasks = (effects: readonly Effect[]): TaskEffect[] =>
  effects.filter((e): e is TaskEffect => e.kind === 'task');
export const timers = (effects: readonly Effect[]): TimerEffect[] =>
  effects.filter((e): e is TimerEffect => e.kind === 'timer');

/** A timer effect as the store fires it back. */
export function fired(timer: TimerEffect, attempts = 1): FiredTimer {
  const out: FiredTimer = { key: timer.key, dueAt: timer.dueAt, payload: timer.payload, attempts };
  return timer.contactKey === undefined ? out : Object.assign(out, { contactKey: timer.contactKey });
}

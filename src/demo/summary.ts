/**
 * What the seeded workspace holds, read back from the store: contacts by stage now and by the
 * stages they ever reached, the funnel rates against the reference benchmarks, routing, SLA clocks
 * and escalations, rejections by reason code, tasks, and the deal pipeline at the anchor (open deals
 * by stage, stale, pushed, in forecast review, skips, refused moves, deal-desk approvals). The same
 * seed and anchor give the same summary.
 */
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import type { Store } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';

export interface DemoSummary {
  readonly seed: number;
  /** The generated history covers [from, anchor). */
  readonly from: string;
  readonly anchor: string;
  readonly days: number;
  /** Events sent through the engine (all accepted), and the SHA-256 of the stream as sent. */
  readonly events: number;
  readonly eventsHash: string;
  readonly eventTypes: Readonly<Record<string, number>>;
  readonly timersFired: number;
  readonly contacts: number;
  readonly accounts: number;
  /** Contacts by their stage at the anchor. */
  readonly stages: Readonly<Record<string, number>>;
  /** Contacts that ever entered each stage. */
  readonly reached: Readonly<Record<string, number>>;
  /** lead→MQL, MQL→SQL, SQL→opportunity (contacts that reached the next stage over those that reached the first), win rate (deals won over deals closed). */
  readonly rates: {
    readonly leadToMql: number;
    readonly mqlToSql: number;
    readonly sqlToOpportunity: number;
    readonly winRate: number;
  };
  readonly deals: { readonly created: number; readonly won: number; readonly lost: number };
  readonly assignments: {
    readonly total: number;
    /** Assigned rows per rep. */
    readonly byRep: Readonly<Record<string, number>>;
    readonly queued: number;
    readonly review: number;
    readonly reassigned: number;
  };
  readonly sla: {
    readonly clocks: number;
    readonly open: number;
    readonly met: number;
    readonly breached: number;
    readonly escalations: number;
  };
  /** Sales rejections the engine recorded, by reason code. */
  readonly rejections: Readonly<Record<string, number>>;
  readonly tasks: { readonly open: number; readonly done: number };
  /** The deal pipeline at the anchor; absent in workspaces seeded before deals were summarized. */
  readonly pipeline?: DemoPipeline;
}

export interface DemoPipeline {
  /** Open deals by stage, in pipeline order (stages with none left out). */
  readonly open: Readonly<Record<string, number>>;
  /** Open deals flagged stale in their current stage. */
  readonly stale: number;
  /** Deals whose close date was pushed at least once, and those pushed into forecast review. */
  readonly pushed: number;
  readonly forecastReview: number;
  /** Deals that jumped a stage. */
  readonly skipped: number;
  /** Deal changes the engine refused (`deal_change_refused`) and deals created without required fields. */
  readonly refused: number;
  readonly fieldsMissing: number;
  readonly approvals: {
    readonly pending: number;
    readonly approved: number;
    readonly rejected: number;
    /** Requests escalated past the approval SLA at least once. */
    readonly escalated: number;
  };
}

/** What the simulation itself counted while sending. */
export interface SentCounts {
  readonly events: number;
  readonly eventsHash: string;
  readonly eventTypes: Readonly<Record<string, number>>;
  readonly timersFired: number;
  readonly deals: DemoSummary['deals'];
}

const FUNNEL_ENTRY = new Set(['lead', 'mql']);

function tally(into: Record<string, number>, key: string, by = 1): void {
  into[key] = (into[key] ?? 0) + by;
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);

/** The pipeline at the anchor, open deals listed in `stageOrder` (other stages after, by name). */
function pipelineOf(
  deals: readonly DealState[],
  approvals: readonly ApprovalRequest[],
  outbox: readonly { readonly type: string }[],
  stageOrder: readonly string[],
): DemoPipeline {
  const openDeals = deals.filter((d) => d.status === 'open');
  const byStage: Record<string, number> = {};
  for (const d of openDeals) tally(byStage, d.stage);
  const order = [...stageOrder, ...Object.keys(sorted(byStage)).filter((s) => !stageOrder.includes(s))];
  const open: Record<string, number> = {};
  for (const stage of order) if (byStage[stage] !== undefined) open[stage] = byStage[stage];
  const outboxCount = (type: string) => outbox.filter((o) => o.type === type).length;
  const approvalCount = (status: ApprovalRequest['status']) =>
    approvals.filter((a) => a.status === status).length;
  return {
    open,
    stale: openDeals.filter((d) => d.flags.stale?.stage === d.stage).length,
    pushed: deals.filter((d) => d.pushes.length > 0).length,
    forecastReview: deals.filter((d) => d.flags.forecastReview).length,
    skipped: deals.filter((d) => d.flags.skipped.length > 0).length,
    refused: outboxCount('deal_change_refused'),
    fieldsMissing: outboxCount('deal_fields_missing'),
    approvals: {
      pending: approvalCount('pending'),
      approved: approvalCount('approved'),
      rejected: approvalCount('rejected'),
      escalated: approvals.filter((a) => a.escalations.length > 0).length,
    },
  };
}

/** Reads the summary of a seeded workspace. Throws only if storage fails. */
export async function summarize(
  store: Store,
  run: { readonly seed: number; readonly from: Millis; readonly anchor: Millis; readonly days: number },
  sent: SentCounts,
  /** The pipeline's stages in order (the open deals are listed so). */
  stageOrder: readonly string[] = [],
): Promise<DemoSummary> {
  const [contacts, accounts, history, assignments, clocks, tasks, outbox, deals, approvals] =
    await Promise.all([
      store.listContacts(),
      store.listAccounts(),
      store.stageHistory(),
      store.listAssignments(),
      store.listClocks(),
      store.listTasks(),
      store.listOutbox(),
      store.listDeals(),
      store.listApprovals(),
    ]);
  const stages: Record<string, number> = {};
  for (const c of contacts) tally(stages, c.stage);
  const reachedBy = new Map<string, Set<string>>();
  const rejections: Record<string, number> = {};
  const leads = new Set<string>();
  for (const change of history) {
    const set = reachedBy.get(change.to) ?? new Set<string>();
    set.add(change.contactKey);
    reachedBy.set(change.to, set);
    if (FUNNEL_ENTRY.has(change.to)) leads.add(change.contactKey);
    const code = /sales_decision reject ([A-Z]+-\d{2})/.exec(change.reason)?.[1];
    if (code !== undefined) tally(rejections, code);
  }
  const reached: Record<string, number> = {};
  for (const [stage, set] of reachedBy) reached[stage] = set.size;
  const count = (stage: string) => reached[stage] ?? 0;
  const byRep: Record<string, number> = {};
  for (const a of assignments) if (a.kind === 'assigned' && a.owner !== undefined) tally(byRep, a.owner);
  const steps = clocks.reduce((n, c) => n + c.steps.length, 0);
  return {
    seed: run.seed,
    from: new Date(run.from).toISOString(),
    anchor: new Date(run.anchor).toISOString(),
    days: run.days,
    events: sent.events,
    eventsHash: sent.eventsHash,
    eventTypes: sorted(Object.assign({}, sent.eventTypes)),
    timersFired: sent.timersFired,
    contacts: contacts.length,
    accounts: accounts.length,
    stages: sorted(stages),
    reached: sorted(reached),
    rates: {
      leadToMql: ratio(count('mql'), leads.size),
      mqlToSql: ratio(count('sql'), count('mql')),
      sqlToOpportunity: ratio(count('opportunity'), count('sql')),
      winRate: ratio(sent.deals.won, sent.deals.won + sent.deals.lost),
    },
    deals: sent.deals,
    assignments: {
      total: assignments.length,
      byRep: sorted(byRep),
      queued: assignments.filter((a) => a.kind === 'queued').length,
      review: assignments.filter((a) => a.kind === 'review').length,
      reassigned: outbox.filter((o) => o.type === 'reassigned').length,
    },
    sla: {
      clocks: clocks.length,
      open: clocks.filter((c) => c.status === 'open').length,
      met: clocks.filter((c) => c.status === 'met').length,
      breached: clocks.filter((c) => c.status === 'breached').length,
      escalations: steps,
    },
    rejections: sorted(rejections),
    tasks: {
      open: tasks.filter((t) => t.status === 'open').length,
      done: tasks.filter((t) => t.status === 'done').length,
    },
    pipeline: pipelineOf(deals, approvals, outbox, stageOrder),
  };
}

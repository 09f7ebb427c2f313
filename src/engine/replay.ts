/**
 * Replay: the whole engine over an event history with a simulated clock. Events run in time
 * order (file order for ties); before each event, timers due by then fire at their own due time;
 * after the last event, timers fire up to `at`. The report is the stable `replay --json` contract
 * (docs/replay.md): same config and events, byte-identical output.
 */
import type { Building } from '../core/building.ts';
import { timeOrdered, type HistoryLine, type HistoryRejection } from './history.ts';
import { accountScore, engagedContacts, type EngagedContact } from '../core/scoring/account.ts';
import { scoreContactAt } from '../core/scoring/contactScore.ts';
import { lateness } from '../core/sla/clock.ts';
import type { SlaClock, SlaClockStatus, SlaEscalationAction } from '../core/sla/model.ts';
import type { JsonObject, Millis } from '../core/types.ts';
import type { Engine } from './engine.ts';
import type { DecisionModel } from '../core/contact/decide.ts';
import { stageAverages, staleness } from '../core/pipeline/stale.ts';
import type { DealState } from '../core/pipeline/types.ts';
import type { CatalogOptions } from './ingest.ts';
import type { SimulatedClock } from './clock.ts';

export type ReplayLine = HistoryLine;

export type ReplayRejection = HistoryRejection;

export interface ReplayStageChange {
  readonly stage: string;
  readonly at: string;
  readonly from: string | null;
  /** An event id, `timer:<key>`, `manual:<who>`, … */
  readonly cause: string;
  readonly reason: string;
}

export interface ReplaySlaClock {
  readonly email: string | null;
  /** The clock's name (`sla.clocks[].name`). */
  readonly name: string;
  readonly startedAt: string;
  readonly dueAt: string;
  readonly status: SlaClockStatus;
  readonly metAt: string | null;
  readonly breachedAt: string | null;
  /** The clock id (`sla.clocks[].id`, or the tier/queue clock's id). */
  readonly clock: string;
  readonly owner: string | null;
  readonly target: string;
  /**
   * How late a breached clock is, in the clock's measure (business ms for business targets): at
   * its stop, or at the report's `at` while it still runs. Null unless breached.
   */
  readonly lateMs: number | null;
  /** When a stop signal (or a reassignment) ended it. */
  readonly stoppedAt: string | null;
}

export interface ReplayEscalation {
  readonly email: string | null;
  /** The clock id. */
  readonly sla: string;
  /** The step's index in the clock's ladder (0 = first). */
  readonly step: number;
  readonly at: string;
  readonly action: SlaEscalationAction;
  /** The recipient (`rep:x`, `channel:y`, `unassigned`), the flag raised, or the owner reassigned away from. */
  readonly to: string | null;
}

export interface ReplayReport {
  readonly at: string;
  readonly contacts: readonly {
    readonly email: string | null;
    readonly id?: string;
    readonly stage: string;
    readonly owner: string | null;
    readonly account: string | null;
    readonly score: {
      readonly fit: number;
      readonly engagement: number;
      readonly negative: number;
      readonly total: number;
      readonly mql: boolean;
    } | null;
    readonly flags: readonly string[];
    /** Stage moves in time order; `from` is null for the first placement. */
    readonly history: readonly ReplayStageChange[];
  }[];
  readonly assignments: readonly {
    readonly email: string | null;
    readonly kind: 'assigned' | 'kept' | 'queued' | 'review';
    readonly owner: string | null;
    readonly queue: string | null;
    readonly team: string | null;
    readonly rule: string;
    readonly at: string;
    readonly trace: JsonObject;
  }[];
  /** Every SLA clock started, by due time (then key). */
  readonly sla: readonly ReplaySlaClock[];
  /** Every escalation step that fired, in time order. */
  readonly escalations: readonly ReplayEscalation[];
  readonly tasks: readonly {
    readonly email: string | null;
    readonly owner: string;
    readonly title: string;
    readonly dueAt: string | null;
    readonly status: string;
  }[];
  readonly notifications: readonly {
    readonly type: string;
    readonly to: string;
    readonly at: string;
    readonly email: string | null;
  }[];
  readonly events: { readonly accepted: number; readonly duplicates: number; readonly rejected: number };
  readonly rejected: readonly ReplayRejection[];
  /** Upward MQL crossings, in time order (a lead that decays and re-crosses appears again). */
  readonly mql: readonly {
    readonly email: string | null;
    readonly at: string;
    readonly total: number;
    readonly reason: string;
  }[];
  /** Accounts by domain, their score recomputed at `at` from their contacts' scores. */
  readonly accounts: readonly {
    readonly domain: string;
    readonly owner: string | null;
    readonly contacts: number;
    readonly score: number;
    readonly engagedContacts: number;
    readonly buyingCommittee: boolean;
  }[];
  /** Deals by id: stage, status, stage history, close-date pushes and flags at `at`. */
  readonly deals: readonly ReplayDeal[];
  /** Deal-desk approval requests by request time (then id). */
  readonly approvals: readonly ReplayApproval[];
}

export interface ReplayDeal {
  readonly id: string;
  readonly pipeline: string;
  readonly stage: string;
  readonly status: 'open' | 'won' | 'lost';
  readonly name: string | null;
  readonly account: string | null;
  readonly owner: string | null;
  readonly csOwner: string | null;
  readonly amount: number | null;
  readonly currency: string;
  readonly closeDate: string | null;
  readonly source: string | null;
  readonly contacts: readonly { readonly email: string | null; readonly role: string }[];
  readonly fields: JsonObject;
  readonly createdAt: string;
  readonly closedAt: string | null;
  /** Moves in time order; `from` is null for the creation. `skipped`: open stages jumped over. */
  readonly history: readonly {
    readonly stage: string;
    readonly from: string | null;
    readonly at: string;
    readonly cause: string;
    readonly skipped: readonly string[];
  }[];
  readonly pushes: readonly {
    readonly at: string;
    readonly from: string;
    readonly to: string;
    readonly slipDays: number;
    readonly reason: string;
  }[];
  readonly flags: {
    /** Every stage skipped, in order. */
    readonly skipped: readonly string[];
    /** Stale at `at`: the stage limit (or 2× its average) passed; null when not stale. */
    readonly stale: {
      readonly stage: string;
      readonly since: string;
      readonly basis: 'limit' | 'average';
      readonly managerAlerted: boolean;
    } | null;
    readonly pushes: number;
    readonly forecastReview: boolean;
  };
}

export interface ReplayApproval {
  readonly id: string;
  readonly deal: string;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly requestedAt: string;
  readonly dueAt: string;
  readonly decidedAt: string | null;
  readonly exceptions: readonly { readonly kind: string; readonly detail: string }[];
  readonly steps: readonly {
    readonly tier: string;
    readonly approvers: readonly string[];
    readonly mode: 'all' | 'any';
    readonly status: 'pending' | 'approved' | 'rejected';
    readonly votes: readonly {
      readonly approver: string;
      readonly decision: 'approve' | 'reject';
      readonly at: string;
      readonly comment: string | null;
    }[];
  }[];
  readonly escalations: readonly { readonly to: string; readonly at: string }[];
}

export interface ReplayOptions {
  readonly engine: Engine;
  readonly clock: SimulatedClock;
  readonly catalog: CatalogOptions;
  /** Run timers up to here (default: the last event's time). */
  readonly at?: Millis;
  /** Called after each event, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

const iso = (ms: Millis) => new Date(ms).toISOString();
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function replay(lines: readonly ReplayLine[], options: ReplayOptions): Promise<ReplayReport> {
  const { engine, clock, catalog } = options;
  const { valid, rejected } = timeOrdered(lines, catalog, 'replay');

  const fireUntil = async (until: Millis) => {
    for (;;) {
      const due = await engine.store.nextTimerDue();
      if (due === undefined || due > until) return;
      clock.advanceTo(due);
      await engine.fireDueTimers(due);
    }
  };

  let accepted = 0;
  let duplicates = 0;
  let done = 0;
  for (const { line, event, raw } of valid) {
    await fireUntil(event.at);
    clock.advanceTo(event.at);
    const result = await engine.ingest([raw], { source: 'replay' });
    const item = result.items[0];
    if (item?.status === 'accepted') accepted++;
    else if (item?.status === 'duplicate') duplicates++;
    else rejected.push({ line, id: event.id, issues: item?.issues ?? [] });
    options.onProgress?.(++done, valid.length);
  }
  const lastEvent = valid.at(-1)?.event.at;
  const end = options.at ?? lastEvent ?? 0;
  await fireUntil(end);
  clock.advanceTo(end);

  return replayReport(
    engine,
    end,
    { accepted, duplicates, rejected: rejected.length },
    rejected.sort((a, b) => a.line - b.line),
  );
}

/**
 * The report on what `engine.store` holds at `at`: the `replay --json` contract (docs/replay.md).
 * Reads only; throws only if storage fails.
 */
export async function replayReport(
  engine: Engine,
  at: Millis,
  counts: ReplayReport['events'],
  rejected: ReplayRejection[],
): Promise<ReplayReport> {
  const store = engine.store;
  const [contacts, accounts, history, tasks, outbox, assignments, clocks, deals, approvals] =
    await Promise.all([
      store.listContacts(),
      store.listAccounts(),
      store.stageHistory(),
      store.listTasks(),
      store.listOutbox(),
      store.listAssignments(),
      store.listClocks(),
      store.listDeals(),
      store.listApprovals(),
    ]);
  const historyByContact = new Map<string, ReplayStageChange[]>();
  for (const change of history) {
    const list = historyByContact.get(change.contactKey) ?? [];
    list.push({
      stage: change.to,
      at: iso(change.at),
      from: change.from ?? null,
      cause: change.cause,
      reason: change.reason,
    });
    historyByContact.set(change.contactKey, list);
  }
  const emailOf = new Map(contacts.map((c) => [c.key, c.email ?? null]));
  // A breached clock still running (no stop signal yet) is as late as the report's instant; a
  // stopped one, as late as its stop (recorded).
  const sla = engine.model.sla;
  const lateAt = (c: SlaClock): number | null =>
    c.status !== 'breached'
      ? null
      : c.stoppedAt === undefined && sla !== undefined
        ? lateness(sla, c, at).lateMs
        : (c.lateMs ?? null);
  const accountOf = new Map(accounts.map((a) => [a.domain, a]));
  const scoring = engine.model.scoring;
  // Scores are a function of (events, time): recompute each at the report's instant, so decay up
  // to `at` shows even for contacts with no later event.
  const scoreOf = (c: (typeof contacts)[number]) => {
    if (scoring === undefined) return null;
    const account = c.accountDomain === undefined ? undefined : accountOf.get(c.accountDomain);
    const r = scoreContactAt(c, account, scoring, engine.model.isFreeMail, at);
    return { fit: r.fit, engagement: r.engagement, negative: r.negative, total: r.total, mql: r.mql };
  };
  const scores = new Map(contacts.map((c) => [c.key, scoreOf(c)]));
  const sortKey = (c: { email?: string; key: string }) => c.email ?? `~${c.key}`;
  const membersOf = new Map<string, (EngagedContact & { total: number })[]>();
  for (const c of contacts) {
    const score = scores.get(c.key);
    if (c.accountDomain === undefined || score == null) continue;
    const list = membersOf.get(c.accountDomain) ?? [];
    list.push({ total: score.total, engagement: score.engagement, lastActivityAt: c.lastActivityAt });
    membersOf.set(c.accountDomain, list);
  }
  return {
    at: iso(at),
    contacts: [...contacts]
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .map((c) => {
        const row: Building<ReplayReport['contacts'][number]> = { email: c.email ?? null };
        if (c.email === undefined && c.externalId !== undefined) row.id = c.externalId;
        row.stage = c.stage;
        row.owner = c.owner ?? null;
        row.account = c.accountDomain ?? null;
        row.score = scores.get(c.key) ?? null;
        row.flags = [...c.flags].sort();
        row.history = historyByContact.get(c.key) ?? [];
        return row as ReplayReport['contacts'][number];
      }),
    assignments: assignments.map((a) => ({
      email: emailOf.get(a.contactKey) ?? null,
      kind: a.kind,
      owner: a.owner ?? null,
      queue: a.queue ?? null,
      team: a.team ?? null,
      rule: a.rule,
      at: iso(a.at),
      trace: a.trace,
    })),
    sla: clocks.map((c) => ({
      email: emailOf.get(c.contactKey) ?? null,
      name: c.name,
      startedAt: iso(c.startedAt),
      dueAt: iso(c.dueAt),
      status: c.status,
      metAt: c.metAt === undefined ? null : iso(c.metAt),
      breachedAt: c.breachedAt === undefined ? null : iso(c.breachedAt),
      clock: c.clockId,
      owner: c.owner ?? null,
      target: c.target,
      lateMs: lateAt(c),
      stoppedAt: c.stoppedAt === undefined ? null : iso(c.stoppedAt),
    })),
    // From the clocks' step records rather than the outbox: reassign and flag steps send no
    // message but are escalations all the same.
    escalations: clocks
      .flatMap((c) => c.steps.map((step) => ({ clock: c, step, email: emailOf.get(c.contactKey) ?? null })))
      .sort(
        (a, b) =>
          a.step.at - b.step.at ||
          compareText(a.email ?? `~${a.clock.contactKey}`, b.email ?? `~${b.clock.contactKey}`) ||
          compareText(a.clock.key, b.clock.key) ||
          a.step.index - b.step.index,
      )
      .map(({ clock, step, email }) => ({
        email,
        sla: clock.clockId,
        step: step.index,
        at: iso(step.at),
        action: step.action,
        to: step.to ?? null,
      })),
    tasks: [...tasks]
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || (a.key < b.key ? -1 : 1))
      .map((t) => ({
        email: emailOf.get(t.contactKey) ?? null,
        owner: t.assignee,
        title: t.title,
        dueAt: t.dueAt === undefined ? null : iso(t.dueAt),
        status: t.status,
      })),
    notifications: [...outbox]
      .filter((o) => typeof o.payload['to'] === 'string')
      .sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1))
      .map((o) => ({
        type: o.type,
        to: o.payload['to'] as string,
        at: iso(o.at),
        email: o.contactKey === undefined ? null : (emailOf.get(o.contactKey) ?? null),
      })),
    events: counts,
    rejected,
    mql: [...outbox]
      .filter((o) => o.type === 'mql')
      .sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1))
      .map((o) => ({
        email: o.contactKey === undefined ? null : (emailOf.get(o.contactKey) ?? null),
        at: iso(o.at),
        total: typeof o.payload['total'] === 'number' ? o.payload['total'] : 0,
        reason: typeof o.payload['reason'] === 'string' ? o.payload['reason'] : '',
      })),
    accounts: [...accounts]
      .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0))
      .map((a) => {
        const members = membersOf.get(a.domain) ?? [];
        const committee = scoring?.model.account.buyingCommittee;
        const engaged = committee === undefined ? 0 : engagedContacts(members, committee, at);
        return {
          domain: a.domain,
          owner: a.owner ?? null,
          contacts: a.contactCount,
          score: accountScore(
            members.map((m) => m.total),
            scoring?.model.account.rollup,
          ),
          engagedContacts: engaged,
          buyingCommittee: committee !== undefined && engaged >= committee.contacts,
        };
      }),
    deals: replayDeals(deals, engine.model, at, emailOf),
    approvals: approvals
      .slice()
      .sort((a, b) => a.requestedAt - b.requestedAt || compareText(a.id, b.id))
      .map((a) => ({
        id: a.id,
        deal: a.dealId,
        status: a.status,
        requestedAt: iso(a.requestedAt),
        dueAt: iso(a.dueAt),
        decidedAt: a.decidedAt === undefined ? null : iso(a.decidedAt),
        exceptions: a.exceptions.map((e) => ({ kind: e.kind, detail: e.detail })),
        steps: a.steps.map((step) => ({
          tier: step.tier,
          approvers: [...step.approvers],
          mode: step.mode,
          status: step.status,
          votes: step.votes.map((v) => ({
            approver: v.approver,
            decision: v.decision,
            at: iso(v.at),
            comment: v.comment ?? null,
          })),
        })),
        escalations: a.escalations.map((e) => ({ to: e.to, at: iso(e.at) })),
      })),
  };
}

/** Deals by id, with staleness judged at `at` (the stage limit or 2× the observed average). */
function replayDeals(
  deals: readonly DealState[],
  model: DecisionModel,
  at: Millis,
  emailOf: ReadonlyMap<string, string | null>,
): ReplayDeal[] {
  const averages = stageAverages(deals);
  return [...deals]
    .sort((a, b) => compareText(a.id, b.id))
    .map((d) => {
      const pipeline = model.pipeline?.pipelines.find((p) => p.id === d.pipeline);
      const stale = pipeline === undefined ? undefined : staleness(d, pipeline, at, model.addTime, averages);
      return {
        id: d.id,
        pipeline: d.pipeline,
        stage: d.stage,
        status: d.status,
        name: d.name ?? null,
        account: d.account ?? null,
        owner: d.owner ?? null,
        csOwner: d.csOwner ?? null,
        amount: d.amount ?? null,
        currency: d.currency,
        closeDate: d.closeDate ?? null,
        source: d.source ?? null,
        contacts: d.contacts.map((c) => ({ email: emailOf.get(c.contactKey) ?? null, role: c.role })),
        fields: d.fields,
        createdAt: iso(d.createdAt),
        closedAt: d.closedAt === undefined ? null : iso(d.closedAt),
        history: d.history.map((m) => ({
          stage: m.to,
          from: m.from ?? null,
          at: iso(m.at),
          cause: m.cause,
          skipped: [...m.skipped],
        })),
        pushes: d.pushes.map((p) => ({
          at: iso(p.at),
          from: p.from,
          to: p.to,
          slipDays: p.slipDays,
          reason: p.reason,
        })),
        flags: {
          skipped: [...d.flags.skipped],
          stale:
            stale === undefined
              ? null
              : {
                  stage: stale.stage,
                  since: iso(stale.since),
                  basis: stale.basis,
                  managerAlerted: stale.managerAlerted,
                },
          pushes: d.pushes.length,
          forecastReview: d.flags.forecastReview,
        },
      };
    });
}

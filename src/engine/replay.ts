/**
 * Replay: the whole engine over an event history with a simulated clock. Events run in time
 * order (file order for ties); before each event, timers due by then fire at their own due time;
 * after the last event, timers fire up to `at`. The report is the stable `replay --json` contract
 * (docs/replay.md): same config and events, byte-identical output.
 */
import { timeOrdered, type HistoryLine, type HistoryRejection } from './history.ts';
import { accountScore, engagedContacts, type EngagedContact } from '../core/scoring/account.ts';
import { scoreContactAt } from '../core/scoring/contactScore.ts';
import type { JsonObject, Millis } from '../core/types.ts';
import type { Engine } from './engine.ts';
import type { CatalogOptions } from './ingest.ts';
import type { SimulatedClock } from './clock.ts';

export type ReplayLine = HistoryLine;

export type ReplayRejection = HistoryRejection;

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
    readonly history: readonly { readonly stage: string; readonly at: string }[];
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
  readonly sla: readonly never[];
  readonly escalations: readonly never[];
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

  return report(
    engine,
    end,
    { accepted, duplicates, rejected: rejected.length },
    rejected.sort((a, b) => a.line - b.line),
  );
}

async function report(
  engine: Engine,
  at: Millis,
  counts: ReplayReport['events'],
  rejected: ReplayRejection[],
): Promise<ReplayReport> {
  const store = engine.store;
  const [contacts, accounts, history, tasks, outbox, assignments] = await Promise.all([
    store.listContacts(),
    store.listAccounts(),
    store.stageHistory(),
    store.listTasks(),
    store.listOutbox(),
    store.listAssignments(),
  ]);
  const historyByContact = new Map<string, { stage: string; at: string }[]>();
  for (const change of history) {
    const list = historyByContact.get(change.contactKey) ?? [];
    list.push({ stage: change.to, at: iso(change.at) });
    historyByContact.set(change.contactKey, list);
  }
  const emailOf = new Map(contacts.map((c) => [c.key, c.email ?? null]));
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
      .map((c) => ({
        email: c.email ?? null,
        ...(c.email === undefined && c.externalId !== undefined ? { id: c.externalId } : {}),
        stage: c.stage,
        owner: c.owner ?? null,
        account: c.accountDomain ?? null,
        score: scores.get(c.key) ?? null,
        flags: [...c.flags].sort(),
        history: historyByContact.get(c.key) ?? [],
      })),
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
    sla: [],
    escalations: [],
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
  };
}

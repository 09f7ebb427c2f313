/**
 * Lead facts: the narrow rows the lead-side metrics are counted from, derived per contact from its
 * state, stage history, touches and speed-to-lead clocks. A report over a range needs only the facts
 * whose instant lies in it (leads created in it, MQL entries and stays that ended in it) plus the
 * open stays, so the store can keep them as indexed roll-up tables (`metric_*`) and a report reads
 * those instead of every contact's whole history. The in-memory path (`funnelMetrics(input, …)`)
 * derives the same facts from a `MetricsInput`, so both paths share one aggregation.
 *
 * Facts depend on the config only through `factsFingerprint(model)`: the funnel ranks, the
 * recycling stage, the speed-to-lead clock and the company's zone. Anything else (benchmarks,
 * quotas, spend) is applied when a report is computed.
 */
import type { SlaClock } from '../sla/model.ts';
import type { Weekday } from '../time/localDay.ts';
import type { ContactKey, ContactState, Millis, StageChange, Touch } from '../types.ts';
import { entriesInto, rankReached, rejectionCode, sourceOf } from './context.ts';
import { sum } from './figures.ts';
import type { MetricsInput, MetricsModel } from './model.ts';

/** One contact as the funnel counts it. */
export interface LeadFact {
  readonly key: ContactKey;
  readonly createdAt: Millis;
  /** `contact.source`, `unknown` when unset. */
  readonly source: string;
  readonly owner?: string;
  /** The highest funnel rank ever reached (0 lead … 4 customer); -1 for none. */
  readonly rank: number;
  /** Reason codes of the contact's sales rejections, in time order (a code may repeat). */
  readonly rejections: readonly string[];
}

/** One entry into MQL, with what followed it until the contact's next MQL entry. */
export interface MqlEntryFact {
  readonly key: ContactKey;
  readonly source: string;
  readonly owner?: string;
  readonly at: Millis;
  /** The next MQL entry of the same contact; `Infinity` when none. */
  readonly until: Millis;
  /** The contact had been in the recycling stage before this entry. */
  readonly recycled: boolean;
  /** The first rep touch in [at, until). */
  readonly firstTouchAt?: Millis;
  /** The speed-to-lead clock started in [at, until): false when one breached, else true when one was met. */
  readonly clockVerdict?: boolean;
  /** Reached SQL (or a later funnel stage) in [at, until). */
  readonly reachedSql: boolean;
  /**
   * What sales decided in [at, until): true accepted (reached SQL or later before any rejection),
   * false rejected (a sales rejection first); absent while pending.
   */
  readonly decision?: boolean;
  /** Local hour (0–23) and weekday of `at` in the company's zone. */
  readonly hour: number;
  readonly weekday: Weekday;
}

/** One stay in a lifecycle stage: from one stage-history row to the next. */
export interface StayFact {
  readonly key: ContactKey;
  readonly source: string;
  readonly owner?: string;
  readonly stage: string;
  readonly enteredAt: Millis;
  /** When the next row moved the contact on; absent while the stay is open. */
  readonly leftAt?: Millis;
}

/** Everything one contact contributes. */
export interface LeadFacts {
  readonly lead: LeadFact;
  readonly mqlEntries: readonly MqlEntryFact[];
  readonly stays: readonly StayFact[];
}

/** Leads of a cohort that look the same to the funnel, counted (`count` leads). */
export interface LeadCount {
  readonly source: string;
  readonly owner?: string;
  readonly rank: number;
  readonly rejections: readonly string[];
  readonly count: number;
}

/** The open stays of one stage as of `now`, after the report's filters. */
export interface OpenStaySummary {
  readonly count: number;
  /** The median age, unrounded; null without open stays. */
  readonly medianAgeMs: number | null;
  /** Open stays older than the stage's p90 of the range's closed stays (0 without a p90). */
  readonly pastP90: number;
}

/**
 * MQL entries of a range that look the same to speed to lead, counted: the local hour and weekday
 * of the entry, the response class (index into speedToLead.ts `RESPONSE_BUCKETS`; null when not contacted), the
 * verdict and who gave it.
 */
export interface SpeedToLeadCount {
  readonly hour: number;
  readonly weekday: Weekday;
  readonly response: number | null;
  /** true within the SLA, false missed, null pending (not judged yet). */
  readonly within: boolean | null;
  /** The verdict came from the speed-to-lead clock (false when pending). */
  readonly byClock: boolean;
  readonly count: number;
  /** The sum of the response times of the contacted ones, ms. */
  readonly totalMs: number;
  /** How many reached SQL (or later) before the next MQL entry. */
  readonly sqls: number;
}

/**
 * Everything the speed-to-lead report needs of a range's MQL entries (filters applied): the
 * entries counted by `SpeedToLeadCount`'s dimensions, and the exact medians (unrounded; null when
 * nobody was contacted) of the response times, over all and by local hour (0–23) and weekday. The
 * store answers it in SQL; in memory it is `summariseSpeedToLead`.
 */
export interface SpeedToLeadSummary {
  readonly counts: readonly SpeedToLeadCount[];
  readonly medianMs: number | null;
  /** 24 entries, hour 0 first. */
  readonly medianByHour: readonly (number | null)[];
  /** 7 entries, in `WEEKDAYS` order (Monday first). */
  readonly medianByWeekday: readonly (number | null)[];
}

/** What a report over a range reads from the facts. */
export interface MetricsFacts {
  /** The cohort (leads created in the range), grouped; the team and source filters not applied yet. */
  readonly leads: readonly LeadCount[];
  /** MQL entries in the range (before the filters). */
  readonly mqlEntries: readonly MqlEntryFact[];
  /** The stays that closed in the range summed up by stage, filtered, zero lengths left out. */
  readonly closedStays: ReadonlyMap<string, LengthSummary>;
  /** Open stays by stage, filtered, with the p90s of `closedStays` (`stayP90s`). */
  readonly openStays: ReadonlyMap<string, OpenStaySummary>;
  /**
   * Speed to lead of the range, filtered, when the store counted it (then `mqlEntries` need not
   * hold every entry); absent: it is counted from `mqlEntries`.
   */
  readonly speedToLead?: SpeedToLeadSummary;
}

/**
 * Stay lengths of one stage summed up: what time in stage reports. The store answers it from day
 * roll-ups and an exact lookup of the ranked lengths; in memory it is `summariseLengths`.
 */
export interface LengthSummary {
  readonly count: number;
  /** The sum of the lengths, in milliseconds. */
  readonly totalMs: number;
  /** The median (the mean of the two middle lengths for an even count), unrounded. */
  readonly medianMs: number;
  /** The nearest-rank 90th percentile. */
  readonly p90Ms: number;
}

/** The ranks (1-based, ascending) a `LengthSummary` of `count` lengths reads: the median's and the p90's. */
export function summaryRanks(count: number): { readonly median: readonly number[]; readonly p90: number } {
  const mid = count >> 1;
  return {
    median: count % 2 === 1 ? [mid + 1] : [mid, mid + 1],
    p90: Math.max(1, Math.ceil(0.9 * count)),
  };
}

/** The summary of some lengths (any order); undefined for none. */
export function summariseLengths(lengths: readonly number[]): LengthSummary | undefined {
  if (lengths.length === 0) return undefined;
  const sorted = [...lengths].sort((a, b) => a - b);
  return summaryOf(sorted.length, sum(sorted), (rank) => sorted[rank - 1] as number);
}

/** A summary from the count, the total and a lookup of the length at a 1-based rank. */
export function summaryOf(count: number, totalMs: number, at: (rank: number) => number): LengthSummary {
  const ranks = summaryRanks(count);
  const middle = ranks.median.map(at);
  return {
    count,
    totalMs,
    medianMs:
      middle.length === 1 ? (middle[0] as number) : ((middle[0] as number) + (middle[1] as number)) / 2,
    p90Ms: at(ranks.p90),
  };
}

/**
 * The roll-up bucket of a positive length: 8 buckets per power of two (each about 9 % wide),
 * computed on integers so that a longer length never lands in a lower bucket. The store counts
 * stays by day and bucket and finds a ranked length inside its one bucket.
 */
export function lengthBucket(length: number): number {
  const whole = Math.floor(length);
  if (whole < 1) return -1;
  let exponent = Math.floor(Math.log2(whole));
  while (2 ** exponent > whole) exponent--;
  while (2 ** (exponent + 1) <= whole) exponent++;
  const base = 2 ** exponent;
  return exponent * 8 + Math.floor(((whole - base) * 8) / base);
}

/**
 * The one whole length a `lengthBucket` holds, when it holds only one (every bucket under 16 ms:
 * there a power of two has at most 8 whole lengths for its 8 buckets); undefined otherwise.
 */
export function soleLength(bucket: number): number | undefined {
  if (bucket < 0) return undefined;
  const exponent = Math.floor(bucket / 8);
  const base = 2 ** exponent;
  const part = bucket % 8;
  // The whole lengths w with floor((w - base) * 8 / base) = part: [base + ⌈part·base/8⌉, base + ⌈(part+1)·base/8⌉).
  const low = base + Math.ceil((part * base) / 8);
  const high = base + Math.ceil(((part + 1) * base) / 8);
  return high - low === 1 ? low : undefined;
}

/** The facts of every contact (the in-memory path). */
export interface AllFacts {
  readonly leads: readonly LeadFact[];
  readonly mqlEntries: readonly MqlEntryFact[];
  readonly stays: readonly StayFact[];
}

/** The cohort of [from, to) as counted groups, one per lead (the in-memory path). */
export function cohortOf(leads: readonly LeadFact[], from: Millis, to: Millis): LeadCount[] {
  const out: LeadCount[] = [];
  for (const lead of leads) {
    if (lead.createdAt < from || lead.createdAt >= to) continue;
    const group = { source: lead.source, rank: lead.rank, rejections: lead.rejections, count: 1 };
    out.push(lead.owner === undefined ? group : Object.assign(group, { owner: lead.owner }));
  }
  return out;
}

/** What the facts depend on in the config; a stored roll-up built under another is rebuilt. */
export function factsFingerprint(model: MetricsModel, timezone: string): string {
  const ranks = Object.entries(model.funnelRank)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([stage, rank]) => `${stage}=${rank}`)
    .join(',');
  return `v1|${ranks}|recycling=${model.recyclingStage ?? ''}|clock=${model.speedToLeadClock ?? ''}|tz=${timezone}`;
}

/**
 * Sales' decision about the MQL entry [at, until): the first change in it that reaches SQL (or a
 * later funnel stage) accepts it, a sales rejection rejects it; undefined while neither happened.
 */
export function salesDecision(
  history: readonly StageChange[],
  entry: { readonly at: Millis; readonly until: Millis },
  model: MetricsModel,
  sqlRank: number,
): boolean | undefined {
  for (const c of history) {
    if (c.at < entry.at || c.at >= entry.until) continue;
    if (rejectionCode(c) !== undefined) return false;
    if ((model.funnelRank[c.to] ?? -1) >= sqlRank) return true;
  }
  return undefined;
}

function clockVerdict(clocks: readonly SlaClock[], at: Millis, until: Millis): boolean | undefined {
  let met = false;
  for (const c of clocks) {
    if (c.startedAt < at || c.startedAt >= until) continue;
    if (c.status === 'breached') return false;
    if (c.status === 'met') met = true;
  }
  return met ? true : undefined;
}

/**
 * The contact fields `leadFactsOf` reads. A write that changes none of them leaves the contact's
 * facts as they were — a page view moves the score, the activity times and the counts, nothing
 * here — so the store marks a contact for a facts refresh only when one of these changed (or its
 * stage history, touches or clocks were written). Reading another field in `leadFactsOf` means
 * adding it here: facts.properties.test.ts fails until then.
 */
export const LEAD_FACT_FIELDS = [
  'key',
  'owner',
  'stage',
  'createdAt',
  'attributes',
] as const satisfies readonly (keyof ContactState)[];

/**
 * The facts of one contact. `history` and `touches` are the contact's own, in time order;
 * `speedClocks` its clocks of `model.speedToLeadClock` (any order; ignored without that clock).
 */
export function leadFactsOf(
  contact: ContactState,
  history: readonly StageChange[],
  touches: readonly Touch[],
  speedClocks: readonly SlaClock[],
  model: MetricsModel,
): LeadFacts {
  const source = sourceOf(contact);
  const owner = contact.owner;
  const base = owner === undefined ? { key: contact.key, source } : { key: contact.key, source, owner };
  const rejections: string[] = [];
  for (const change of history) {
    const code = rejectionCode(change);
    if (code !== undefined) rejections.push(code);
  }
  const lead: LeadFact = Object.assign({}, base, {
    createdAt: contact.createdAt,
    rank: rankReached(contact, history, model),
    rejections,
  });
  const sqlRank = model.funnelRank['sql'] ?? 2;
  const clocks = model.speedToLeadClock === undefined ? [] : speedClocks;
  const mqlEntries = entriesInto(history, 'mql', model.recyclingStage).map((entry): MqlEntryFact => {
    const first = touches.find((t) => t.at >= entry.at && t.at < entry.until);
    const verdict = clockVerdict(clocks, entry.at, entry.until);
    const decided = salesDecision(history, entry, model, sqlRank);
    const local = model.localTime(entry.at);
    const fact: MqlEntryFact = Object.assign({}, base, {
      at: entry.at,
      until: entry.until,
      recycled: entry.recycled,
      reachedSql: history.some(
        (c) => c.at >= entry.at && c.at < entry.until && (model.funnelRank[c.to] ?? -1) >= sqlRank,
      ),
      hour: Math.floor(local.minuteOfDay / 60),
      weekday: local.weekday,
    });
    return Object.assign(
      fact,
      first === undefined ? {} : { firstTouchAt: first.at },
      verdict === undefined ? {} : { clockVerdict: verdict },
      decided === undefined ? {} : { decision: decided },
    );
  });
  const stays = history.map((change, i): StayFact => {
    const next = history[i + 1];
    const stay = Object.assign({}, base, { stage: change.to, enteredAt: change.at });
    return next === undefined ? stay : Object.assign(stay, { leftAt: next.at });
  });
  return { lead, mqlEntries, stays };
}

function grouped<T extends { readonly contactKey: ContactKey }>(rows: readonly T[]): Map<ContactKey, T[]> {
  const byKey = new Map<ContactKey, T[]>();
  for (const row of rows) {
    const list = byKey.get(row.contactKey);
    if (list === undefined) byKey.set(row.contactKey, [row]);
    else list.push(row);
  }
  return byKey;
}

const byTime = <T extends { readonly at: Millis }>(rows: T[]): T[] => rows.sort((a, b) => a.at - b.at);

const memo = new WeakMap<MetricsInput, WeakMap<MetricsModel, AllFacts>>();

/**
 * The facts of every contact of `input` (memoised per input and model). Rows of one contact at
 * the same instant keep their recorded order.
 */
export function factsOfInput(input: MetricsInput, model: MetricsModel): AllFacts {
  let perModel = memo.get(input);
  if (perModel === undefined) {
    perModel = new WeakMap();
    memo.set(input, perModel);
  }
  const found = perModel.get(model);
  if (found !== undefined) return found;
  const history = grouped(input.history);
  const touches = grouped(input.touches);
  const clocks = grouped(
    model.speedToLeadClock === undefined
      ? []
      : input.clocks.filter((c) => c.clockId === model.speedToLeadClock),
  );
  const leads: LeadFact[] = [];
  const mqlEntries: MqlEntryFact[] = [];
  const stays: StayFact[] = [];
  for (const contact of input.contacts) {
    const facts = leadFactsOf(
      contact,
      byTime(history.get(contact.key) ?? []),
      byTime(touches.get(contact.key) ?? []),
      clocks.get(contact.key) ?? [],
      model,
    );
    leads.push(facts.lead);
    mqlEntries.push(...facts.mqlEntries);
    stays.push(...facts.stays);
  }
  const facts = { leads, mqlEntries, stays };
  perModel.set(model, facts);
  return facts;
}

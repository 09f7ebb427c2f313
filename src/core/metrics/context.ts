/**
 * What every area starts from: the query checked, the input indexed once (per input object) by
 * contact, and the filters. A lead's source is its `contact.source` attribute (the value, not the
 * attribute's provenance, which names the system that sent it); `unknown` when it has none. The team
 * filter keeps leads, deals and clocks whose current owner is a member of the team (unowned ones
 * drop out).
 */
import { RevopsError } from '../errors.ts';
import type { DealState } from '../pipeline/types.ts';
import type { ContactKey, ContactState, Millis, StageChange, Touch } from '../types.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

export const UNKNOWN_SOURCE = 'unknown';
/** The reason prefix a sales rejection writes into stage history (`sales_decision reject FIT-01 (…)`). */
const REJECTION = /^sales_decision reject (\S+)/;

interface Indexes {
  readonly contacts: ReadonlyMap<ContactKey, ContactState>;
  readonly history: ReadonlyMap<ContactKey, readonly StageChange[]>;
  readonly touches: ReadonlyMap<ContactKey, readonly Touch[]>;
}

const memo = new WeakMap<MetricsInput, Indexes>();

function grouped<T extends { readonly contactKey: ContactKey; readonly at: Millis }>(
  rows: readonly T[],
): Map<ContactKey, T[]> {
  const byKey = new Map<ContactKey, T[]>();
  for (const row of rows) {
    const list = byKey.get(row.contactKey);
    if (list === undefined) byKey.set(row.contactKey, [row]);
    else list.push(row);
  }
  // Array.prototype.sort is stable: rows at the same instant keep their recorded order.
  for (const list of byKey.values()) list.sort((a, b) => a.at - b.at);
  return byKey;
}

function indexes(input: MetricsInput): Indexes {
  let found = memo.get(input);
  if (found === undefined) {
    found = {
      contacts: new Map(input.contacts.map((c) => [c.key, c])),
      history: grouped(input.history),
      touches: grouped(input.touches),
    };
    memo.set(input, found);
  }
  return found;
}

export interface Context {
  readonly input: MetricsInput;
  readonly model: MetricsModel;
  readonly query: MetricsQuery;
  readonly now: Millis;
  readonly contact: (key: ContactKey) => ContactState | undefined;
  /** The contact's stage changes in time order. */
  readonly historyOf: (key: ContactKey) => readonly StageChange[];
  /** The contact's touches in time order. */
  readonly touchesOf: (key: ContactKey) => readonly Touch[];
  /** Whether `at` lies in [from, to). */
  readonly inWindow: (at: Millis) => boolean;
  /** Whether an owner passes the team filter (always, without one). */
  readonly ownerIn: (owner: string | undefined) => boolean;
  /** Whether a contact passes the source and team filters. */
  readonly contactIn: (contact: ContactState) => boolean;
  /** Whether the contact of `key` passes the source filter (an unknown key passes only without one). */
  readonly sourceIn: (key: ContactKey) => boolean;
  readonly dealIn: (deal: DealState) => boolean;
}

/** A fact's contact as the filters see it: its current owner and lead source. */
export interface Filtered {
  readonly source: string;
  readonly owner?: string;
}

/**
 * The source and team filters of `query` over facts (the same test `Context.contactIn` makes on a
 * contact). Throws `metrics.invalid_range` for an empty range.
 */
export function factFilter(model: MetricsModel, query: MetricsQuery): (fact: Filtered) => boolean {
  checkQuery(query);
  const members = query.team === undefined ? undefined : new Set(model.teams[query.team] ?? []);
  const source = query.source;
  return (fact) =>
    (members === undefined || (fact.owner !== undefined && members.has(fact.owner))) &&
    (source === undefined || fact.source === source);
}

/** The earliest instant a range may start at: 1970-01-01, before any event the engine holds. */
export const EARLIEST_METRICS_TIME = 0;
/** The latest instant a range may end at: the start of the year 10000 (dates have four-digit years). */
export const LATEST_METRICS_TIME = Date.UTC(10000, 0, 1);
/** The longest range, in days (~20 years): a weekly report over it still has ~1,000 rows. */
export const MAX_METRICS_DAYS = 7305;

const DAY_MS = 86_400_000;

/**
 * Why a non-empty range [from, to) cannot be measured: outside 1970–9999 (dates have four-digit
 * years) or longer than `MAX_METRICS_DAYS`; undefined when it can.
 */
export function rangeBoundsProblem(from: Millis, to: Millis): string | undefined {
  if (from < EARLIEST_METRICS_TIME || to > LATEST_METRICS_TIME) {
    return `the range ${new Date(from).toISOString()} to ${new Date(to).toISOString()} is outside 1970-01-01 to 9999-12-31`;
  }
  if (to - from > MAX_METRICS_DAYS * DAY_MS) {
    const days = (n: number): string => n.toLocaleString('en-US');
    return `the range is ${days(Math.ceil((to - from) / DAY_MS))} days long; at most ${days(MAX_METRICS_DAYS)} (about 20 years)`;
  }
  return undefined;
}

/**
 * Throws `metrics.invalid_range` unless `from` < `to`, both finite, within 1970–9999 and at most
 * `MAX_METRICS_DAYS` apart.
 */
export function checkQuery(query: MetricsQuery): void {
  const { from, to } = query;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    throw new RevopsError(
      'metrics.invalid_range',
      `the range [${from}, ${to}) is empty or not a time range`,
      {
        hint: 'give `from` before `to`, as ISO times with a zone or epoch milliseconds',
      },
    );
  }
  const problem = rangeBoundsProblem(from, to);
  if (problem !== undefined) {
    throw new RevopsError('metrics.invalid_range', problem, {
      hint: 'ask for a shorter range between 1970 and 9999, or several in turn',
    });
  }
}

/** The lead source of a contact (`contact.source`), `unknown` when not set. */
export function sourceOf(contact: ContactState | undefined): string {
  const value = contact?.attributes['source']?.value;
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNKNOWN_SOURCE;
}

/** The reason code of a sales rejection recorded in stage history, else undefined. */
export function rejectionCode(change: StageChange): string | undefined {
  return REJECTION.exec(change.reason)?.[1];
}

/** The highest funnel rank the contact ever reached (history and current stage); -1 for none. */
export function rankReached(
  contact: ContactState,
  history: readonly StageChange[],
  model: MetricsModel,
): number {
  let rank = model.funnelRank[contact.stage] ?? -1;
  for (const change of history) rank = Math.max(rank, model.funnelRank[change.to] ?? -1);
  return rank;
}

/** The context of one computation. Throws `metrics.invalid_range` for an empty range. */
export function createContext(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): Context {
  checkQuery(query);
  const ix = indexes(input);
  const members = query.team === undefined ? undefined : new Set(model.teams[query.team] ?? []);
  const ownerIn = (owner: string | undefined): boolean =>
    members === undefined || (owner !== undefined && members.has(owner));
  const contactIn = (contact: ContactState): boolean =>
    ownerIn(contact.owner) && (query.source === undefined || sourceOf(contact) === query.source);
  return {
    input,
    model,
    query,
    now,
    contact: (key) => ix.contacts.get(key),
    historyOf: (key) => ix.history.get(key) ?? [],
    touchesOf: (key) => ix.touches.get(key) ?? [],
    inWindow: (at) => at >= query.from && at < query.to,
    ownerIn,
    contactIn,
    sourceIn: (key) => {
      if (query.source === undefined) return true;
      const contact = ix.contacts.get(key);
      return contact !== undefined && sourceOf(contact) === query.source;
    },
    dealIn: (deal) =>
      ownerIn(deal.owner) && (query.source === undefined || (deal.source ?? UNKNOWN_SOURCE) === query.source),
  };
}

/** One entry into a stage, with the time the contact's next entry into the same stage (or Infinity). */
export interface StageEntry {
  readonly contactKey: ContactKey;
  readonly at: Millis;
  readonly until: Millis;
  /** The contact had been in the recycling stage before this entry. */
  readonly recycled: boolean;
}

/** Every entry into `stage` of one contact's history, in time order. */
export function entriesInto(
  history: readonly StageChange[],
  stage: string,
  recyclingStage?: string,
): StageEntry[] {
  const entries: StageEntry[] = [];
  let recycled = false;
  for (const change of history) {
    if (change.to === stage) {
      const previous = entries[entries.length - 1];
      if (previous !== undefined)
        entries[entries.length - 1] = Object.assign({}, previous, { until: change.at });
      entries.push({ contactKey: change.contactKey, at: change.at, until: Infinity, recycled });
    }
    if (recyclingStage !== undefined && change.to === recyclingStage) recycled = true;
  }
  return entries;
}

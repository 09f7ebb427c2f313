/**
 * Scoring memory: the compact, JSON-serialisable record per contact of what scoring needs, so a
 * contact is rescored from it and `now` without re-reading its events. `observe` folds one event
 * in; nothing here knows the time of day: decay is computed from `now` when scoring.
 *
 * Bounded: each signal keeps only the occurrence times that can still change its points (the
 * latest one for `once`, the latest `atLeast` for counts, the latest `max` for `each`, at most
 * `MAX_KEPT` otherwise), page categories at most `MAX_CATEGORIES`.
 *
 * The memory belongs to one model: signal, fast-track and negative rule ids are its keys. After a
 * model change, rebuild it by observing the contact's events again.
 */
import type { Building } from '../building.ts';
import type { RuleContext } from '../rule.ts';
import type { InboundEvent, Millis } from '../types.ts';
import { activeDecay, DAY, durationMs, decayedPoints } from './decay.ts';
import type { NegativeRuleModel, ScoringModel, SignalModel } from './model.ts';
import { candidateSignals } from './signalIndex.ts';

/** Occurrences kept per signal when nothing smaller bounds it (`each` without `max`). */
export const MAX_KEPT = 256;
/** Distinct page categories remembered for `onlyVisited`; past it, "only" can no longer hold. */
export const MAX_CATEGORIES = 32;

/** Events that are not the lead's own behaviour (as the engine's contact decision counts them). */
export const NOT_ACTIVITY: ReadonlySet<string> = new Set(['identify', 'rep_activity', 'sales_decision']);

/** Email actions that are remembered as flags whatever the model says. */
export const EMAIL_FLAGS = ['unsubscribe', 'bounce_hard', 'spam_complaint'] as const;
export type EmailFlag = (typeof EMAIL_FLAGS)[number];

export interface SignalMemory {
  /** Occurrence times still needed, ascending; with `distinctDays`, the latest per UTC day. */
  readonly times: readonly Millis[];
  /** Occurrences dropped from `times` (all older) that still count: `each` without `max`. */
  readonly dropped?: number;
  /** With `count.within`: the latest occurrence that completed a window. */
  readonly qualifiedAt?: Millis;
}

export interface ScoringMemory {
  readonly version: 1;
  /** `memoryFingerprint` of the model that observed the events; another model must rebuild it. */
  readonly model?: string;
  /** The earliest event observed: "creation" for inactivity rules when the caller gives none. */
  readonly firstSeenAt?: Millis;
  /** The latest behavioural event (anything but identify, rep activity, sales decisions). */
  readonly lastActivityAt?: Millis;
  /** Engagement reset (recycling): occurrences and fast-track hits before it do not count. */
  readonly resetAt?: Millis;
  /** Per engagement signal id. */
  readonly signals: Readonly<Record<string, SignalMemory>>;
  /** Per fast-track id: the latest hit. */
  readonly fastTrack: Readonly<Record<string, Millis>>;
  /** Per behaviour negative rule id (`event`/`on`, no `inactiveFor`): the first matching event. */
  readonly negativeHits: Readonly<Record<string, Millis>>;
  /** Per inactivity rule id with `event`/`on`: the latest matching event. */
  readonly activity: Readonly<Record<string, Millis>>;
  /** Page categories ever viewed, sorted (a page view without one counts as `other`). */
  readonly pageCategories: readonly string[];
  /** More distinct categories than `MAX_CATEGORIES` were viewed. */
  readonly manyCategories?: true;
  /** Email unsubscribe, hard bounce and spam complaint: the first time each happened. */
  readonly emailFlags: Readonly<Partial<Record<EmailFlag, Millis>>>;
}

export function emptyMemory(): ScoringMemory {
  return {
    version: 1,
    signals: {},
    fastTrack: {},
    negativeHits: {},
    activity: {},
    pageCategories: [],
    emailFlags: {},
  };
}

/**
 * Folds one event into the memory. `context` is the rule context of the event (`ruleContext(contact,
 * account, event, …)`), against which signal `when`, fast-track `when` and negative `on` conditions
 * are evaluated. Pure; returns a new memory.
 */
export function observe(
  memory: ScoringMemory,
  event: InboundEvent,
  context: RuleContext,
  model: ScoringModel,
): ScoringMemory {
  const at = event.at;
  const counts = memory.resetAt === undefined || at >= memory.resetAt;

  let signals = memory.signals;
  let fastTrack = memory.fastTrack;
  if (counts) {
    const { matched, toEvaluate } = candidateSignals(model.engagement.signals, event);
    const hits = [...matched, ...toEvaluate.filter((signal) => signal.when?.evaluate(context) ?? true)];
    if (hits.length > 0) {
      const next = { ...signals };
      for (const signal of hits) next[signal.id] = addOccurrence(next[signal.id], signal, at);
      signals = next;
    }
    for (const fast of model.fastTrack) {
      if (fast.event !== event.type || !(fast.when?.evaluate(context) ?? true)) continue;
      fastTrack = Object.assign({}, fastTrack, { [fast.id]: Math.max(fastTrack[fast.id] ?? at, at) });
    }
  }

  let negativeHits = memory.negativeHits;
  let activity = memory.activity;
  for (const rule of model.negative) {
    if (!behaviourMatches(rule, event, context)) continue;
    if (rule.inactiveFor !== undefined) {
      activity = Object.assign({}, activity, { [rule.id]: Math.max(activity[rule.id] ?? at, at) });
    } else {
      negativeHits = Object.assign({}, negativeHits, {
        [rule.id]: Math.min(negativeHits[rule.id] ?? at, at),
      });
    }
  }

  let pageCategories = memory.pageCategories;
  let manyCategories = memory.manyCategories === true;
  if (event.type === 'page_view') {
    const raw = event.properties['category'];
    const category = typeof raw === 'string' && raw.length > 0 ? raw.toLowerCase() : 'other';
    if (!pageCategories.includes(category)) {
      if (pageCategories.length >= MAX_CATEGORIES) manyCategories = true;
      else pageCategories = [...pageCategories, category].sort();
    }
  }

  let emailFlags = memory.emailFlags;
  const action = event.properties['action'];
  if (event.type === 'email' && isEmailFlag(action)) {
    emailFlags = Object.assign({}, emailFlags, { [action]: Math.min(emailFlags[action] ?? at, at) });
  }

  const lastActivityAt = NOT_ACTIVITY.has(event.type)
    ? memory.lastActivityAt
    : Math.max(memory.lastActivityAt ?? at, at);
  const next: Building<ScoringMemory> = { version: 1 };
  if (memory.model !== undefined) next.model = memory.model;
  next.firstSeenAt = Math.min(memory.firstSeenAt ?? at, at);
  if (lastActivityAt !== undefined) next.lastActivityAt = lastActivityAt;
  if (memory.resetAt !== undefined) next.resetAt = memory.resetAt;
  next.signals = signals;
  next.fastTrack = fastTrack;
  next.negativeHits = negativeHits;
  next.activity = activity;
  next.pageCategories = pageCategories;
  if (manyCategories) next.manyCategories = true;
  next.emailFlags = emailFlags;
  return next as ScoringMemory;
}

/**
 * What the memory depends on, as a short hash: which events each signal, fast-track and behaviour
 * rule remembers and how much of them. Points, decay, weights, thresholds and fit rules are not
 * part of it — changing those needs a rescore, not a rebuild from events.
 */
export function memoryFingerprint(model: ScoringModel): string {
  const parts = {
    signals: model.engagement.signals.map((s) => [
      s.id,
      s.event,
      s.when?.source ?? null,
      s.frequency,
      s.max ?? null,
      s.count === undefined ? null : [s.count.atLeast, s.count.within?.source ?? null, s.count.distinctDays],
    ]),
    fastTrack: model.fastTrack.map((f) => [f.id, f.event, f.when?.source ?? null]),
    negative: model.negative
      .filter((n) => n.event !== undefined || n.on !== undefined)
      .map((n) => [n.id, n.event ?? null, n.on?.source ?? null, n.inactiveFor === undefined]),
  };
  return `m1-${fnv1a64(JSON.stringify(parts))}`;
}

/** FNV-1a, 64 bits, as 16 hex digits. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Folds many events in time order (ties keep their given order). */
export function observeAll(
  memory: ScoringMemory,
  items: readonly { readonly event: InboundEvent; readonly context: RuleContext }[],
  model: ScoringModel,
): ScoringMemory {
  const sorted = items.map((item, index) => ({ item, index }));
  sorted.sort((a, b) => a.item.event.at - b.item.event.at || a.index - b.index);
  return sorted.reduce((m, { item }) => observe(m, item.event, item.context, model), memory);
}

/**
 * Engagement reset (recycling): from `at` on, only later occurrences and fast-track hits count.
 * Fit, negative behaviour, activity and page history are kept.
 */
export function resetEngagement(memory: ScoringMemory, at: Millis): ScoringMemory {
  const resetAt = Math.max(memory.resetAt ?? at, at);
  const signals: Record<string, SignalMemory> = {};
  for (const [id, signal] of Object.entries(memory.signals)) {
    const times = signal.times.filter((t) => t >= resetAt);
    if (times.length === 0) continue;
    signals[id] = {
      times,
      ...(signal.qualifiedAt !== undefined && signal.qualifiedAt >= resetAt
        ? { qualifiedAt: signal.qualifiedAt }
        : {}),
    };
  }
  const fastTrack: Record<string, Millis> = {};
  for (const [id, hit] of Object.entries(memory.fastTrack)) if (hit >= resetAt) fastTrack[id] = hit;
  return Object.assign({}, memory, { resetAt, signals, fastTrack });
}

function isEmailFlag(value: unknown): value is EmailFlag {
  return typeof value === 'string' && (EMAIL_FLAGS as readonly string[]).includes(value);
}

/** Whether an event is the behaviour a negative rule watches (`event` and/or `on`). */
function behaviourMatches(rule: NegativeRuleModel, event: InboundEvent, context: RuleContext): boolean {
  if (rule.event === undefined && rule.on === undefined) return false;
  if (rule.event !== undefined && rule.event !== event.type) return false;
  return rule.on?.evaluate(context) ?? true;
}

/** How many occurrences a signal keeps, and whether dropped ones still count. */
function retention(signal: SignalModel): { readonly keep: number; readonly countDropped: boolean } {
  const decay = activeDecay(signal.decay);
  const atLeast = signal.count?.atLeast ?? 1;
  if (signal.frequency === 'once') return { keep: atLeast, countDropped: false };
  const perOccurrence = signal.max ?? MAX_KEPT;
  return {
    keep: Math.max(atLeast, perOccurrence),
    countDropped: signal.max === undefined && decay?.from !== 'occurrence',
  };
}

/** Adds one occurrence, keeping only what can still matter. */
export function addOccurrence(
  current: SignalMemory | undefined,
  signal: SignalModel,
  at: Millis,
): SignalMemory {
  const count = signal.count;
  let times = insertSorted(current?.times ?? [], at);
  if (count?.distinctDays === true) times = latestPerDay(times);

  let qualifiedAt = current?.qualifiedAt;
  if (count?.within !== undefined) {
    const completed = latestCompletion(times, count.atLeast, durationMs(count.within));
    if (completed !== undefined) qualifiedAt = Math.max(qualifiedAt ?? completed, completed);
  }

  const { keep, countDropped } = retention(signal);
  let dropped = current?.dropped ?? 0;
  if (times.length > keep) {
    if (countDropped) dropped += times.length - keep;
    times = times.slice(times.length - keep);
  }

  // `each` decaying from the occurrence, without counts: drop occurrences fully decayed by the
  // time of the latest one (scoring happens at or after the latest event).
  const decay = activeDecay(signal.decay);
  const latest = times[times.length - 1];
  if (
    signal.frequency === 'each' &&
    count === undefined &&
    decay?.from === 'occurrence' &&
    latest !== undefined
  ) {
    const period = durationMs(decay.every);
    times = times.filter((t) => decayedPoints(signal.points, decay, Math.floor((latest - t) / period)) > 0);
  }

  const kept: Building<SignalMemory> = { times };
  if (dropped > 0) kept.dropped = dropped;
  if (qualifiedAt !== undefined) kept.qualifiedAt = qualifiedAt;
  return kept as SignalMemory;
}

function insertSorted(times: readonly Millis[], at: Millis): Millis[] {
  const out = [...times];
  let i = out.length;
  while (i > 0 && (out[i - 1] ?? 0) > at) i--;
  out.splice(i, 0, at);
  return out;
}

/** One time per UTC day (the latest of that day), ascending. */
export function latestPerDay(times: readonly Millis[]): Millis[] {
  const out: Millis[] = [];
  for (const t of times) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.floor(last / DAY) === Math.floor(t / DAY)) out[out.length - 1] = t;
    else out.push(t);
  }
  return out;
}

/**
 * The latest occurrence `t` with at least `atLeast` occurrences in `[t − window, t]`, given
 * ascending times (one per day for distinct days).
 */
export function latestCompletion(
  times: readonly Millis[],
  atLeast: number,
  window: Millis,
): Millis | undefined {
  for (let i = times.length - 1; i >= 0; i--) {
    const t = times[i] ?? 0;
    let n = 0;
    for (let j = i; j >= 0 && (times[j] ?? 0) >= t - window; j--) n++;
    if (n >= atLeast) return t;
  }
  return undefined;
}

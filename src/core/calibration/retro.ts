/**
 * Retro-scoring: folds a history of events through today's model, in memory, and records for each
 * lead what the model would have said before its outcome — the best score it reached while fit and
 * engagement met their minimums (that is when it would have qualified), whether a fast-track action
 * qualified it, which rules gave or took points, and the itemised score at the outcome itself.
 * Outcomes are `deal` events with `closed_won` / `closed_lost`; the first one per lead counts.
 */
import type { Building } from '../building.ts';
import { StateFold } from '../contact/fold.ts';
import { EMPTY_ROUTING_STATE } from '../contact/routeContact.ts';
import type { DecisionModel } from '../contact/decide.ts';
import { identify } from '../identity/resolve.ts';
import { scoreContactAt } from '../scoring/contactScore.ts';
import type { ScoreResult } from '../scoring/score.ts';
import type { ContactKey, ContactState, InboundEvent, Millis } from '../types.ts';
import type { Outcome, ScoredLead } from './thresholds.ts';

export interface LeadOutcome {
  readonly outcome: Outcome;
  readonly at: Millis;
  readonly eventId: string;
  readonly dealId?: string;
}

export interface RetroLead extends ScoredLead {
  readonly key: ContactKey;
  readonly email?: string;
  readonly outcome?: Outcome;
  readonly closed?: LeadOutcome;
  /** The instant `final` is scored at: just before the outcome, else the end of the history. */
  readonly at: Millis;
  /** The itemised score at `at`. */
  readonly final: ScoreResult;
  /** When the lead first crossed into MQL, if it did before `at`. */
  readonly firstMqlAt?: Millis;
  /** Rules that gave or took points before `at`, as `dimension:ruleId` (`fit:company-size`). */
  readonly hits: ReadonlySet<string>;
}

export interface RetroResult {
  readonly leads: readonly RetroLead[];
  /** Sales decisions in the history. */
  readonly decisions: { readonly accepted: number; readonly rejected: number };
  /** MQL crossings and closed-won outcomes per calendar month (UTC), in month order. */
  readonly months: readonly { readonly month: string; readonly mqls: number; readonly won: number }[];
  /** Outcome events about nobody the history had seen before: not scored. */
  readonly orphanOutcomes: readonly string[];
  /** The last event's instant. */
  readonly end: Millis;
}

interface Tracker {
  key: ContactKey;
  contact: ContactState;
  email?: string;
  best: number;
  bestEligible: number | undefined;
  fastTrack: boolean;
  firstMqlAt?: Millis;
  hits: Set<string>;
  closed?: LeadOutcome;
  final?: ScoreResult;
  at?: Millis;
}

const OUTCOME_OF: Readonly<Record<string, Outcome>> = { closed_won: 'won', closed_lost: 'lost' };

/**
 * `events` must be in time order (ties in file order). `onProgress` is called every 1,000 events
 * with the count done.
 */
export function retroScore(
  events: readonly InboundEvent[],
  model: DecisionModel,
  onProgress?: (done: number) => void,
): RetroResult {
  const setup = model.scoring;
  if (setup === undefined) throw new Error('retroScore needs a model with scoring');
  // Leads are routed as in the engine, with no load: routing changes no score, only owners.
  // Calibration looks at every signal a lead ever showed: recycling's engagement reset stays out.
  const { recycling: _recycling, ...lifecycle } = model.lifecycle;
  const fold = new StateFold(Object.assign({}, model, { lifecycle }), { routing: EMPTY_ROUTING_STATE });
  const trackers = new Map<ContactKey, Tracker>();
  const months = new Map<string, { mqls: number; won: number }>();
  const month = (at: Millis) => {
    const key = new Date(at).toISOString().slice(0, 7);
    let entry = months.get(key);
    if (entry === undefined) months.set(key, (entry = { mqls: 0, won: 0 }));
    return entry;
  };
  const decisions = { accepted: 0, rejected: 0 };
  const orphanOutcomes: string[] = [];
  let end = 0;

  events.forEach((event, index) => {
    end = Math.max(end, event.at);
    const identity = identify(event, model.isFreeMail);
    const action = event.properties['action'];
    const outcome = event.type === 'deal' && typeof action === 'string' ? OUTCOME_OF[action] : undefined;
    if (outcome !== undefined) {
      const contact = fold.contact(identity);
      const tracker = contact === undefined ? undefined : trackers.get(contact.key);
      if (contact === undefined || tracker === undefined) orphanOutcomes.push(event.id);
      else if (tracker.closed === undefined) {
        const dealId = event.properties['dealId'];
        tracker.closed = {
          outcome,
          at: event.at,
          eventId: event.id,
          ...(typeof dealId === 'string' ? { dealId } : {}),
        };
        tracker.final = scoreContactAt(
          contact,
          fold.account(contact.accountDomain),
          setup,
          model.isFreeMail,
          event.at,
        );
        tracker.at = event.at;
        if (outcome === 'won') month(event.at).won += 1;
      }
    }
    if (event.type === 'sales_decision') {
      if (event.properties['decision'] === 'accept') decisions.accepted += 1;
      else if (event.properties['decision'] === 'reject') decisions.rejected += 1;
    }

    const decision = fold.apply(event, identity);
    for (const effect of decision.effects) {
      if (effect.kind === 'outbox' && effect.type === 'mql') month(effect.at).mqls += 1;
    }
    const contact = decision.contact;
    let tracker = trackers.get(contact.key);
    if (tracker === undefined) {
      const fresh: Building<Tracker> = { key: contact.key, contact };
      if (contact.email !== undefined) fresh.email = contact.email;
      fresh.best = 0;
      fresh.bestEligible = undefined;
      fresh.fastTrack = false;
      fresh.hits = new Set();
      tracker = fresh as Tracker;
      trackers.set(contact.key, tracker);
    }
    tracker.contact = contact;
    if (tracker.closed === undefined) {
      const result = scoreContactAt(contact, decision.account, setup, model.isFreeMail, contact.updatedAt);
      observeResult(tracker, result, contact.updatedAt);
    }
    if (onProgress !== undefined && (index + 1) % 1000 === 0) onProgress(index + 1);
  });

  const leads: RetroLead[] = [];
  for (const tracker of trackers.values()) {
    let final = tracker.final;
    let at = tracker.at;
    if (final === undefined || at === undefined) {
      const contact = tracker.contact;
      at = end;
      final = scoreContactAt(contact, fold.account(contact.accountDomain), setup, model.isFreeMail, end);
    }
    // Decay up to `at` only lowers scores; the hits and the best score are already known.
    const lead: Building<RetroLead> = { key: tracker.key };
    if (tracker.email !== undefined) lead.email = tracker.email;
    lead.score = tracker.bestEligible ?? tracker.best;
    lead.eligible = tracker.bestEligible !== undefined;
    lead.fastTrack = tracker.fastTrack;
    if (tracker.closed !== undefined) {
      lead.outcome = tracker.closed.outcome;
      lead.closed = tracker.closed;
    }
    lead.at = at;
    lead.final = final;
    if (tracker.firstMqlAt !== undefined) lead.firstMqlAt = tracker.firstMqlAt;
    lead.hits = tracker.hits;
    leads.push(lead as RetroLead);
  }
  leads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    leads,
    decisions,
    months: [...months.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([m, counts]) => ({ month: m, ...counts })),
    orphanOutcomes,
    end,
  };
}

function observeResult(tracker: Tracker, result: ScoreResult, at: Millis): void {
  tracker.best = Math.max(tracker.best, result.total);
  if (result.dimensionsMet) tracker.bestEligible = Math.max(tracker.bestEligible ?? 0, result.total);
  if (result.fastTrack !== undefined) tracker.fastTrack = true;
  if (result.mql && tracker.firstMqlAt === undefined) tracker.firstMqlAt = at;
  for (const entry of result.ledger) {
    if (entry.dimension === 'fast_track' || entry.ruleId.startsWith('caps.')) continue;
    if (entry.points !== 0 || entry.decayApplied !== 0)
      tracker.hits.add(`${entry.dimension}:${entry.ruleId}`);
  }
}

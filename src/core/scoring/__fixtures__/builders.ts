/**
 * Test builders for scoring: leads with overrides, events, named instants, and a helper that
 * folds events into a memory through the real rule context and scores it.
 */
import { ruleContext } from '../../contact/ruleContext.ts';
import { createFreeMailCheck } from '../../identity/domains.ts';
import type { RuleContext } from '../../rule.ts';
import type {
  AttributeValue,
  Attributes,
  ContactState,
  InboundEvent,
  JsonObject,
  Millis,
} from '../../types.ts';
import { emptyMemory, observe, type ScoringMemory } from '../memory.ts';
import type { ScoringModel } from '../model.ts';
import { scoreContact, type ScoreInput, type ScoreResult } from '../score.ts';

export const MINUTE: Millis = 60_000;
export const HOUR: Millis = 60 * MINUTE;
export const DAY: Millis = 24 * HOUR;

/** Monday 2 March 2026, 09:00 UTC. */
export const MON_0900_UTC: Millis = Date.parse('2026-03-02T09:00:00.000Z');

export const isFreeMail = createFreeMailCheck({ extra: [], allow: [] });

function attributes(values: Readonly<Record<string, AttributeValue>>, at: Millis): Attributes {
  const out: Record<string, Attributes[string]> = {};
  for (const [name, value] of Object.entries(values))
    out[name] = { value, at, eventId: 'seed', source: 'test' };
  return out;
}

export interface LeadOverrides {
  readonly email?: string;
  readonly contact?: Readonly<Record<string, AttributeValue>>;
  readonly company?: Readonly<Record<string, AttributeValue>>;
  readonly createdAt?: Millis;
}

/** A contact; attributes as plain values. */
export function lead(overrides: LeadOverrides = {}): ContactState {
  const at = overrides.createdAt ?? MON_0900_UTC;
  return {
    key: overrides.email ?? 'lead@acme.example',
    email: overrides.email ?? 'lead@acme.example',
    attributes: attributes(overrides.contact ?? {}, at),
    companyAttributes: attributes(overrides.company ?? {}, at),
    stage: 'lead',
    stageEnteredAt: at,
    flags: [],
    createdAt: at,
    updatedAt: at,
    eventCount: 0,
  };
}

let sequence = 0;

export function event(type: string, properties: JsonObject, at: Millis): InboundEvent {
  sequence += 1;
  return { id: `e${sequence}`, type, at, source: 'test', contact: {}, company: {}, properties };
}

export const page = (category: string, at: Millis) => event('page_view', { category }, at);
export const form = (name: string, at: Millis) => event('form_submit', { form: name }, at);
export const product = (action: string, at: Millis) => event('product', { action }, at);
export const email = (action: string, at: Millis) => event('email', { action }, at);
export const download = (kind: string, at: Millis) => event('content_download', { kind }, at);
export const webinar = (action: string, at: Millis, audience?: string) =>
  event('webinar', audience === undefined ? { action } : { action, audience }, at);

/** The rule context of the contact (with the event, when given). */
export function contextOf(contact: ContactState, ev?: InboundEvent): RuleContext {
  return ruleContext(contact, undefined, ev, isFreeMail);
}

/** Observes the events one by one, in the order given. */
export function remember(
  model: ScoringModel,
  contact: ContactState,
  events: readonly InboundEvent[],
  start: ScoringMemory = emptyMemory(),
): ScoringMemory {
  return events.reduce((m, ev) => observe(m, ev, contextOf(contact, ev), model), start);
}

export type Facts = Omit<ScoreInput, 'memory' | 'context' | 'model' | 'now'>;

export function scoreAt(
  model: ScoringModel,
  contact: ContactState,
  memory: ScoringMemory,
  now: Millis,
  facts: Facts = {},
): ScoreResult {
  return scoreContact({ memory, context: contextOf(contact), model, now, ...facts });
}

/** Ledger points by rule id and dimension (`engagement:pricing-page`), for compact expectations. */
export function points(result: ScoreResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of result.ledger) out[`${entry.dimension}:${entry.ruleId}`] = entry.points;
  return out;
}

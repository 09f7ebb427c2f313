/**
 * A deal command: what a `deal` event (or an API call) asks of a deal, in one shape. Fields the
 * pipeline knows at the top of the deal (name, owner, amount, currency, close date, source,
 * account) and every other field go in `changes`; `null` clears a field. Pure.
 */
import type { Building } from '../building.ts';
import type { ContactKey, InboundEvent, JsonValue, Millis } from '../types.ts';
import type { DealFieldValue } from './types.ts';

export const DEAL_COMMAND_ACTIONS = [
  'created',
  'stage_changed',
  'amount_changed',
  'close_date_changed',
  'closed_won',
  'closed_lost',
  'updated',
  'approval_decided',
] as const;
export type DealCommandAction = (typeof DEAL_COMMAND_ACTIONS)[number];

export interface DealCommand {
  readonly action: DealCommandAction;
  readonly dealId: string;
  readonly at: Millis;
  /** The event id, or `api:<actor>`. */
  readonly cause: string;
  readonly pipeline?: string;
  /** The stage to enter (`created`: where the deal starts; `stage_changed`: where it goes). */
  readonly stage?: string;
  readonly changes: Readonly<Record<string, DealFieldValue>>;
  /** Why the close date moved (a push needs one). */
  readonly reason?: string;
  /** The contact the event is about, attached with its role (default `primary` for the first). */
  readonly contact?: { readonly key: ContactKey; readonly role?: string };
  /** The account's domain. */
  readonly account?: string;
}

/** Event properties that steer the command rather than set a field. */
const CONTROL = new Set(['action', 'dealId', 'pipeline', 'stage', 'reason', 'pushReason', 'role']);

/** The command a validated `deal` event carries, or undefined when it names no deal or no action. */
export function dealCommandFromEvent(
  event: InboundEvent,
  contactKey: ContactKey | undefined,
  account: string | undefined,
): DealCommand | undefined {
  const p = event.properties;
  const action = p['action'];
  const dealId = p['dealId'];
  if (typeof action !== 'string' || !(DEAL_COMMAND_ACTIONS as readonly string[]).includes(action))
    return undefined;
  if (typeof dealId !== 'string' && typeof dealId !== 'number') return undefined;
  const changes: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(p)) if (!CONTROL.has(key)) changes[key] = value;
  const stage = p['stage'];
  const reason = p['reason'] ?? p['pushReason'];
  const role = p['role'];
  const moves = action === 'created' || action === 'stage_changed';
  const command: Building<DealCommand> = {
    action: action as DealCommandAction,
    dealId: String(dealId),
    at: event.at,
    cause: event.id,
  };
  if (typeof p['pipeline'] === 'string') command.pipeline = p['pipeline'];
  if (moves && typeof stage === 'string') command.stage = stage;
  command.changes = changes;
  if (typeof reason === 'string' && reason.trim() !== '') command.reason = reason.trim();
  if (contactKey !== undefined) {
    command.contact = { key: contactKey, ...(typeof role === 'string' ? { role } : {}) };
  }
  if (account !== undefined) command.account = account;
  return command as DealCommand;
}

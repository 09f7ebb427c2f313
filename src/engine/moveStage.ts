/**
 * `moveStage`: a person moves a contact to another lifecycle stage by hand. One transaction: the
 * contact is locked (as ingest and reassignment lock it), read, checked against the allowed moves
 * (the stage's `next`), then written with a stage history row caused by `manual:<by>` and the new
 * stage's actions on entry as effects (core/contact/decide.ts `decideManualMove`). Every refusal is
 * a coded `RevopsError` saying what to do; nothing is written then.
 */
import { decideManualMove, type DecisionModel } from '../core/contact/decide.ts';
import type { Building } from '../core/building.ts';
import type { Effect } from '../core/effects.ts';
import { RevopsError } from '../core/errors.ts';
import { checkMove } from '../core/lifecycle/transitions.ts';
import type { Store, StoreTx } from '../core/ports.ts';
import type { ContactKey, Millis, StageChange } from '../core/types.ts';
import { subjectKeys } from './subjects.ts';
import { Writes } from './writes.ts';

export interface MoveStageRequest {
  /** The contact: its email, or its key (`email:…`, `id:…`); anything else is read as its `contact.id`. */
  readonly contact: string;
  /** The stage to move it to (a `lifecycle.stages[].id`). */
  readonly to: string;
  /** When (default: the engine's clock). */
  readonly at?: Millis;
  /** Who moved it (a rep id, a user name): the history row's cause is `manual:<by>`. */
  readonly by: string;
  /** Why, in words; kept in the history row. */
  readonly reason?: string;
}

export interface MoveStageResult {
  readonly contactKey: ContactKey;
  readonly email?: string;
  readonly from: string;
  /** The stage the contact ends in (`to`, or further when `to` has a `set_stage` action). */
  readonly stage: string;
  readonly at: Millis;
  /** The history rows written. */
  readonly stageChanges: readonly StageChange[];
  /** The effects written (actions on entry, recycling timers). */
  readonly effects: readonly Effect[];
}

function contactQuery(spec: string): { emails: string[]; externalIds: string[] } {
  if (spec.startsWith('email:')) return { emails: [spec.slice(6).toLowerCase()], externalIds: [] };
  if (spec.startsWith('id:')) return { emails: [], externalIds: [spec.slice(3)] };
  if (spec.includes('@')) return { emails: [spec.toLowerCase()], externalIds: [] };
  return { emails: [], externalIds: [spec] };
}

/** Checks what needs no database. Throws `RevopsError` (`lifecycle.invalid_request`, `lifecycle.unknown_stage`). */
export function checkMoveStageRequest(model: DecisionModel, request: MoveStageRequest, at: Millis): void {
  if (request.contact.trim() === '')
    throw new RevopsError('lifecycle.invalid_request', 'name the contact to move', {
      hint: 'give its email (ava@northwind.io) or its key (email:…, id:…)',
    });
  if (request.by.trim() === '')
    throw new RevopsError('lifecycle.invalid_request', 'say who moves the contact', {
      hint: 'pass `by` (a rep id or your name): the stage history records it as manual:<by>',
    });
  if (!Number.isFinite(at))
    throw new RevopsError('lifecycle.invalid_request', `the time of the move is not a time (${at})`, {
      hint: 'pass `at` as epoch milliseconds',
    });
  const ids = model.lifecycle.stages.map((s) => s.id);
  if (!ids.includes(request.to)) {
    const check = checkMove(model.lifecycle, ids[0] ?? '', request.to);
    if (!check.ok)
      throw new RevopsError(check.issue.code, check.issue.message, {
        issues: [check.issue],
        ...(check.issue.hint === undefined ? {} : { hint: check.issue.hint }),
      });
  }
}

/**
 * Moves one contact by hand inside `tx`. Throws `RevopsError` — `lifecycle.unknown_contact`,
 * `lifecycle.unknown_stage`, `lifecycle.transition_not_allowed` — with nothing written; otherwise
 * only if storage fails.
 */
export async function moveStageInTx(
  tx: StoreTx,
  model: DecisionModel,
  request: MoveStageRequest,
  at: Millis,
): Promise<MoveStageResult> {
  const spec = request.contact.trim();
  const query = contactQuery(spec);
  await tx.lockSubjects(subjectKeys(query));
  const [found] = await tx.findContacts(query);
  if (found === undefined)
    throw new RevopsError('lifecycle.unknown_contact', `no contact \`${spec}\` in the database`, {
      hint: 'contacts are known by the email their events carried (lower-cased), or as id:<contact.id>; `revops ingest` loads events',
    });
  const name = found.email ?? found.key;
  const check = checkMove(model.lifecycle, found.stage, request.to);
  if (!check.ok)
    throw new RevopsError(check.issue.code, `cannot move ${name}: ${check.issue.message}`, {
      issues: [check.issue],
      ...(check.issue.hint === undefined ? {} : { hint: check.issue.hint }),
    });
  const account =
    found.accountDomain === undefined ? undefined : (await tx.findAccounts([found.accountDomain]))[0];
  const by = request.by.trim();
  const reason = request.reason?.trim();
  const decided = decideManualMove({
    contact: found,
    account,
    to: request.to,
    at,
    cause: `manual:${by}`,
    reason: reason === undefined || reason === '' ? `moved by hand by ${by}` : reason,
    model,
  });
  const writes = new Writes();
  writes.contacts.set(decided.contact.key, decided.contact);
  writes.history.push(...decided.stageChanges);
  writes.addEffects(decided.effects);
  await writes.flush(tx);
  const result: Building<MoveStageResult> = { contactKey: found.key };
  if (found.email !== undefined) result.email = found.email;
  result.from = found.stage;
  result.stage = decided.contact.stage;
  result.at = at;
  result.stageChanges = decided.stageChanges;
  result.effects = decided.effects;
  return result as MoveStageResult;
}

/**
 * Moves a contact to another stage by hand, in one transaction (see the module comment). Throws
 * `RevopsError` — `lifecycle.invalid_request`, `lifecycle.unknown_stage`, `lifecycle.unknown_contact`,
 * `lifecycle.transition_not_allowed` (naming the allowed moves) — with nothing written; otherwise
 * only if storage fails.
 */
export async function moveStage(
  deps: { readonly store: Store; readonly model: DecisionModel },
  request: MoveStageRequest & { readonly at: Millis },
): Promise<MoveStageResult> {
  checkMoveStageRequest(deps.model, request, request.at);
  return deps.store.transaction((tx) => moveStageInTx(tx, deps.model, request, request.at));
}

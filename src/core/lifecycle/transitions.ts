/**
 * Manual stage moves: a person may move a contact only along the config's `next` lists. A move
 * that is not allowed is a coded issue naming the moves that are, so the user can pick one.
 */
import type { Issue } from '../issue.ts';
import { didYouMean } from '../text/didYouMean.ts';

export interface TransitionModel {
  readonly stages: readonly { readonly id: string; readonly next: readonly string[] }[];
}

export type MoveCheck = { readonly ok: true } | { readonly ok: false; readonly issue: Issue };

/** The stages a contact in `from` may be moved to (its `next`), in config order. */
export function allowedMoves(model: TransitionModel, from: string): readonly string[] {
  return model.stages.find((s) => s.id === from)?.next ?? [];
}

function listed(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

/** Whether a contact in `from` may be moved to `to` by hand. Pure; never throws. */
export function checkMove(model: TransitionModel, from: string, to: string): MoveCheck {
  const ids = model.stages.map((s) => s.id);
  if (!ids.includes(to))
    return {
      ok: false,
      issue: {
        code: 'lifecycle.unknown_stage',
        path: ['to'],
        severity: 'error',
        message: `there is no stage \`${to}\` in lifecycle.stages${didYouMean(to, ids)}`,
        hint: `move to one of the configured stages: ${listed(ids)}`,
      },
    };
  if (from === to)
    return {
      ok: false,
      issue: {
        code: 'lifecycle.transition_not_allowed',
        path: ['to'],
        severity: 'error',
        message: `the contact is already in \`${to}\``,
        hint: movesHint(model, from),
      },
    };
  const allowed = allowedMoves(model, from);
  if (allowed.includes(to)) return { ok: true };
  return {
    ok: false,
    issue: {
      code: 'lifecycle.transition_not_allowed',
      path: ['to'],
      severity: 'error',
      message:
        allowed.length === 0
          ? `\`${from}\` → \`${to}\` is not an allowed move: \`${from}\` has no moves (its \`next\` is empty)`
          : `\`${from}\` → \`${to}\` is not an allowed move; from \`${from}\` a contact may move to ${listed(allowed)}`,
      hint: movesHint(model, from),
    },
  };
}

function movesHint(model: TransitionModel, from: string): string {
  const allowed = allowedMoves(model, from);
  return allowed.length === 0
    ? `add the stage to \`next\` of stage \`${from}\` in lifecycle.stages if this move should be possible`
    : `move it to ${listed(allowed)} first, or add the stage to \`next\` of stage \`${from}\` in lifecycle.stages`;
}

/**
 * Automatic stage moves. From the current stage the engine tries the stages listed in its `next`,
 * in order; a stage is entered when any of its entry criteria that has a `when` is true (criteria
 * without `when` are for people, not the engine). Moves chain (subscriber → lead → mql in one
 * event) and never revisit a stage within one decision.
 */
import type { CompiledRule, RuleContext } from '../rule.ts';

export interface StageModel {
  readonly id: string;
  readonly entry: readonly { readonly description: string; readonly when?: CompiledRule | undefined }[];
  readonly next: readonly string[];
}

export interface LifecycleModel {
  readonly initialStage: string;
  readonly stages: readonly StageModel[];
}

export interface PlannedMove {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

const BY_ID = new WeakMap<LifecycleModel, ReadonlyMap<string, StageModel>>();

function stagesById(lifecycle: LifecycleModel): ReadonlyMap<string, StageModel> {
  let map = BY_ID.get(lifecycle);
  if (map === undefined) {
    map = new Map(lifecycle.stages.map((s) => [s.id, s]));
    BY_ID.set(lifecycle, map);
  }
  return map;
}

/** The automatic moves from `stage` given the rule context (re-built by `contextFor` after each move). */
export function automaticMoves(
  lifecycle: LifecycleModel,
  stage: string,
  contextFor: (stage: string) => RuleContext,
  /** Stages this decision may not enter (an accept without enough BANT may not enter `sql`). */
  blocked?: ReadonlySet<string>,
): PlannedMove[] {
  const byId = stagesById(lifecycle);
  const moves: PlannedMove[] = [];
  const visited = new Set([stage, ...(blocked ?? [])]);
  let current = stage;
  for (;;) {
    const from = byId.get(current);
    if (from === undefined) return moves;
    // Only build the rule context when some next stage can be entered automatically.
    const candidates = from.next.filter(
      (id) => !visited.has(id) && byId.get(id)?.entry.some((c) => c.when !== undefined),
    );
    if (candidates.length === 0) return moves;
    const context = contextFor(current);
    let moved = false;
    for (const candidate of candidates) {
      const target = byId.get(candidate);
      const matched = target?.entry.find((criterion) => criterion.when?.evaluate(context) === true);
      if (target && matched?.when) {
        moves.push({
          from: current,
          to: candidate,
          reason: `entry criterion ${matched.when.id} matched: ${matched.description}`,
        });
        visited.add(candidate);
        current = candidate;
        moved = true;
        break;
      }
    }
    if (!moved) return moves;
  }
}

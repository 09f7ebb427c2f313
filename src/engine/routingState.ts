/**
 * Fetching what routing reads, once per batch that needs it: every team's round-robin counters
 * (locked until the batch commits where several writers exist), open leads per rep, the reps'
 * assignments since `since` (enough to count each rep's local day) and the reps' availability
 * overrides (`PATCH /v1/reps/{id}`), so an override set a moment ago applies to the next decision.
 */
import { assignedPerDay, type RoutingState } from '../core/contact/routeContact.ts';
import type { StoreTx } from '../core/ports.ts';
import type { RoutingModel } from '../core/routing/model.ts';
import { applyRepOverrides } from '../core/routing/overrides.ts';
import type { Millis } from '../core/types.ts';

/** Reads (and locks) the routing state inside `tx`. Throws only if storage fails. */
export async function fetchRoutingState(
  tx: StoreTx,
  model: RoutingModel,
  since: Millis,
): Promise<RoutingState> {
  const counters = await tx.lockRoutingCounters([...model.teams.keys()]);
  const { openLeads, assigned } = await tx.ownerLoads(model.openStages, since);
  const overrides = await tx.repOverrides();
  const reps = overrides.size === 0 ? model.reps : applyRepOverrides(model.reps, overrides);
  return {
    counters,
    openLeads,
    assignedPerDay: assignedPerDay(model, assigned),
    ...(reps === model.reps ? {} : { reps }),
  };
}

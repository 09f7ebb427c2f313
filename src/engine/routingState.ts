/**
 * Fetching what routing reads, once per batch that needs it: every team's round-robin counters
 * (locked until the batch commits where several writers exist), open leads per rep and the reps'
 * assignments since `since` (enough to count each rep's local day).
 */
import { assignedPerDay, type RoutingState } from '../core/contact/routeContact.ts';
import type { StoreTx } from '../core/ports.ts';
import type { RoutingModel } from '../core/routing/model.ts';
import type { Millis } from '../core/types.ts';

export async function fetchRoutingState(
  tx: StoreTx,
  model: RoutingModel,
  since: Millis,
): Promise<RoutingState> {
  const counters = await tx.lockRoutingCounters([...model.teams.keys()]);
  const { openLeads, assignedAt } = await tx.ownerLoads(model.openStages, since);
  return { counters, openLeads, assignedPerDay: assignedPerDay(model, assignedAt) };
}

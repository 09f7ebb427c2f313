/**
 * The deal desk bound to a workspace: requests, votes and escalations with recipients resolved for
 * the deal's owner (`manager` → the owner's manager) and due times in the company calendar. What
 * the pipeline and the engine call (core/pipeline/deskHooks.ts). Pure.
 */
import { resolveRecipient, type RepDirectory } from '../lifecycle/actions.ts';
import type { DealDeskHooks } from '../pipeline/deskHooks.ts';
import type { DealState } from '../pipeline/types.ts';
import type { Duration } from '../time/duration.ts';
import type { ContactState, Millis } from '../types.ts';
import { decideApproval, escalateApproval, requestApproval } from './approval.ts';
import type { DealDeskModel } from './model.ts';

/** `owner`, `manager`, `backup` for the deal's owner; other recipients as written. */
function resolverFor(deal: DealState | undefined, reps: RepDirectory): (recipient: string) => string {
  const owner = { key: '', owner: deal?.owner } as unknown as ContactState;
  return (recipient) => resolveRecipient(recipient, owner, reps);
}

export function dealDeskHooks(
  model: DealDeskModel,
  reps: RepDirectory,
  addTime: (start: Millis, duration: Duration) => Millis,
): DealDeskHooks {
  return {
    threshold: model.threshold,
    request(deal, at, sequence, contact) {
      return requestApproval(deal, model, {
        at,
        requestedBy: deal.owner === undefined ? 'pipeline' : `rep:${deal.owner}`,
        sequence,
        resolve: resolverFor(deal, reps),
        addTime,
        ...(contact === undefined
          ? {}
          : {
              company: Object.fromEntries(
                Object.entries(contact.companyAttributes).map(([k, a]) => [k, a.value]),
              ),
            }),
      });
    },
    decide(request, vote, deal) {
      const subject: DealState =
        deal ?? ({ id: request.dealId, contacts: [], fields: {}, pushes: [] } as unknown as DealState);
      return decideApproval(request, vote, subject);
    },
    escalate(request, at, deal) {
      const contactKey = deal?.contacts[0]?.contactKey;
      return escalateApproval(request, at, {
        resolve: resolverFor(deal, reps),
        addTime,
        escalateTo: model.escalateTo,
        approvalSla: model.approvalSla,
        ...(contactKey === undefined ? {} : { contactKey }),
      });
    },
  };
}

/**
 * Deals inside an ingest (or API) transaction: the batch's deals are locked and read once, each
 * `deal` event is decided by core/pipeline against the deal as the batch leaves it, and the deals,
 * approval requests and effects are gathered for the batch's single round of writes. The deal desk
 * and the customer-success pick are wired here, from the decision model.
 */
import type { Building } from '../core/building.ts';
import type { DecisionModel } from '../core/contact/decide.ts';
import type { Effect } from '../core/effects.ts';
import { dealCommandFromEvent, type DealCommand } from '../core/pipeline/command.ts';
import { decideDeal, type DealDecision, type DealEnv } from '../core/pipeline/decide.ts';
import { stageAverages, type StageAverages } from '../core/pipeline/stale.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import type { StoreTx } from '../core/ports.ts';
import { RevopsError, type IssueCode } from '../core/errors.ts';
import type { ContactState, InboundEvent, Millis } from '../core/types.ts';

/** The lock key of a deal (`StoreTx.lockSubjects`). */
export const dealSubject = (id: string): string => `deal:${id}`;

/** The deal ids a batch of events names. */
export function dealIdsOf(events: readonly InboundEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = event.type === 'deal' ? event.properties['dealId'] : undefined;
    if (typeof id === 'string' || typeof id === 'number') ids.add(String(id));
  }
  return [...ids];
}

/** The deals and approval requests of one transaction, as its commands leave them. */
export class DealBatch {
  readonly deals = new Map<string, DealState>();
  readonly approvals = new Map<string, ApprovalRequest>();
  /** Deals and approvals changed by the batch (to write). */
  readonly changedDeals = new Set<string>();
  readonly changedApprovals = new Set<string>();
  private stored: Map<string, DealState> | undefined;
  private csLoads: Map<string, number> | undefined;

  private constructor(
    private readonly tx: StoreTx,
    private readonly model: DecisionModel,
  ) {}

  /** Locks and reads the deals `ids` name (and their approval requests). */
  static async open(tx: StoreTx, model: DecisionModel, ids: readonly string[]): Promise<DealBatch> {
    const batch = new DealBatch(tx, model);
    if (ids.length === 0) return batch;
    await tx.lockSubjects(ids.map(dealSubject));
    for (const deal of await tx.findDeals(ids)) batch.deals.set(deal.id, deal);
    for (const approval of await tx.approvalsOfDeals(ids)) batch.approvals.set(approval.id, approval);
    return batch;
  }

  /**
   * Time-in-stage averages over every deal as this batch leaves it: the stored deals (read once per
   * batch) with the batch's own changes laid over them, so a stay that ended earlier in the batch
   * counts exactly as it would had its event come in a batch of its own.
   */
  private async stageAverages(): Promise<StageAverages> {
    this.stored ??= new Map((await this.tx.listDeals()).map((d) => [d.id, d]));
    const all = new Map(this.stored);
    for (const id of this.changedDeals) {
      const deal = this.deals.get(id);
      if (deal !== undefined) all.set(id, deal);
    }
    return stageAverages([...all.values()]);
  }

  /** Won deals per customer-success owner (the CS team's load), read once per batch. */
  private async loads(): Promise<Map<string, number>> {
    if (this.csLoads === undefined) {
      this.csLoads = new Map();
      for (const deal of await this.tx.listDeals({ status: 'won' }))
        if (deal.csOwner !== undefined)
          this.csLoads.set(deal.csOwner, (this.csLoads.get(deal.csOwner) ?? 0) + 1);
    }
    return this.csLoads;
  }

  /** The command of a `deal` event; a new deal takes the contact's fit score and owner when the event has none. */
  commandOf(
    event: InboundEvent,
    contact: ContactState | undefined,
    identity: { readonly key: string; readonly accountDomain?: string | undefined },
  ): DealCommand | undefined {
    const command = dealCommandFromEvent(
      event,
      contact?.key ?? identity.key,
      contact?.accountDomain ?? identity.accountDomain,
    );
    if (command === undefined) return undefined;
    if (this.deals.has(command.dealId)) return command;
    // A new deal takes the lead's fit score and owner unless the event names them.
    const fill: Record<string, string | number> = {};
    const fit = contact?.score?.fit;
    if (command.changes['fitScore'] === undefined && fit !== undefined) fill['fitScore'] = fit;
    if (command.changes['owner'] === undefined && contact?.owner !== undefined) fill['owner'] = contact.owner;
    return Object.keys(fill).length === 0
      ? command
      : Object.assign({}, command, { changes: Object.assign({}, fill, command.changes) });
  }

  /** Decides `command` against the deal as the batch has it and keeps the result. */
  async decide(
    command: DealCommand,
    contact: ContactState | undefined,
    strict = false,
  ): Promise<DealDecision> {
    const pipeline = this.model.pipeline;
    if (pipeline === undefined)
      return {
        deal: undefined,
        effects: [],
        approvals: [],
        refusal: { code: 'pipeline.not_configured', message: 'this workspace has no `pipeline` section' },
      };
    const deal = this.deals.get(command.dealId);
    if (command.action === 'approval_decided') return this.decideApproval(command, deal);
    const moves =
      command.action !== 'amount_changed' &&
      command.action !== 'close_date_changed' &&
      command.action !== 'updated';
    // Closed won, or a move into a won stage by name: the CS handoff needs an owner either way.
    const wins =
      command.action === 'closed_won' ||
      (command.stage !== undefined &&
        pipeline.pipelines.some((p) => p.stages.some((s) => s.id === command.stage && s.kind === 'won')));
    const building: Building<DealEnv> = {
      model: pipeline,
      reps: this.model.reps,
      addTime: this.model.addTime,
    };
    if (moves) building.averages = await this.stageAverages();
    if (contact !== undefined) building.contact = contact;
    if (this.model.dealDesk !== undefined) {
      building.dealDeskThreshold = this.model.dealDesk.threshold;
      building.requestApproval = (d: DealState, at: Millis) => this.requestApproval(d, at, contact);
    }
    if (wins) building.csOwner = this.csPicker(await this.loads());
    building.strict = strict;
    const env = building as DealEnv;
    const decision = decideDeal(deal, command, env);
    if (decision.deal !== undefined) {
      this.deals.set(decision.deal.id, decision.deal);
      this.changedDeals.add(decision.deal.id);
      if (decision.deal.csOwner !== undefined && decision.deal.csOwner !== deal?.csOwner) {
        const loads = await this.loads();
        loads.set(decision.deal.csOwner, (loads.get(decision.deal.csOwner) ?? 0) + 1);
      }
    }
    for (const approval of decision.approvals) this.keepApproval(approval);
    return decision;
  }

  /** An approver's answer (a `deal` event with action `approval_decided`). */
  private decideApproval(command: DealCommand, deal: DealState | undefined): DealDecision {
    const c = command.changes;
    const id = c['approvalId'];
    const request = typeof id === 'string' ? this.approvals.get(id) : undefined;
    const desk = this.model.dealDesk;
    const refused = (code: IssueCode, message: string, hint?: string): DealDecision => ({
      deal: undefined,
      effects: [],
      approvals: [],
      refusal: Object.assign({ code, message }, hint === undefined ? {} : { hint }),
    });
    if (desk === undefined)
      return refused('approval.not_configured', 'this workspace has no `dealDesk` section');
    if (request === undefined || request.dealId !== command.dealId)
      return refused(
        'approval.unknown_request',
        `deal \`${command.dealId}\` has no approval request \`${typeof id === 'string' ? id : ''}\``,
        'list them with `revops approvals list` or GET /v1/approvals',
      );
    const answer = c['decision'];
    const decision: 'approve' | 'reject' | undefined =
      answer === 'approve' || answer === 'reject' ? answer : undefined;
    const approver = c['approver'];
    if (decision === undefined || typeof approver !== 'string')
      return refused(
        'approval.invalid_request',
        'an approval decision needs `decision` (approve or reject) and `approver` (e.g. role:vp_sales)',
      );
    const comment = c['comment'];
    const by = c['by'];
    try {
      const outcome = desk.decide(
        request,
        Object.assign(
          { approver, decision, at: command.at },
          typeof comment === 'string' && comment.trim() !== '' ? { comment: comment.trim() } : {},
          typeof by === 'string' ? { by } : {},
        ),
        deal,
      );
      this.keepApproval(outcome.request);
      return { deal: undefined, effects: outcome.effects, approvals: [outcome.request] };
    } catch (error) {
      if (error instanceof RevopsError) return refused(error.code, error.message, error.hint);
      throw error;
    }
  }

  keepApproval(approval: ApprovalRequest): void {
    this.approvals.set(approval.id, approval);
    this.changedApprovals.add(approval.id);
  }

  keepDeal(deal: DealState): void {
    this.deals.set(deal.id, deal);
    this.changedDeals.add(deal.id);
  }

  /** The n-th request of a deal at the desk, through the decision model's deal desk. */
  private requestApproval(
    deal: DealState,
    at: Millis,
    contact: ContactState | undefined,
  ): { request: ApprovalRequest; effects: readonly Effect[] } | undefined {
    const desk = this.model.dealDesk;
    if (desk === undefined) return undefined;
    const sequence = [...this.approvals.values()].filter((a) => a.dealId === deal.id).length + 1;
    return desk.request(deal, at, sequence, contact);
  }

  /** Least-loaded available member of the pipeline's CS team (ties: team order). */
  private csPicker(loads: ReadonlyMap<string, number>): (deal: DealState) => string | undefined {
    return (deal) => {
      const pipeline = this.model.pipeline?.pipelines.find((p) => p.id === deal.pipeline);
      const teamId = pipeline?.closedWon.csTeam;
      const team = teamId === undefined ? undefined : this.model.routing?.teams.get(teamId);
      if (team === undefined) return undefined;
      let best: string | undefined;
      for (const member of team.members) {
        const rep = this.model.routing?.reps.get(member);
        if (rep === undefined || rep.active === false) continue;
        if (best === undefined || (loads.get(member) ?? 0) < (loads.get(best) ?? 0)) best = member;
      }
      return best;
    };
  }

  /** Writes the changed deals and approval requests. */
  async flush(): Promise<void> {
    const deals = [...this.changedDeals].flatMap((id) => {
      const d = this.deals.get(id);
      return d === undefined ? [] : [d];
    });
    if (deals.length > 0) await this.tx.upsertDeals(deals);
    const approvals = [...this.changedApprovals].flatMap((id) => {
      const a = this.approvals.get(id);
      return a === undefined ? [] : [a];
    });
    if (approvals.length > 0) await this.tx.upsertApprovals(approvals);
  }
}

/** A `deal` event whose stage move was refused: the contact's lifecycle must not follow it. */
export function withoutMove(event: InboundEvent): InboundEvent {
  const action = event.properties['action'];
  return Object.assign({}, event, {
    properties: Object.assign({}, event.properties, {
      action: `${typeof action === 'string' ? action : 'unknown'}_refused`,
    }),
  });
}

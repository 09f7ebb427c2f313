/**
 * What a sales-side step of the simulation may do when its time comes: read the lead as the engine
 * has it now (owner, stage) and its deals' approval requests, send events, and schedule its next
 * steps. The seeding loop (simulate.ts) runs each step at its instant on the simulated clock, after
 * everything due before it.
 */
import type { ApprovalRequest } from '../core/pipeline/types.ts';
import type { ContactState, Millis } from '../core/types.ts';
import type { DemoEvent } from './events.ts';
import type { DemoTeam } from './team.ts';

export interface SalesContext {
  /** The step's instant. */
  readonly at: Millis;
  /** The history ends here: steps and events from then on are dropped. */
  readonly anchor: Millis;
  readonly team: DemoTeam;
  /** The lead this step is about, as stored now (after every earlier event and timer), or undefined. */
  lead(): Promise<ContactState | undefined>;
  /** A deal's approval requests as stored now (its events so far are in: they are about this lead). */
  approvals(dealId: string): Promise<ApprovalRequest[]>;
  /** Deals closed won and lost so far in the run. */
  closed(): { readonly won: number; readonly lost: number };
  /** How many times the run has asked for `key`, this time included (1 the first time): story beats spread over deals. */
  count(key: string): number;
  /** Sends an event (at `at` or later; before the anchor, or it is dropped). */
  send(event: DemoEvent): void;
  /** Runs `step` about the same lead at `at` (dropped when that is past the anchor). */
  later(at: Millis, step: Reaction): void;
}

export type Reaction = (ctx: SalesContext) => Promise<void>;

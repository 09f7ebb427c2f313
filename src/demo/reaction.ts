/**
 * What a sales-side step of the simulation may do when its time comes: read the lead as the engine
 * has it now (owner, stage), send events, and schedule its next steps. The seeding loop (seed.ts)
 * runs each step at its instant on the simulated clock, after everything due before it.
 */
import type { ContactState, Millis } from '../core/types.ts';
import type { DemoEvent } from './events.ts';
import type { DemoTeam } from './team.ts';

export interface SalesContext {
  /** The step's instant. */
  readonly at: Millis;
  readonly team: DemoTeam;
  /** The lead this step is about, as stored now (after every earlier event and timer), or undefined. */
  lead(): Promise<ContactState | undefined>;
  /** Sends an event (at `at` or later; before the anchor, or it is dropped). */
  send(event: DemoEvent): void;
  /** Runs `step` about the same lead at `at` (dropped when that is past the anchor). */
  later(at: Millis, step: Reaction): void;
}

export type Reaction = (ctx: SalesContext) => Promise<void>;

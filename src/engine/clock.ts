/** Time for the engine: the system clock in production, a simulated one in replay and tests. */
import type { Millis } from '../core/types.ts';

export interface Clock {
  /** The current instant in epoch milliseconds. */
  now(): Millis;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. Never goes backwards. */
export class SimulatedClock implements Clock {
  #now: Millis;
  constructor(start: Millis) {
    this.#now = start;
  }
  now(): Millis {
    return this.#now;
  }
  /** Moves to `at` (ignored if it is in the past). */
  advanceTo(at: Millis): void {
    if (at > this.#now) this.#now = at;
  }
}

/** Everything one batch writes, gathered in memory, then written in one round inside the transaction. */
import type { Effect, OutboxEffect, TimerEffect } from '../core/effects.ts';
import type {
  AssignmentRow,
  RoutingCounters,
  ScoreUpdate,
  StoredEvent,
  StoreTx,
  TaskRow,
} from '../core/ports.ts';
import type { SlaClock } from '../core/sla/model.ts';
import type { AccountState, ContactState, StageChange, Touch } from '../core/types.ts';

/** Everything one batch writes, gathered before the single round of writes. */
export class Writes {
  readonly events: StoredEvent[] = [];
  readonly contacts = new Map<string, ContactState>();
  /** Rescores of contacts not otherwise written (score and next decay step only). */
  readonly scores: ScoreUpdate[] = [];
  readonly accounts = new Map<string, AccountState>();
  readonly history: StageChange[] = [];
  readonly touches: Touch[] = [];
  readonly timers = new Map<string, TimerEffect>();
  readonly cancelled = new Set<string>();
  readonly outbox = new Map<string, OutboxEffect>();
  readonly tasks = new Map<string, TaskRow>();
  readonly assignments: AssignmentRow[] = [];
  /** SLA clock rows by key; a later row of the same clock replaces the earlier. */
  readonly clocks = new Map<string, SlaClock>();
  /** Round-robin counters to store (all the batch read, changed or not). */
  routingCounters: ReadonlyMap<string, RoutingCounters> | undefined;

  addClocks(clocks: readonly SlaClock[]): void {
    for (const clock of clocks) this.clocks.set(clock.key, clock);
  }

  addEffects(effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'outbox':
          if (!this.outbox.has(effect.key)) this.outbox.set(effect.key, effect);
          break;
        case 'timer':
          this.cancelled.delete(effect.key);
          this.timers.set(effect.key, effect);
          break;
        case 'cancelTimer':
          this.timers.delete(effect.key);
          this.cancelled.add(effect.key);
          break;
        case 'task': {
          const { kind: _kind, ...row } = effect;
          this.tasks.set(effect.key, row);
          break;
        }
      }
    }
  }

  async flush(tx: StoreTx): Promise<void> {
    if (this.events.length > 0) await tx.insertEvents(this.events);
    if (this.contacts.size > 0) await tx.upsertContacts([...this.contacts.values()]);
    if (this.scores.length > 0) await tx.updateScores(this.scores);
    if (this.accounts.size > 0) await tx.upsertAccounts([...this.accounts.values()]);
    if (this.history.length > 0) await tx.appendStageHistory(this.history);
    if (this.clocks.size > 0) await tx.upsertClocks([...this.clocks.values()]);
    if (this.touches.length > 0) await tx.appendTouches(this.touches);
    if (this.cancelled.size > 0) await tx.deleteTimers([...this.cancelled]);
    if (this.timers.size > 0) await tx.upsertTimers([...this.timers.values()]);
    if (this.tasks.size > 0) await tx.upsertTasks([...this.tasks.values()]);
    if (this.outbox.size > 0) await tx.insertOutbox([...this.outbox.values()]);
    if (this.assignments.length > 0) await tx.appendAssignments(this.assignments);
    if (this.routingCounters !== undefined && this.routingCounters.size > 0)
      await tx.saveRoutingCounters(this.routingCounters);
  }
}

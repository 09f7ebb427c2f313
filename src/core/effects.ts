/**
 * Effects: what a decision asks the world to do. Core returns them as data; the engine writes them
 * in the same transaction as the state (outbox rows, timer rows, task rows); the dispatcher sends.
 * Every effect has a stable key, so writing the same decision twice changes nothing.
 */
import type { ContactKey, JsonObject, Millis } from './types.ts';

/** A message to deliver later (notification, sequence change, webhook). Keys dedupe. */
export interface OutboxEffect {
  readonly kind: 'outbox';
  readonly key: string;
  readonly type: string;
  readonly contactKey?: ContactKey;
  readonly at: Millis;
  readonly payload: JsonObject;
}

/** Schedule (or re-schedule: same key replaces) a timer that fires back into the engine. */
export interface TimerEffect {
  readonly kind: 'timer';
  readonly key: string;
  readonly dueAt: Millis;
  readonly contactKey?: ContactKey;
  readonly payload: JsonObject;
}

export interface CancelTimerEffect {
  readonly kind: 'cancelTimer';
  readonly key: string;
}

/** Create or update a task for a person. */
export interface TaskEffect {
  readonly kind: 'task';
  readonly key: string;
  readonly contactKey: ContactKey;
  readonly title: string;
  readonly assignee: string;
  readonly dueAt?: Millis;
  readonly createdAt: Millis;
  readonly status: 'open' | 'done' | 'cancelled';
}

export type Effect = OutboxEffect | TimerEffect | CancelTimerEffect | TaskEffect;

/** A timer as stored and as fired back into the engine. */
export interface FiredTimer {
  readonly key: string;
  readonly dueAt: Millis;
  readonly contactKey?: ContactKey;
  readonly payload: JsonObject;
  readonly attempts: number;
}

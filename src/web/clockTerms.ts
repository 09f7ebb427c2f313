/**
 * An SLA clock as the SLA board and the lead page show it: the stored clock with how long is left
 * until it is due (or how late it is), in business time for business targets and in wall time.
 * Pure; nothing here throws.
 */
import type { SlaClock } from '../core/sla/model.ts';
import { formatDuration } from './format.ts';
import type { LeadRef } from './leadRef.ts';

export interface DueTerms {
  /** Wall-clock ms until due (negative: past due). */
  readonly wallMs: number;
  /** Business ms until due in the clock's calendar (negative: past due); absent for wall-time targets. */
  readonly businessMs?: number | undefined;
}

export interface ClockRow {
  readonly clock: SlaClock;
  readonly lead: LeadRef;
  /** As of the request; for a stopped clock, not shown. */
  readonly due: DueTerms;
}

/** Running and past its due time (the due timer may not have fired yet). */
export function isOverdue(row: ClockRow): boolean {
  return row.clock.status === 'breached' || row.due.wallMs < 0;
}

/** `2 h 5 min of business time left`, `overdue by 40 min of business time (3 h on the clock)`. */
export function dueText(due: DueTerms): string {
  if (due.businessMs !== undefined) {
    const wall = formatDuration(due.wallMs);
    if (due.businessMs > 0)
      return `${formatDuration(due.businessMs)} of business time left (${wall} on the clock)`;
    if (due.wallMs > 0) return `due at the next opening (${wall} on the clock)`;
    return `overdue by ${formatDuration(due.businessMs)} of business time (${wall} on the clock)`;
  }
  return due.wallMs > 0 ? `due in ${formatDuration(due.wallMs)}` : `overdue by ${formatDuration(due.wallMs)}`;
}

/** The running clocks in board order: overdue first (most overdue on top), then soonest due. */
export function boardOrder(rows: readonly ClockRow[]): ClockRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(isOverdue(b)) - Number(isOverdue(a)) ||
      a.clock.dueAt - b.clock.dueAt ||
      (a.clock.key < b.clock.key ? -1 : a.clock.key > b.clock.key ? 1 : 0),
  );
}

/** `Breached`, `Open`, `Met`, `Cancelled`, with `(stopped)` for a breached clock that no longer runs. */
export function statusText(clock: SlaClock): string {
  const word = clock.status.charAt(0).toUpperCase() + clock.status.slice(1);
  return clock.status === 'breached' && clock.stoppedAt !== undefined ? `${word} (stopped)` : word;
}

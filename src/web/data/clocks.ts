/**
 * What is left of an SLA clock as of now, counted in the calendar the clock counts in (the
 * owner's or the company's, as the engine counts it) for business targets. Does not throw.
 */
import type { SlaModel } from '../../core/sla/model.ts';
import { clockCalendar, type SlaClock } from '../../core/sla/model.ts';
import type { DueTerms } from '../clockTerms.ts';

/** Wall and (for business targets) business ms from `now` to the clock's due time. */
export function dueTerms(clock: SlaClock, model: SlaModel | undefined, now: number): DueTerms {
  const wallMs = clock.dueAt - now;
  if (!clock.business || model === undefined) return { wallMs };
  const definition = model.clocks.find((c) => c.id === clock.clockId);
  try {
    const calendar = clockCalendar(model, definition, clock.owner);
    return { wallMs, businessMs: calendar.businessTimeBetween(now, clock.dueAt) };
  } catch {
    return { wallMs };
  }
}

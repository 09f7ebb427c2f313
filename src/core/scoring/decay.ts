/**
 * Step arithmetic shared by decay and inactivity: full periods elapsed, the instant of the next
 * step, and the wall-clock length of a duration in milliseconds.
 */
import type { Millis } from '../types.ts';
import { wallMinutes, type Duration } from '../time/duration.ts';
import type { DecayModel } from './model.ts';

const MINUTE: Millis = 60_000;
export const DAY: Millis = 86_400_000;

/** Wall-clock length in milliseconds (a month is 30 days; business durations count as wall time). */
export function durationMs(duration: Duration): Millis {
  return wallMinutes(duration) * MINUTE;
}

/** Full periods from `from` to `now`; 0 before `from` or when the period is not positive. */
export function stepsSince(from: Millis, now: Millis, period: Millis): number {
  if (!(period > 0) || now <= from) return 0;
  return Math.floor((now - from) / period);
}

/** The first instant after `now` at which one more full period has elapsed since `from`. */
export function nextStepAt(from: Millis, now: Millis, period: Millis): Millis {
  const next = Math.ceil(from + (stepsSince(from, now, period) + 1) * period);
  // Guard against floating error: the step must land strictly after `now`, and one step later.
  return next > now ? next : now + 1;
}

/** Points left after `steps` steps of `decay`: never below zero. */
export function decayedPoints(points: number, decay: DecayModel | undefined, steps: number): number {
  if (decay === undefined || points <= 0) return Math.max(0, points);
  return Math.max(0, points - decay.points * steps);
}

/** A decay that can actually take points away (a zero-length period never steps). */
export function activeDecay(decay: DecayModel | undefined): DecayModel | undefined {
  return decay !== undefined && decay.points > 0 && durationMs(decay.every) > 0 ? decay : undefined;
}

/** `5 per 1 week since the occurrence`, for explanations. */
export function describeDecay(decay: DecayModel): string {
  const since = decay.from === 'occurrence' ? 'since the occurrence' : 'since the last activity';
  return `${decay.points} per ${decay.every.source} ${since}`;
}

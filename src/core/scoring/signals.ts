/**
 * One engagement signal at `now`, from its memory: whether it qualified (counts, windows, distinct
 * days), its points after linear step decay (never below zero), and when its next step lands.
 */
import type { Millis } from '../types.ts';
import { activeDecay, decayedPoints, describeDecay, durationMs, nextStepAt, stepsSince } from './decay.ts';
import { latestCompletion, type SignalMemory } from './memory.ts';
import type { SignalModel } from './model.ts';

export interface SignalScore {
  /** Points after decay, zero or more. */
  readonly points: number;
  /** Points taken away by decay. */
  readonly decayApplied: number;
  /** Occurrences counted (at or before `now`, since the engagement reset). */
  readonly occurrences: number;
  readonly qualified: boolean;
  readonly reason: string;
  /** The next instant a decay step lowers the points; absent when they cannot fall further. */
  readonly nextStepAt?: Millis;
}

/** `undefined` when the signal never occurred (as of `now`). */
export function scoreSignal(
  signal: SignalModel,
  memory: SignalMemory | undefined,
  lastActivityAt: Millis | undefined,
  resetAt: Millis | undefined,
  now: Millis,
): SignalScore | undefined {
  if (memory === undefined) return undefined;
  const times = memory.times.filter((t) => t <= now && (resetAt === undefined || t >= resetAt));
  const latest = times[times.length - 1];
  if (latest === undefined) return undefined;
  const total = times.length + (memory.dropped ?? 0);
  const atLeast = signal.count?.atLeast ?? 1;
  const within = signal.count?.within;
  const unit = signal.count?.distinctDays === true ? 'day' : 'occurrence';

  let anchor: Millis | undefined;
  if (within !== undefined) {
    const stored = memory.qualifiedAt;
    anchor =
      stored !== undefined && stored <= now && (resetAt === undefined || stored >= resetAt)
        ? stored
        : latestCompletion(times, atLeast, durationMs(within));
  } else if (total >= atLeast) {
    anchor = latest;
  }
  const counted = `${plural(total, unit)}${atLeast > 1 ? ` (at least ${atLeast}${within ? ` within ${within.source}` : ''})` : ''}`;
  if (anchor === undefined) {
    return {
      points: 0,
      decayApplied: 0,
      occurrences: total,
      qualified: false,
      reason: `${counted}: not yet`,
    };
  }

  const base = Math.max(0, signal.points);
  const decay = activeDecay(signal.decay);
  const n = signal.frequency === 'once' ? 1 : Math.min(signal.max ?? Infinity, total);
  const full = n * base;
  const last = `last ${iso(anchor)}`;
  if (decay === undefined) {
    return {
      points: full,
      decayApplied: 0,
      occurrences: total,
      qualified: true,
      reason: `${counted}, ${last}`,
    };
  }

  const period = durationMs(decay.every);
  let points = 0;
  let next: Millis | undefined;
  let steps = 0;
  if (decay.from === 'occurrence') {
    // `once` decays from its latest qualifying occurrence; `each` decays every occurrence counted.
    const from = signal.frequency === 'once' ? [anchor] : times.slice(Math.max(0, times.length - n));
    for (const t of from) {
      const s = stepsSince(t, now, period);
      const left = decayedPoints(base, decay, s);
      points += left;
      steps = Math.max(steps, s);
      if (left > 0) next = Math.min(next ?? Infinity, nextStepAt(t, now, period));
    }
  } else {
    const from = Math.max(lastActivityAt ?? anchor, anchor);
    steps = stepsSince(from, now, period);
    const left = decayedPoints(base, decay, steps);
    points = n * left;
    if (left > 0) next = nextStepAt(from, now, period);
  }
  const decayApplied = full - points;
  const decayText =
    decayApplied > 0
      ? `; −${round2(decayApplied)} (${plural(steps, 'step')} of ${describeDecay(decay)})`
      : '';
  return {
    points,
    decayApplied,
    occurrences: total,
    qualified: true,
    reason: `${counted}, ${last}${decayText}`,
    ...(next === undefined ? {} : { nextStepAt: next }),
  };
}

/** The most a signal can give: `points × max` for `each` with `max`, else its points once. */
export function signalMaximum(signal: SignalModel): number {
  const base = Math.max(0, signal.points);
  return signal.frequency === 'each' && signal.max !== undefined ? base * signal.max : base;
}

export function iso(at: Millis): string {
  return new Date(at).toISOString();
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

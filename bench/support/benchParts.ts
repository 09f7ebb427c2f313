/**
 * What the scoring bench's parts share: the shape of a part's result (table rows plus details for
 * the JSON), number formatting, and ingesting batches through the engine with a simulated clock
 * that follows the events.
 */
import type { SimulatedClock } from '../../src/engine/clock.ts';
import type { ResultRow } from './report.ts';

export const HOUR = 3_600_000;
export const BATCH = 1000;

export interface PartResult {
  readonly rows: ResultRow[];
  readonly details: Record<string, unknown>;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const mib = (bytes: number) => bytes / 1024 ** 2;
export const count = (n: number) => n.toLocaleString('en-US');
export const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;

/** Ingests `batches` in order, the clock moved to each batch's last event first. */
export async function ingestAll(
  ingest: (batch: readonly unknown[]) => Promise<{ accepted: number }>,
  batches: readonly (readonly Record<string, unknown>[])[],
  clock: SimulatedClock,
): Promise<{ ms: number; accepted: number }> {
  let accepted = 0;
  const started = performance.now();
  for (const batch of batches) {
    clock.advanceTo(Date.parse(String(batch[batch.length - 1]?.['at'])));
    accepted += (await ingest(batch)).accepted;
  }
  return { ms: performance.now() - started, accepted };
}

/**
 * Report queries for property tests of the metrics read paths: a range [from, from + length) and
 * the optional source and team filters, drawn or built the same way everywhere.
 */
import { fc } from '@fast-check/vitest';
import type { MetricsQuery } from '../../src/core/metrics/model.ts';

/** [from, from + length) with the filters given (undefined: none). */
export function rangeQuery(
  from: number,
  length: number,
  source: string | undefined,
  team: string | undefined,
): MetricsQuery {
  return Object.assign(
    { from, to: from + length },
    source === undefined ? {} : { source },
    team === undefined ? {} : { team },
  );
}

/** Ranges starting in [from, to] of 1 ms to `maxLength`, with one of `sources` and `teams` or none. */
export function metricQueries(spec: {
  readonly from: number;
  readonly to: number;
  readonly maxLength: number;
  readonly sources: readonly string[];
  readonly teams: readonly string[];
}): fc.Arbitrary<MetricsQuery> {
  return fc
    .tuple(
      fc.integer({ min: spec.from, max: spec.to }),
      fc.integer({ min: 1, max: spec.maxLength }),
      fc.constantFrom(undefined, ...spec.sources),
      fc.constantFrom(undefined, ...spec.teams),
    )
    .map(([from, length, source, team]) => rangeQuery(from, length, source, team));
}

/**
 * An event history as replay and calibration read it: each line validated against the catalog,
 * `at` required (it is the simulated time), the valid events in time order with ties in file order.
 */
import type { Building } from '../core/building.ts';
import { validateEvent, type EventIssue } from '../core/events/validate.ts';
import type { InboundEvent } from '../core/types.ts';
import type { CatalogOptions } from './ingest.ts';

export interface HistoryLine {
  /** 1-based line (NDJSON) or row (CSV) in the input. */
  readonly line: number;
  readonly raw?: unknown;
  /** A line that could not even be parsed. */
  readonly error?: EventIssue;
}

export interface HistoryRejection {
  readonly line: number;
  readonly id?: string;
  readonly issues: readonly EventIssue[];
}

export function timeOrdered(
  lines: readonly HistoryLine[],
  catalog: CatalogOptions,
  defaultSource: string,
): {
  valid: { line: number; event: InboundEvent; raw: unknown }[];
  rejected: HistoryRejection[];
} {
  const rejected: HistoryRejection[] = [];
  const valid: { line: number; event: InboundEvent; raw: unknown }[] = [];
  const spec = Object.assign({}, catalog, { now: 0, defaultSource });
  for (const line of lines) {
    if (line.error) {
      rejected.push({ line: line.line, issues: [line.error] });
      continue;
    }
    const checked = validateEvent(line.raw, spec);
    if (!checked.ok) {
      const rejection: Building<HistoryRejection> = { line: line.line };
      if (checked.id !== undefined) rejection.id = checked.id;
      rejection.issues = checked.issues;
      rejected.push(rejection as HistoryRejection);
    } else if ((line.raw as { at?: unknown }).at === undefined) {
      rejected.push({
        line: line.line,
        id: checked.event.id,
        issues: [
          {
            code: 'event.missing_field',
            path: 'at',
            message: `${defaultSource} needs \`at\` on every event: it is the simulated time`,
          },
        ],
      });
    } else {
      valid.push({ line: line.line, event: checked.event, raw: line.raw });
    }
  }
  valid.sort((a, b) => a.event.at - b.event.at || a.line - b.line);
  return { valid, rejected };
}

/** Lines an event file could not use, on stderr as `FILE:LINE  code  path: message` (the first 20). */
import type { HistoryRejection } from '../../engine/history.ts';
import { write, type CliIo } from '../io.ts';

export const REJECTIONS_SHOWN = 20;

export function reportRejections(io: CliIo, file: string, rejected: readonly HistoryRejection[]): void {
  for (const r of rejected.slice(0, REJECTIONS_SHOWN)) {
    for (const issue of r.issues)
      write(
        io.stderr,
        `${file}:${r.line}  ${issue.code}  ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
      );
  }
  if (rejected.length > REJECTIONS_SHOWN)
    write(io.stderr, `… and ${rejected.length - REJECTIONS_SHOWN} more rejected line(s)`);
}

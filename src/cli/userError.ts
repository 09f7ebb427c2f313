/** Prints a user-caused failure (`RevopsError`) with its code and what to do; returns exit 2. */
import { RevopsError } from '../core/errors.ts';
import { formatIssues } from '../config/formatIssues.ts';
import { EXIT, write, type CliIo } from './io.ts';

export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof RevopsError) {
    write(io.stderr, `error ${error.code}: ${error.message}`);
    if (error.issues.length > 0) write(io.stderr, formatIssues(error.issues));
    if (error.hint) write(io.stderr, `hint: ${error.hint}`);
    return EXIT.user;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(io.stderr, `internal error (a bug in revops, please report it):\n${text}`);
  return EXIT.bug;
}

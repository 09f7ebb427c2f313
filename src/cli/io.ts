/** What a command may touch: its streams and working directory. Tests pass their own. */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly cwd: string;
  /** True when a person is at the keyboard (prompts may be shown). */
  readonly interactive: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Exit codes: 0 done, 2 the user's to fix, 1 a bug. */
export const EXIT = { ok: 0, bug: 1, user: 2 } as const;

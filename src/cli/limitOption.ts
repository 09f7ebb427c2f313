/** Reads a `--limit` option: a whole number (0: no limit), or a coded error saying what is accepted. */
import { RevopsError } from '../core/errors.ts';

export function parseLimitOption(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new RevopsError('cli.invalid_option', `--limit must be a whole number, not \`${text}\``, {
      hint: 'for example --limit 20 (0 lists all)',
    });
  return n;
}

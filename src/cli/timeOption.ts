/** Reads an `--at` option: an ISO time with a zone, or a coded error saying what is accepted. */
import { RevopsError } from '../core/errors.ts';

export function parseAtOption(text: string): number {
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw new RevopsError('cli.invalid_option', `--at must be an ISO time with a zone, not \`${text}\``, {
      hint: 'for example --at 2026-12-01T00:00:00Z',
    });
  }
  return at;
}

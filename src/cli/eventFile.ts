/**
 * Reads events from NDJSON or CSV, streaming, with the line (or row) number of each, so a bad
 * line is reported where it is and the rest still goes in. CSV headers name event paths:
 * `id, type, at, source, contact.email, company.domain, properties.category`, ….
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { RevopsError } from '../core/errors.ts';
import type { ReplayLine } from '../engine/replay.ts';

export type EventFormat = 'ndjson' | 'csv';

export function formatFor(path: string, flag?: string): EventFormat {
  if (flag !== undefined) {
    if (flag === 'ndjson' || flag === 'csv') return flag;
    throw new RevopsError('cli.invalid_option', `--format must be ndjson or csv, not \`${flag}\``, {
      hint: 'NDJSON: one JSON event per line; CSV: a header row of event paths (contact.email, properties.form, …)',
    });
  }
  return /\.csv$/i.test(path) ? 'csv' : 'ndjson';
}

export interface EventInput {
  readonly stream: Readable;
  /** Total bytes when known (a file), for progress. */
  readonly size?: number;
  /** Bytes read so far. */
  readonly bytesRead: () => number;
}

/** Opens a file, or standard input for `-`. Throws a coded error when the file is missing. */
export function openEventInput(path: string, stdin: Readable): EventInput {
  if (path === '-') return { stream: stdin, bytesRead: () => 0 };
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new RevopsError('cli.input_not_found', `no events file at ${path}`, {
      hint: 'check the path, or pass - to read standard input',
    });
  }
  const stream = createReadStream(path);
  return { stream, size, bytesRead: () => stream.bytesRead };
}

/**
 * A whole event file (or standard input for `-`) as numbered lines, for the commands that replay a
 * history: `file` is resolved against `cwd`; the format comes from `--format` or the file name.
 */
export async function readHistory(
  file: string,
  options: { readonly cwd: string; readonly stdin: Readable; readonly format?: string | undefined },
): Promise<ReplayLine[]> {
  const input = openEventInput(file === '-' ? '-' : resolve(options.cwd, file), options.stdin);
  const lines: ReplayLine[] = [];
  for await (const batch of readEventLines(input.stream, formatFor(file, options.format)))
    lines.push(...batch);
  return lines;
}

/** The earliest `at` among the lines (where the simulated clock starts), if any parses. */
export function earliestAt(lines: readonly ReplayLine[]): number | undefined {
  let min: number | undefined;
  for (const line of lines) {
    const at = (line.raw as { at?: unknown } | undefined)?.at;
    const t = typeof at === 'string' ? Date.parse(at) : NaN;
    if (!Number.isNaN(t)) min = Math.min(min ?? t, t);
  }
  return min;
}

/** Yields events in batches of up to `batchSize` lines. */
export async function* readEventLines(
  stream: Readable,
  format: EventFormat,
  batchSize = 1000,
): AsyncGenerator<ReplayLine[]> {
  let batch: ReplayLine[] = [];
  const source = format === 'csv' ? csvLines(stream) : ndjsonLines(stream);
  for await (const line of source) {
    batch.push(line);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* ndjsonLines(stream: Readable): AsyncGenerator<ReplayLine> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    try {
      yield { line, raw: JSON.parse(trimmed) as unknown };
    } catch (error) {
      yield {
        line,
        error: {
          code: 'event.invalid_json',
          path: '',
          message: `not valid JSON (${(error as Error).message.replace(/^.*?: /, '')})`,
        },
      };
    }
  }
}

async function* csvLines(stream: Readable): AsyncGenerator<ReplayLine> {
  const parser = stream.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  let header: string[] | undefined;
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = record.info.lines;
    if (header === undefined) {
      header = record.record.map((h) => h.trim());
      continue;
    }
    // A row with more or fewer cells than the header (an unquoted comma in a company name) would
    // put its values under the wrong columns: it is rejected, the others go on.
    if (record.record.length !== header.length) {
      yield {
        line,
        error: {
          code: 'event.invalid_csv_row',
          path: '',
          message: `${record.record.length} cells where the header has ${header.length} columns: quote a value that holds a comma ("Acme, Inc")`,
        },
      };
      continue;
    }
    yield { line, raw: csvRowToEvent(header, record.record) };
  }
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** `contact.email` → { contact: { email } }; empty cells are left out; numbers in properties become numbers. */
export function csvRowToEvent(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const value = cells[i]?.trim() ?? '';
    if (value === '') return;
    const [head, ...rest] = column.split('.');
    if (head === undefined) return;
    if (rest.length === 0) {
      event[head] = value;
      return;
    }
    const group = (event[head] ??= {}) as Record<string, unknown>;
    const key = rest.join('.');
    group[key] = head === 'properties' && NUMERIC.test(value) ? Number(value) : value;
  });
  return event;
}

export function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

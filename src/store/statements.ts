/**
 * Bulk statements without per-batch compile cost. Rows are split into a few fixed statement sizes
 * (whole runs of the largest power of two, then the binary digits of the rest: 1,000 rows →
 * 512 + 256 + 128 + 64 + 32 + 8), so each table has a handful of statement shapes. Kysely builds
 * and compiles each shape once; later batches reuse its SQL text with fresh parameters, and the
 * SQLite connection reuses the prepared statement for that text.
 */
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';

/** The statement sizes for `count` rows, each a power of two no larger than `largest`. */
export function statementSizes(count: number, largest: number): number[] {
  let max = 1;
  while (max * 2 <= largest) max *= 2;
  const sizes: number[] = [];
  let rest = count;
  while (rest >= max) {
    sizes.push(max);
    rest -= max;
  }
  for (let size = max / 2; size >= 1; size /= 2) {
    if (rest >= size) {
      sizes.push(size);
      rest -= size;
    }
  }
  return sizes;
}

/** Splits `items` into runs of the sizes `statementSizes` picks. */
export function statementChunks<T>(items: readonly T[], largest: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (const size of statementSizes(items.length, largest)) {
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/** The rows' bind parameters in the order Kysely emits them (each row's keys in order; a scalar is itself). */
function parametersOf(chunk: readonly unknown[]): unknown[] {
  const parameters: unknown[] = [];
  for (const row of chunk) {
    if (typeof row === 'object' && row !== null) {
      for (const value of Object.values(row)) parameters.push(value);
    } else {
      parameters.push(row);
    }
  }
  return parameters;
}

interface Template {
  readonly sql: string;
  /** Parameters after the rows' own (constants in an ON CONFLICT clause). */
  readonly tail: readonly unknown[];
}

/** Executes per-shape compiled statements; one cache per store (the SQL is the store's dialect). */
export class StatementCache {
  /** By `name:rows`; null when the shape cannot be reused (parameters not in row order). */
  private readonly templates = new Map<string, Template | null>();

  /**
   * Runs `build(chunk)`, compiling it only the first time this `name` meets this chunk size. The
   * executor may be the store or a transaction: the SQL is the same, the connection differs.
   * Rows must all have the same keys in the same order (as the row mappers build them).
   */
  async execute<R, O>(
    executor: { executeQuery<T>(query: CompiledQuery<T>): Promise<QueryResult<T>> },
    name: string,
    chunk: readonly R[],
    build: (chunk: readonly R[]) => Compilable<O>,
  ): Promise<QueryResult<O>> {
    const key = `${name}:${chunk.length}`;
    const template = this.templates.get(key);
    if (template) {
      const parameters = parametersOf(chunk);
      for (const value of template.tail) parameters.push(value);
      return executor.executeQuery<O>(CompiledQuery.raw(template.sql, parameters));
    }
    const compiled = build(chunk).compile();
    if (template === undefined) {
      const own = parametersOf(chunk);
      const reusable =
        compiled.parameters.length >= own.length &&
        own.every((value, i) => Object.is(value, compiled.parameters[i]));
      this.templates.set(
        key,
        reusable ? { sql: compiled.sql, tail: compiled.parameters.slice(own.length) } : null,
      );
    }
    return executor.executeQuery(compiled);
  }
}

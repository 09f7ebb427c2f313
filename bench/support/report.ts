/**
 * How every bench reports: a table (figure, target, PASS/MISS) on stdout and the same rows, with the
 * machine, parameters and details, in `bench/results/<name>.json`. A MISS is reported, never thrown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { codeVersion, machineLine, type MachineInfo } from './machine.ts';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface Target {
  /** `min`: the figure must be at least `value`; `max`: at most. */
  readonly kind: 'min' | 'max';
  readonly value: number;
}

export interface ResultRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: Target;
  /** Free text shown after the figure (share of the total, counts, …). */
  readonly note?: string;
}

export type Verdict = 'PASS' | 'MISS' | '';

export function verdict(row: ResultRow): Verdict {
  if (row.target === undefined) return '';
  return (row.target.kind === 'min' ? row.value >= row.target.value : row.value <= row.target.value)
    ? 'PASS'
    : 'MISS';
}

/** `123456.7` → `123,457`; small numbers keep significant decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = Number.isInteger(value) || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function targetText(row: ResultRow): string {
  if (row.target === undefined) return '—';
  return `${row.target.kind === 'min' ? '≥' : '≤'} ${formatNumber(row.target.value)} ${row.unit}`;
}

export interface BenchReport {
  readonly bench: string;
  readonly title: string;
  readonly machine: MachineInfo;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly rows: readonly ResultRow[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Prints the table and writes the JSON; returns the JSON file's path. */
export function report(result: BenchReport): string {
  const table = new Table({
    head: ['Benchmark', 'Figure', 'Target', 'Result', 'Note'],
    colAligns: ['left', 'right', 'right', 'center', 'left'],
    style: { head: [], border: [] },
  });
  for (const row of result.rows) {
    table.push([
      row.name,
      `${formatNumber(row.value)} ${row.unit}`,
      targetText(row),
      verdict(row),
      row.note ?? '',
    ]);
  }
  console.log(`\n${result.title}`);
  console.log(machineLine(result.machine));
  const code = codeVersion();
  const dirty = code.uncommitted.length > 0 ? ` + uncommitted ${code.uncommitted.join(', ')}` : '';
  console.log(`code: ${code.commit}${dirty}`);
  console.log(table.toString());

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.bench}.json`);
  const json = {
    bench: result.bench,
    title: result.title,
    finishedAt: new Date().toISOString(),
    command: `${process.env['BENCH_EVENTS'] === undefined ? '' : `BENCH_EVENTS=${process.env['BENCH_EVENTS']} `}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: result.machine,
    machineLine: machineLine(result.machine),
    code,
    parameters: result.parameters,
    results: result.rows.map((row) => ({ ...row, result: verdict(row) || undefined })),
    ...(result.details === undefined ? {} : { details: result.details }),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`results: ${file}`);
  return file;
}

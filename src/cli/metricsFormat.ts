/**
 * `revops metrics` output: the report of one area or view as terminal tables, or as CSV. Both walk
 * the same JSON the API answers with, so every number shown is one of the API's (formatted).
 *
 * Tables: a headline table of every figure and count (value, benchmark, flag: ✓ inside the band,
 * ▲ high, ▼ low), then one table per list (by source, by stage, by rep, …); rows whose numbers are
 * all zero or empty are left out of the lists. CSV: one line per number, `metric,value,
 * benchmark_min,benchmark_max,status`, raw values (fractions, milliseconds) as in the JSON.
 */
import { PLAIN } from './plainStyle.ts';
import Table from 'cli-table3';
import { DateTime } from 'luxon';
import type { AreaReport, ViewReport } from '../engine/metricsInput.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Figure {
  readonly value: number | null;
  readonly benchmark?: { readonly min?: number; readonly max?: number };
  readonly status: string;
  readonly reason?: string;
}

const STATUSES = new Set(['ok', 'low', 'high', 'n/a']);

function isFigure(value: Json | undefined): value is JsonObject & Figure {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'value' in value &&
    typeof value['status'] === 'string' &&
    STATUSES.has(value['status'])
  );
}

/** Tables without lines between rows. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- units: how a number reads, from its key (and its parent's, where a key means two things)

type Unit = 'percent' | 'duration' | 'money' | 'ratio' | 'days' | 'months' | 'instant' | 'number';

const PERCENT = new Set([
  'leadToMql',
  'mqlToSql',
  'sqlToOpportunity',
  'opportunityToCustomer',
  'conversion',
  'share',
  'winRate',
  'slipRate',
  'withinSla',
  'compliance',
  'slaCompliance',
  'acceptance',
  'accuracy',
  'attainment',
  'mqlRate',
  'target',
  'deviation',
  'maxDeviation',
]);
const MONEY = new Set([
  'amount',
  'wonAmount',
  'spend',
  'sales',
  'marketing',
  'cac',
  'ltv',
  'costPerMql',
  'weighted',
  'commit',
  'forecastWonAmount',
  'quota',
  'remaining',
  'averageWonAmount',
  'velocityPerDay',
  'wonInRange',
]);
const RATIO = new Set(['coverage', 'ltvToCac']);

/** The unit of `key` under `parent` (the enclosing object's or list's key). */
export function unitOf(key: string, parent = ''): Unit {
  if (key.endsWith('Ms')) return 'duration';
  if (key === 'from' || key === 'to') return 'instant';
  if (key.endsWith('Days')) return 'days';
  if (key === 'paybackMonths') return 'months';
  if (PERCENT.has(key)) return 'percent';
  if (RATIO.has(key)) return 'ratio';
  if (MONEY.has(key)) return 'money';
  if (key === 'won' && (parent === 'quota' || parent === 'revenue')) return 'money';
  if (key === 'total' && (parent === 'spend' || parent === 'costPerMql')) return 'money';
  return 'number';
}

const trim = (n: number, places: number): string => String(Number(n.toFixed(places)));

/** `45s`, `3m 20s`, `2h 5m`, `3d 4h`. */
export function durationText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const sign = ms < 0 ? '-' : '';
  if (s < 60) return `${sign}${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}m${s % 60 === 0 ? '' : ` ${s % 60}s`}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${sign}${h}h${m % 60 === 0 ? '' : ` ${m % 60}m`}`;
  const d = Math.floor(h / 24);
  return `${sign}${d}d${h % 24 === 0 ? '' : ` ${h % 24}h`}`;
}

export interface FormatOptions {
  /** ISO currency code for money (`USD`). */
  readonly currency: string;
  /** The zone instants are shown in (the report's). */
  readonly timezone: string;
}

/** `$12,000`, `$1,234.50`: cents only when there are some. */
function moneyText(value: number, currency: string): string {
  const digits = Number.isInteger(value) ? 0 : 2;
  const number: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${value.toLocaleString('en-US', number)} ${currency}`;
  }
}

/** A number as people read it in `unit`; `—` for none. */
export function numberText(value: number | null, unit: Unit, options: FormatOptions): string {
  if (value === null) return '—';
  switch (unit) {
    case 'percent':
      return `${trim(value * 100, 2)}%`;
    case 'duration':
      return durationText(value);
    case 'money':
      return moneyText(value, options.currency);
    case 'ratio':
      return `${trim(value, 2)}×`;
    case 'days':
      return `${trim(value, 2)} d`;
    case 'months':
      return `${trim(value, 2)} mo`;
    case 'instant':
      return DateTime.fromMillis(value, { zone: options.timezone }).toFormat('yyyy-MM-dd HH:mm');
    case 'number':
      return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
}

function benchmarkText(figure: Figure, unit: Unit, options: FormatOptions): string {
  const b = figure.benchmark;
  if (b === undefined || (b.min === undefined && b.max === undefined)) return '';
  const text = (n: number) => numberText(n, unit, options);
  if (b.min !== undefined && b.max !== undefined) return `${text(b.min)} – ${text(b.max)}`;
  return b.min !== undefined ? `≥ ${text(b.min)}` : `≤ ${text(b.max as number)}`;
}

/** ✓ inside the benchmark band, ▲ high, ▼ low; empty without a benchmark or a value. */
export function flagOf(status: string): string {
  if (status === 'ok') return '✓';
  if (status === 'high') return '▲ high';
  if (status === 'low') return '▼ low';
  return '';
}

// ---- labels

const LABELS: Readonly<Record<string, string>> = {
  leadToMql: 'Lead → MQL',
  mqlToSql: 'MQL → SQL',
  sqlToOpportunity: 'SQL → opportunity',
  opportunityToCustomer: 'Opportunity → customer',
  mqlRate: 'MQL rate',
  mqls: 'MQLs',
  sqls: 'SQLs',
  ltvToCac: 'LTV:CAC',
  cac: 'CAC',
  ltv: 'LTV',
  costPerMql: 'Cost per MQL',
  p90Ms: 'p90',
  averageMs: 'Average',
  medianMs: 'Median',
  withinSla: 'Within SLA',
  slaCompliance: 'SLA compliance',
  speedToLead: 'Speed to lead',
  byHour: 'By hour (company time)',
  byWeekday: 'By weekday (company time)',
  byResponse: 'By response time',
  pastP90: 'Past p90',
  vsActual: 'Forecast vs actual',
  medianLateMs: 'Median lateness',
  oldestWaitingMs: 'Oldest waiting',
  openMedianAgeMs: 'Open median age',
  medianDecisionMs: 'Median decision time',
  targetMs: 'Target',
  clockId: 'Clock',
  sla: 'SLA',
  dealDesk: 'Deal desk',
  velocityPerDay: 'Velocity per day',
  newCustomers: 'New customers',
  paybackMonths: 'Payback',
  timeInStage: 'Time in stage',
};

/** `averageCycleDays` → `Average cycle days`; known keys read as `LABELS` says. */
export function labelOf(key: string): string {
  const known = LABELS[key];
  if (known !== undefined) return known;
  const words = key
    .replace(/Ms$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Keys that describe the report, not a figure (shown in the title line). */
const META = new Set(['window', 'filters', 'view']);

// ---- walking the report

interface HeadlineRow {
  readonly label: string;
  readonly value: string;
  readonly benchmark: string;
  readonly flag: string;
}

interface ListTable {
  readonly title: string;
  readonly parent: string;
  readonly rows: readonly JsonObject[];
}

interface Walked {
  readonly headline: HeadlineRow[];
  readonly notes: string[];
  readonly lists: ListTable[];
}

function walk(object: JsonObject, path: readonly string[], options: FormatOptions, into: Walked): void {
  for (const [key, value] of Object.entries(object)) {
    if (path.length === 0 && META.has(key)) continue;
    const label = [...path.map(labelOf), labelOf(key)].join(' · ');
    const parent = path[path.length - 1] ?? '';
    if (isFigure(value)) {
      const unit = unitOf(key, parent);
      into.headline.push({
        label,
        value: numberText(value.value, unit, options),
        benchmark: benchmarkText(value, unit, options),
        flag: flagOf(value.status),
      });
      if (value.value === null && value.reason !== undefined) into.notes.push(`${label}: ${value.reason}`);
    } else if (typeof value === 'number' || value === null) {
      into.headline.push({
        label,
        value: numberText(value, unitOf(key, parent), options),
        benchmark: '',
        flag: '',
      });
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      into.headline.push({ label, value: String(value), benchmark: '', flag: '' });
    } else if (Array.isArray(value)) {
      if (value.every(isObject)) into.lists.push({ title: label, parent: key, rows: value });
      else into.headline.push({ label, value: value.map(String).join(', ') || '—', benchmark: '', flag: '' });
    } else {
      walk(value, [...path, key], options, into);
    }
  }
}

const hasData = (row: JsonObject): boolean =>
  Object.values(row).some((v) => (typeof v === 'number' && v !== 0) || typeof v === 'boolean' || isFigure(v));

/** A row's id for nested lists and CSV paths: its first text field. */
function rowId(row: JsonObject, index: number): string {
  const text = Object.values(row).find((v) => typeof v === 'string');
  return typeof text === 'string' ? text : String(index);
}

function cell(key: string, value: Json | undefined, parent: string, options: FormatOptions): string {
  if (value === undefined) return '';
  if (isFigure(value)) {
    const flag = flagOf(value.status);
    return `${numberText(value.value, unitOf(key, parent), options)}${flag === '' ? '' : ` ${flag}`}`;
  }
  if (typeof value === 'number' || value === null) return numberText(value, unitOf(key, parent), options);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

function listTables(list: ListTable, options: FormatOptions): string[] {
  const shown = list.rows.filter(hasData);
  const keys = [...new Set(list.rows.flatMap((r) => Object.keys(r)))];
  const scalarKeys = keys.filter((k) => !list.rows.some((r) => Array.isArray(r[k])));
  const nestedKeys = keys.filter((k) => list.rows.some((r) => Array.isArray(r[k])));
  const left = list.rows.length - shown.length;
  const heading = `${list.title}${left > 0 ? ` (${left} ${left === 1 ? 'row' : 'rows'} without data left out)` : ''}`;
  if (shown.length === 0) return [`${list.title}: none`];
  const table = new Table({
    head: scalarKeys.map(labelOf),
    chars: COMPACT,
    style: PLAIN,
    colAligns: scalarKeys.map((k) => (shown.some((r) => typeof r[k] === 'string') ? 'left' : 'right')),
  });
  for (const row of shown) table.push(scalarKeys.map((k) => cell(k, row[k], list.parent, options)));
  const out = [heading, table.toString()];
  shown.forEach((row, i) => {
    for (const key of nestedKeys) {
      const nested = row[key];
      if (Array.isArray(nested) && nested.every(isObject))
        out.push(
          ...listTables(
            { title: `${list.title} · ${rowId(row, i)} · ${labelOf(key)}`, parent: key, rows: nested },
            options,
          ),
        );
    }
  });
  return out;
}

const TITLES: Readonly<Record<string, string>> = {
  funnel: 'Funnel',
  pipeline: 'Pipeline',
  economics: 'Unit economics',
  'speed-to-lead': 'Speed to lead',
  sla: 'SLA compliance',
  routing: 'Routing',
  scoring: 'Scoring health',
  marketing: 'Marketing view',
  sales: 'Sales view',
  executive: 'Executive view',
};

/** `2026-10-01 – 2026-10-31` when the range is whole local days, else local times. */
export function rangeText(report: Pick<AreaReport, 'from' | 'to' | 'timezone'>): string {
  const from = DateTime.fromISO(report.from, { zone: report.timezone });
  const to = DateTime.fromISO(report.to, { zone: report.timezone });
  const midnight = (t: DateTime) => t.hour === 0 && t.minute === 0 && t.second === 0 && t.millisecond === 0;
  if (midnight(from) && midnight(to))
    return `${from.toISODate() ?? ''} – ${to.minus({ days: 1 }).toISODate() ?? ''} (${report.timezone})`;
  const text = (t: DateTime) => t.toFormat('yyyy-MM-dd HH:mm');
  return `${text(from)} – ${text(to)} (${report.timezone})`;
}

function titleOf(report: AreaReport | ViewReport): string {
  const name = 'area' in report ? report.area : report.view;
  const { source, team } = report.filters;
  const filters = [
    source === null ? 'all sources' : `source ${source}`,
    team === null ? 'all teams' : `team ${team}`,
  ];
  return `${TITLES[name] ?? name}: ${rangeText(report)}, ${filters.join(', ')}; as of ${report.asOf}`;
}

/** The report as terminal tables (see the module comment). */
export function metricsTables(report: AreaReport | ViewReport, currency: string): string {
  const options: FormatOptions = { currency, timezone: report.timezone };
  const walked: Walked = { headline: [], notes: [], lists: [] };
  walk(report.metrics as unknown as JsonObject, [], options, walked);
  const headline = new Table({
    head: ['Figure', 'Value', 'Benchmark', 'Flag'],
    colAligns: ['left', 'right', 'right', 'left'],
    chars: COMPACT,
    style: PLAIN,
  });
  for (const row of walked.headline) headline.push([row.label, row.value, row.benchmark, row.flag]);
  const out = [titleOf(report), headline.toString()];
  if (walked.notes.length > 0) out.push(walked.notes.map((n) => `— ${n}`).join('\n'));
  for (const list of walked.lists) out.push('', ...listTables(list, options));
  return out.join('\n');
}

// ---- CSV

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLines(value: Json, path: string, lines: string[][]): void {
  if (isFigure(value)) {
    lines.push([
      path,
      value.value === null ? '' : String(value.value),
      value.benchmark?.min === undefined ? '' : String(value.benchmark.min),
      value.benchmark?.max === undefined ? '' : String(value.benchmark.max),
      value.status,
    ]);
  } else if (Array.isArray(value)) {
    if (value.every(isObject)) value.forEach((row, i) => csvLines(row, `${path}[${rowId(row, i)}]`, lines));
    else lines.push([path, value.map(String).join(' '), '', '', '']);
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) csvLines(v, path === '' ? key : `${path}.${key}`, lines);
  } else {
    lines.push([path, value === null ? '' : String(value), '', '', '']);
  }
}

/** The report as CSV: a header, the range and filters, then one line per number. */
export function metricsCsv(report: AreaReport | ViewReport): string {
  const lines: string[][] = [['metric', 'value', 'benchmark_min', 'benchmark_max', 'status']];
  const name = 'area' in report ? report.area : report.view;
  lines.push(['area' in report ? 'area' : 'view', name, '', '', '']);
  for (const key of ['timezone', 'from', 'to', 'asOf'] as const) lines.push([key, report[key], '', '', '']);
  lines.push(['filters.source', report.filters.source ?? '', '', '', '']);
  lines.push(['filters.team', report.filters.team ?? '', '', '', '']);
  const metrics = Object.assign({}, report.metrics as unknown as JsonObject);
  for (const key of META) delete metrics[key];
  csvLines(metrics, '', lines);
  return `${lines.map((l) => l.map(csvField).join(',')).join('\n')}\n`;
}

/**
 * `revops calibrate --config FILE --history FILE`: retro-scores every lead of a history with the
 * config's scoring model and reports what the threshold and the points should be, judged against
 * closed-won and closed-lost outcomes (`deal` events). Nothing is written anywhere.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import { calibrationReport, type CalibrationReport } from '../../core/calibration/calibrate.ts';
import { retroScore } from '../../core/calibration/retro.ts';
import type { ThresholdRow } from '../../core/calibration/thresholds.ts';
import { RevopsError } from '../../core/errors.ts';
import type { ScoringModel } from '../../core/scoring/model.ts';
import { engineSetup } from '../../config/engineModel.ts';
import { timeOrdered } from '../../engine/history.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { readHistory } from '../eventFile.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';
import { reportRejections } from './rejections.ts';

export interface CalibrateOptions {
  readonly config: string;
  readonly history: string;
  readonly json?: boolean;
  readonly format?: string;
  readonly step?: string;
  readonly l2?: string;
  readonly limit?: string;
}

export async function calibrateCommand(io: CliIo, options: CalibrateOptions): Promise<number> {
  const step = positiveNumber(options.step ?? '5', '--step');
  const l2 = positiveNumber(options.l2 ?? '1', '--l2');
  const limit = Math.floor(positiveNumber(options.limit ?? '10', '--limit'));
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;

  const lines = await readHistory(options.history, { cwd: io.cwd, stdin: io.stdin, format: options.format });

  const setup = engineSetup(config);
  const { valid, rejected } = timeOrdered(lines, setup.catalog, 'calibrate');
  const seen = new Set<string>();
  const events = valid.filter(({ event }) => !seen.has(event.id) && seen.add(event.id)).map((v) => v.event);
  if (events.length === 0) {
    reportRejections(io, options.history, rejected);
    throw new RevopsError('cli.invalid_option', `no usable events in ${options.history}`, {
      hint: 'calibrate needs the lead history as events (NDJSON or CSV, docs/events.md) with `deal` events whose action is closed_won or closed_lost',
    });
  }

  const bar = progressBar(io.stderr, 'retro-scoring', events.length, io.interactive && !options.json);
  const retro = retroScore(events, setup.model, (done) => bar.update(done));
  bar.stop();
  const report = calibrationReport(retro, config.scoring, { step, l2 });
  if (report.outcomes.won + report.outcomes.lost === 0) {
    reportRejections(io, options.history, rejected);
    throw new RevopsError('cli.invalid_option', `no outcomes in ${options.history}`, {
      hint: 'add a `deal` event per closed lead: {"type":"deal","contact":{"email":…},"properties":{"action":"closed_won"}} (or closed_lost)',
    });
  }
  if (options.json) {
    write(
      io.stdout,
      JSON.stringify(
        {
          config: options.config,
          history: options.history,
          events: { used: events.length, rejected: rejected.length },
          ...report,
        },
        null,
        2,
      ),
    );
  } else {
    write(io.stdout, readable(report, config.scoring, options.history, limit));
  }
  reportRejections(io, options.history, rejected);
  return rejected.length > 0 ? EXIT.user : EXIT.ok;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RevopsError('cli.invalid_option', `${flag} must be a positive number, not \`${text}\``, {
      hint: `e.g. ${flag} ${flag === '--l2' ? '1' : '5'}`,
    });
  }
  return value;
}

const pct = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);

function readable(report: CalibrationReport, model: ScoringModel, history: string, limit: number): string {
  const { current, suggested, atCurrent, atSuggested } = report.threshold;
  const out: string[] = [];
  out.push(
    `Calibrated against ${history}: ${report.leads} leads, ${report.outcomes.won + report.outcomes.lost} with an outcome (${report.outcomes.won} won, ${report.outcomes.lost} lost).`,
    'Each lead is judged by the best score it reached before its outcome while fit and engagement met their minimums (when it would have qualified).',
    '',
    `Current threshold ${current}: ${summary(atCurrent)}.`,
  );
  if (suggested !== undefined && atSuggested !== undefined) {
    if ((atSuggested.recall ?? 0) >= 0.8) {
      out.push(
        `80% of closed-won qualify at ${suggested} or above (the reference's starting point): ${summary(atSuggested)}.`,
      );
    } else {
      out.push(
        `No threshold lets 80% of closed-won qualify: even at ${suggested} only ${pct(atSuggested.recall)} do, because ${report.threshold.wonBelowMinimums} of ${report.outcomes.won} won leads never met the fit or engagement minimum (scoring.fitMin ${model.fitMin}, scoring.engagementMin ${model.engagementMin}).`,
        '  → Lower the minimums, or give points for what those won leads did (see the false negatives below).',
      );
    }
  }
  if (report.orphanOutcomes > 0)
    out.push(`${report.orphanOutcomes} outcome(s) name a lead with no earlier event and were left out.`);

  const thresholds = new Table({
    head: ['threshold', 'MQLs', 'won', 'lost', 'precision', 'recall', 'false +', 'false −', ''],
    style: PLAIN,
  });
  for (const row of report.table) {
    const marks = [
      ...(row.threshold === current ? ['current'] : []),
      ...(row.threshold === suggested ? ['80% of won'] : []),
    ];
    thresholds.push([
      String(row.threshold),
      String(row.mqls),
      String(row.won),
      String(row.lost),
      pct(row.precision),
      pct(row.recall),
      String(row.falsePositives),
      String(row.falseNegatives),
      marks.join(', '),
    ]);
  }
  out.push('', thresholds.toString());

  const misjudged = (title: string, list: CalibrationReport['falsePositives']) => {
    if (list.length === 0) return;
    out.push('', `${title} (${list.length}${list.length > limit ? `, first ${limit}` : ''}):`);
    for (const lead of list.slice(0, limit)) {
      out.push(
        `  ${lead.email ?? lead.id}  best ${lead.score}${lead.eligible ? '' : ' (minimums never met)'}  closed ${new Date(lead.closedAt).toISOString().slice(0, 10)}`,
      );
    }
  };
  misjudged(`Closed-lost that qualify at ${current} (false positives)`, report.falsePositives);
  misjudged(`Closed-won that do not qualify at ${current} (false negatives)`, report.falseNegatives);

  const points = new Table({
    head: ['rule', 'now', 'suggested', 'won when hit', 'when not', 'hit by', 'advice'],
    style: PLAIN,
    wordWrap: true,
    colWidths: [34, 6, 11, 14, 10, 8, 16],
  });
  for (const s of report.points.suggestions) {
    points.push([
      `${s.label}\n(${s.dimension}: ${s.ruleId})`,
      String(s.current),
      String(s.suggested),
      pct(s.winRateHit),
      pct(s.winRateMiss),
      String(s.hits),
      s.advice.replace('_', ' '),
    ]);
  }
  out.push(
    '',
    `Suggested points (logistic regression of won/lost on which rules hit, L2 ${report.points.l2}, ${report.points.leads} leads; the positive points are shared out as the coefficients say, so the threshold keeps its meaning):`,
    points.toString(),
  );

  out.push('');
  if (report.warnings.length === 0) out.push('No warning signs.');
  else {
    out.push('Warning signs:');
    for (const w of report.warnings) out.push(`  ! ${w.code}: ${w.message}`, `    → ${w.hint}`);
  }
  out.push('', 'Use --json for every figure, every misjudged lead and the regression coefficients.');
  return out.join('\n');
}

function summary(row: ThresholdRow): string {
  return `${row.mqls} MQLs, precision ${pct(row.precision)}, recall ${pct(row.recall)}, ${row.falsePositives} closed-lost above, ${row.falseNegatives} closed-won below`;
}

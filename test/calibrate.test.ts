// `revops calibrate` against the generated history in examples/calibration, whose ground truth
// (truth.json: every outcome lead's true features and the true effects) the results must match.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationReport, type CalibrationReport } from '../src/core/calibration/calibrate.ts';
import { retroScore, type RetroResult } from '../src/core/calibration/retro.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { safeLoadConfigText } from '../src/config/loader.ts';
import { readTemplate } from '../src/config/templates/index.ts';
import type { RevopsConfig } from '../src/config/schema/index.ts';
import { timeOrdered, type HistoryLine } from '../src/engine/history.ts';
import { runRevops } from './support/cli.ts';

const HISTORY = new URL('../examples/calibration/history.ndjson', import.meta.url);
const HISTORY_TEXT = readFileSync(HISTORY, 'utf8');

interface Truth {
  readonly model: { readonly effects: Readonly<Record<string, number>> };
  readonly featureRules: Readonly<Record<string, string>>;
  readonly totals: {
    readonly leads: number;
    readonly outcomes: number;
    readonly won: number;
    readonly lost: number;
    readonly accept: number;
    readonly reject: number;
  };
  readonly leads: readonly {
    readonly email: string;
    readonly features: Readonly<Record<string, boolean>>;
    readonly outcome: 'won' | 'lost';
  }[];
}
const TRUTH = JSON.parse(
  readFileSync(new URL('../examples/calibration/truth.json', import.meta.url), 'utf8'),
) as Truth;

function salesLed(edit: (text: string) => string = (t) => t): RevopsConfig {
  const loaded = safeLoadConfigText(edit(readTemplate('sales-led')), 'sales-led.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}
const NO_MINIMUMS = (text: string) =>
  text.replace(/^ {2}fitMin: 40$/m, '  fitMin: 0').replace(/^ {2}engagementMin: 25$/m, '  engagementMin: 0');

function calibrate(config: RevopsConfig): { retro: RetroResult; report: CalibrationReport } {
  const lines: HistoryLine[] = HISTORY_TEXT.split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => ({ line: i + 1, raw: JSON.parse(l) as unknown }));
  const setup = engineSetup(config);
  const { valid, rejected } = timeOrdered(lines, setup.catalog, 'calibrate');
  expect(rejected).toEqual([]);
  const retro = retroScore(
    valid.map((v) => v.event),
    setup.model,
  );
  return { retro, report: calibrationReport(retro, config.scoring) };
}

describe('calibrate on the generated history (sales-led)', () => {
  let retro: RetroResult;
  let report: CalibrationReport;
  beforeAll(() => {
    ({ retro, report } = calibrate(salesLed()));
  });

  it('finds every lead, outcome and sales decision the generator wrote', () => {
    expect(report.leads).toBe(TRUTH.totals.leads);
    expect(report.outcomes).toEqual({ won: TRUTH.totals.won, lost: TRUTH.totals.lost });
    expect(report.orphanOutcomes).toBe(0);
    expect(report.decisions).toEqual({ accepted: TRUTH.totals.accept, rejected: TRUTH.totals.reject });
  });

  it('sees exactly the rule hits the generator drew for every lead with an outcome', () => {
    const byEmail = new Map(retro.leads.map((l) => [l.email, l]));
    let compared = 0;
    for (const lead of TRUTH.leads) {
      const retroLead = byEmail.get(lead.email);
      expect(retroLead?.outcome, lead.email).toBe(lead.outcome);
      for (const [feature, rule] of Object.entries(TRUTH.featureRules)) {
        if (rule.startsWith('fastTrack:')) continue; // fast-track gives no points: not a rule hit
        expect(retroLead?.hits.has(rule), `${lead.email} ${rule}`).toBe(lead.features[feature]);
        compared++;
      }
    }
    expect(compared).toBe(TRUTH.totals.outcomes * 12);
  });

  it('recovers the true effects: each coefficient within 3 standard errors, the real ones with their sign', () => {
    for (const [feature, rule] of Object.entries(TRUTH.featureRules)) {
      if (rule.startsWith('fastTrack:')) continue;
      const truth = TRUTH.model.effects[feature] ?? NaN;
      const s = report.points.suggestions.find((x) => `${x.dimension}:${x.ruleId}` === rule);
      expect(s, rule).toBeDefined();
      if (s === undefined) continue;
      expect(Math.abs(s.coefficient - truth), `${rule}: ${s.coefficient} vs ${truth}`).toBeLessThan(
        3 * s.standardError,
      );
      if (truth !== 0) expect(Math.sign(s.coefficient), rule).toBe(Math.sign(truth));
    }
  });

  it('advises from the evidence: raise demo requests, drop the two signals that predict nothing', () => {
    const advice = Object.fromEntries(
      report.points.suggestions.map((s) => [s.ruleId, [s.current, s.suggested, s.advice]]),
    );
    expect(advice['demo-request']).toEqual([30, 65, 'raise']);
    // True effect 0, given 15 and 10 points by the template.
    expect(advice['executive-webinar']).toEqual([15, 0, 'remove']);
    // 131 hits cannot rule out its 10 points, nor 0: kept, with a range that says so.
    expect(advice['roi-guide']).toEqual([10, 10, 'keep']);
    const roi = report.points.suggestions.find((x) => x.ruleId === 'roi-guide');
    expect(roi?.range.low).toBeLessThan(0);
    expect(roi?.range.high).toBeGreaterThanOrEqual(10);
    // True effect −1.5, and −30 today: the data agrees.
    expect(advice['company-too-small']).toEqual([-30, -30, 'keep']);
    expect(advice['competitor-domain']).toEqual([-50, -50, 'too_few_leads']);
  });

  it('reports the current threshold’s errors and the warning signs the history was built to show', () => {
    expect(report.threshold.current).toBe(75);
    expect(report.threshold.atCurrent).toEqual({
      threshold: 75,
      mqls: 158,
      won: 69,
      lost: 15,
      precision: 69 / 84,
      recall: 69 / 185,
      falsePositives: 15,
      falseNegatives: 116,
    });
    expect(report.falsePositives).toHaveLength(15);
    expect(report.falseNegatives).toHaveLength(116);
    expect(report.falsePositives.every((l) => l.outcome === 'lost')).toBe(true);
    // Sales accepted 428 of 1,786 decisions (24%), and most won leads never met fitMin.
    expect(report.warnings.map((w) => w.code)).toEqual(['low_acceptance', 'low_scores_converting']);
    expect(report.threshold.wonBelowMinimums).toBe(104);
    expect(report.threshold.atSuggested?.recall).toBeLessThan(0.8);
  });

  it('applies the 80%-of-closed-won rule once the minimums let every lead compete', () => {
    const config = salesLed(NO_MINIMUMS);
    const { retro: openRetro, report: open } = calibrate(config);
    expect(open.threshold.suggested).toBe(89);
    const recallAt = (t: number) => open.table.find((r) => r.threshold === t)?.recall ?? 0;
    expect(recallAt(89)).toBeGreaterThanOrEqual(0.8);
    expect(open.threshold.wonBelowMinimums).toBe(0);
    // One point higher no longer qualifies 80% of the won.
    const above = calibrationReport(openRetro, { ...config.scoring, threshold: 90 }).threshold.atCurrent;
    expect(above.recall).toBeLessThan(0.8);
  });
});

describe('revops calibrate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'revops-calibrate-'));
    writeFileSync(join(dir, 'revops.yaml'), readTemplate('sales-led'));
    writeFileSync(join(dir, 'history.ndjson'), HISTORY_TEXT);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the threshold table, the point suggestions and the warning signs', async () => {
    const run = await runRevops(dir, ['calibrate', '-c', 'revops.yaml', '--history', 'history.ndjson']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Calibrated against history.ndjson: 1200 leads, 428 with an outcome (185 won, 243 lost).',
    );
    expect(run.stdout).toContain(
      'Current threshold 75: 158 MQLs, precision 82%, recall 37%, 15 closed-lost above, 116 closed-won below.',
    );
    expect(run.stdout).toContain(
      'No threshold lets 80% of closed-won qualify: even at 0 only 44% do, because 104 of 185 won leads never met the fit or engagement minimum (scoring.fitMin 40, scoring.engagementMin 25).',
    );
    expect(run.stdout).toContain('Closed-lost that qualify at 75 (false positives) (15, first 10):');
    expect(run.stdout).toContain('! low_acceptance: Sales accepted 428 of 1786');
  });

  it('says what to do with a history that has no outcomes', async () => {
    writeFileSync(
      join(dir, 'no-outcomes.ndjson'),
      HISTORY_TEXT.split('\n')
        .filter((l) => !l.includes('"closed_'))
        .join('\n'),
    );
    const run = await runRevops(dir, ['calibrate', '-c', 'revops.yaml', '--history', 'no-outcomes.ndjson']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cli.invalid_option');
    expect(run.stderr).toContain('no outcomes in no-outcomes.ndjson');
    expect(run.stderr).toContain('closed_won');
  });

  it('rejects a bad --step', async () => {
    const run = await runRevops(dir, ['calibrate', '-c', 'revops.yaml', '--history', 'x', '--step', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--step must be a positive number, not `abc`');
  });
});

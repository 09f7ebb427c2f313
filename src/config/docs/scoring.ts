/**
 * Document 2, scoring specification: the model and its formula, the MQL rule, fit groups,
 * engagement signals with counts and decay, negative signals, fast-track actions, grades, the
 * account roll-up and the recalibration routine.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { automationsSection, docHeader, facts } from './common.ts';
import {
  formatDecay,
  formatDuration,
  formatNumber,
  formatPercent,
  formatPercentRange,
  formatPoints,
} from './format.ts';
import { blocks, bullets, code, fence, heading, numbered, table, text } from './markdown.ts';
import { EFFECTS, negativeRule, signalCounts, signalFrequency } from './scoringSignals.ts';

type Scoring = RevopsConfig['scoring'];
type Bucket = Scoring['fit']['groups'][number]['buckets'][number];

/** The fit maximum: the override, or the best bucket of each group added up. */
export function fitMaximum(scoring: Scoring): number {
  return (
    scoring.fitMax ??
    scoring.fit.groups.reduce((sum, g) => sum + Math.max(0, ...g.buckets.map((b) => b.points)), 0)
  );
}

/** The engagement maximum: the override, or every positive signal counted once. */
export function engagementMaximum(scoring: Scoring): number {
  return (
    scoring.engagementMax ?? scoring.engagement.signals.reduce((sum, s) => sum + Math.max(0, s.points), 0)
  );
}

export function renderScoring(config: RevopsConfig): string {
  const s = config.scoring;
  return blocks(
    docHeader(
      config,
      'Scoring specification',
      'It defines how a lead earns fit and engagement points, what takes points away, and exactly when a lead becomes a marketing qualified lead (MQL).',
    ),
    model(s),
    heading(2, 'Fit: who they are'),
    'Within each group a lead earns the points of the first bucket it matches, in the order listed; groups add up.',
    s.fit.groups.map((g) =>
      blocks(
        heading(
          3,
          `${text(g.label)} (best bucket ${formatPoints(Math.max(0, ...g.buckets.map((b) => b.points)))})`,
        ),
        table(
          ['Bucket', 'Matches when', 'Points'],
          g.buckets.map((b) => [text(b.label), bucketRule(b), formatPoints(b.points)]),
          ['left', 'left', 'right'],
        ),
      ),
    ),
    engagement(s),
    negatives(config),
    fastTrack(s),
    grades(s),
    account(s),
    recalibration(config),
    automationsSection(
      config,
      'Automations on score changes',
      'These automations run when a score crosses a line.',
      config.automations.filter((a) => a.trigger.on === 'score_crossed'),
    ),
  );
}

function model(s: Scoring): string {
  const fitMax = fitMaximum(s);
  const engMax = engagementMaximum(s);
  const weighted = s.model === 'weighted';
  const formula = weighted
    ? [
        `fit %        = min(fit points, ${formatNumber(fitMax)}) ÷ ${formatNumber(fitMax)} × 100`,
        `engagement % = min(engagement points, ${formatNumber(engMax)}) ÷ ${formatNumber(engMax)} × 100`,
        `score        = fit % × ${formatPercent(s.weights.fit)} + engagement % × ${formatPercent(s.weights.engagement)} − negative points`,
        `MQL          = score ≥ ${s.threshold} and fit % ≥ ${s.fitMin} and engagement % ≥ ${s.engagementMin}`,
      ]
    : [
        'score = fit points + engagement points − negative points',
        `MQL   = score ≥ ${s.threshold} and fit points ≥ ${s.fitMin} and engagement points ≥ ${s.engagementMin}`,
      ];
  const unit = weighted ? '% of its maximum' : ' points';
  const fitAlone = weighted ? s.weights.fit * 100 : fitMax;
  const engAlone = weighted ? s.weights.engagement * 100 : engMax;
  const alone = (dimension: string, best: number, otherMin: number, other: string): string =>
    `A lead with perfect ${dimension} and no ${other} scores at most ${formatNumber(best)}` +
    (best < s.threshold ? `, below the threshold of ${s.threshold}` : '') +
    (otherMin > 0 ? `, and fails the ${other} minimum of ${formatNumber(otherMin)}${unit}` : '') +
    (best < s.threshold || otherMin > 0
      ? ': not an MQL.'
      : ': the minimums are 0, so it could qualify; consider raising them.');
  const caps = Object.entries(s.caps).filter(([, v]) => v !== undefined);
  return blocks(
    heading(2, 'Model'),
    facts([
      ['Model', weighted ? 'weighted, normalised to a 0–100 scale' : 'additive: points simply add up'],
      ...(weighted
        ? ([
            [
              'Weights',
              `fit ${formatPercent(s.weights.fit)}, engagement ${formatPercent(s.weights.engagement)}`,
            ],
          ] as [string, string][])
        : []),
      ['MQL threshold', `${s.threshold}${weighted ? ' out of 100' : ' points'}`],
      [
        'Fit minimum',
        `${formatNumber(s.fitMin)}${unit}${weighted ? ` (${formatNumber((s.fitMin / 100) * fitMax)} fit points)` : ''}`,
      ],
      [
        'Engagement minimum',
        `${formatNumber(s.engagementMin)}${unit}${weighted ? ` (${formatNumber((s.engagementMin / 100) * engMax)} engagement points)` : ''}`,
      ],
      [
        'Fit maximum',
        `${formatNumber(fitMax)} points${s.fitMax === undefined ? ' (the best bucket of each group, added up)' : ' (set in the config)'}`,
      ],
      [
        'Engagement maximum',
        `${formatNumber(engMax)} points${s.engagementMax === undefined ? ' (every positive signal counted once)' : ' (set in the config)'}`,
      ],
      ...caps.map(([k, v]) => [`Cap on ${k}`, formatPoints(v ?? 0)] as [string, string]),
    ]),
    fence('text', formula.join('\n')),
    heading(3, 'Neither fit nor engagement alone'),
    'An MQL needs the threshold and both minimums at once, so a lead cannot get there on one dimension:',
    bullets([
      alone('fit', fitAlone, s.engagementMin, 'engagement'),
      alone('engagement', engAlone, s.fitMin, 'fit'),
    ]),
  );
}

function bucketRule(b: Bucket): string {
  if (b.range) {
    const { attribute, min, max } = b.range;
    if (min !== undefined && max !== undefined)
      return `${code(attribute)} from ${formatNumber(min)} to ${formatNumber(max)}`;
    if (min !== undefined) return `${code(attribute)} at least ${formatNumber(min)}`;
    return `${code(attribute)} at most ${formatNumber(max ?? 0)}`;
  }
  if (b.in) return `${code(b.in.attribute)} is one of ${b.in.values.map(code).join(', ')}`;
  return b.when !== undefined ? code(b.when.source) : 'always';
}

const INTENTS = [
  ['high', 'High intent'],
  ['medium', 'Medium intent'],
  ['low', 'Low intent'],
  ['product', 'Product usage'],
] as const;

function engagement(s: Scoring): string {
  const sections = INTENTS.map(([intent, title]) => {
    const signals = s.engagement.signals.filter((x) => x.intent === intent);
    if (signals.length === 0) return '';
    return blocks(
      heading(3, title),
      table(
        ['Signal', 'Counts', 'Points', 'How often', 'Decay'],
        signals.map((x) => [
          text(x.label),
          signalCounts(x),
          formatPoints(x.points),
          signalFrequency(x),
          formatDecay(x.decay),
        ]),
        ['left', 'left', 'right', 'left', 'left'],
      ),
    );
  });
  return blocks(
    heading(2, 'Engagement: what they do'),
    'Decay takes points away step by step, never below zero for the signal. “Since occurrence” counts from the event that earned the points; “since last activity” counts from the contact\u2019s most recent activity, so any new activity stops the decline.',
    sections,
  );
}

function negatives(config: RevopsConfig): string {
  const list = config.scoring.negative;
  if (list.length === 0)
    return blocks(heading(2, 'Negative signals'), 'None configured: nothing takes points away.');
  return blocks(
    heading(2, 'Negative signals'),
    table(
      ['Signal', 'Detected by', 'Points', 'Effect'],
      list.map((n) => [text(n.label), negativeRule(config, n), formatPoints(n.points), EFFECTS[n.effect]]),
      ['left', 'left', 'right', 'left'],
    ),
  );
}

function fastTrack(s: Scoring): string {
  if (s.fastTrack.length === 0) return '';
  return blocks(
    heading(2, 'Fast-track actions'),
    `These high-intent actions make a lead an MQL straight away, whatever the total, provided fit reaches its minimum (${formatNumber(s.fitMin)}${s.model === 'weighted' ? '%' : ' points'}).`,
    table(
      ['Action', 'Event'],
      s.fastTrack.map((f) => [
        text(f.label),
        `${code(f.event)}${f.when !== undefined ? ` where ${code(f.when.source)}` : ''}`,
      ]),
    ),
  );
}

function grades(s: Scoring): string {
  const { fit, engagement: eng } = s.grades;
  return blocks(
    heading(2, 'Grades'),
    `Grades give reps a quick read: a letter for fit and a number for engagement (A1 is the best), each measured in ${s.model === 'weighted' ? 'percent of the dimension maximum' : 'points'}.`,
    table(
      ['Fit grade', 'Fit at least', 'Engagement grade', 'Engagement at least'],
      [
        ['A', formatNumber(fit.A), '1', formatNumber(eng['1'])],
        ['B', formatNumber(fit.B), '2', formatNumber(eng['2'])],
        ['C', formatNumber(fit.C), '3', formatNumber(eng['3'])],
      ],
    ),
  );
}

function account(s: Scoring): string {
  const { rollup, buyingCommittee: bc } = s.account;
  const how = { sum: 'the sum of', max: 'the highest of', average: 'the average of' }[rollup];
  return blocks(
    heading(2, 'Account score and buying committee'),
    bullets([
      `The account score is ${how} its contacts\u2019 scores.`,
      `When ${bc.contacts} or more contacts from one account each earn at least ${formatNumber(bc.minEngagement)} engagement points within ${formatDuration(bc.within)}, the account raises a buying-committee signal.`,
    ]),
  );
}

function recalibration(config: RevopsConfig): string {
  const s = config.scoring;
  const mqlToSql = config.metrics.benchmarks.mqlToSql;
  return blocks(
    heading(2, 'Recalibration'),
    `Cadence: **${s.recalibration}**. At each review:`,
    numbered([
      'Score every lead that reached a decision (closed-won or closed-lost) since the last review with the current model.',
      'Compare scores with outcomes: high scores that lost point to false positives (tighten), low scores that won point to false negatives (loosen).',
      'Move weights towards the attributes and signals that actually separated wins from losses.',
      `Set the threshold just under the score that four in five closed-won leads reached (today: ${s.threshold}).`,
      'Write down what changed and why, and walk sales through it before it goes live.',
    ]),
    'Recalibrate earlier when you see any of these:',
    bullets([
      `MQL-to-SQL conversion falls below ${mqlToSql.min !== undefined ? formatPercent(mqlToSql.min) : 'its benchmark'} (benchmark ${formatPercentRange(mqlToSql)}).`,
      'Sales keeps rejecting MQLs as not ready (rising ENG and QUAL reason codes).',
      'High-scoring leads do not convert while low-scoring ones do.',
      'MQL volume jumps without a matching rise in pipeline or revenue.',
      'The product, pricing or target market changed since the last review.',
    ]),
  );
}

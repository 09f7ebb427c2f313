/**
 * Scoring configs for the scoring bench, made by editing the sales-led template's text, so each
 * still reads like a file someone wrote and goes through the real loader: a points-and-threshold
 * change (the memory fingerprint stays), a changed signal condition (the fingerprint changes) and
 * a variant carrying a thousand extra content-level rules.
 */
import { formatIssues } from '../../src/config/formatIssues.ts';
import { safeLoadConfigText } from '../../src/config/loader.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';

/** Replaces the one occurrence of `from`; throws when there is none or more than one. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.includes(from, at + 1)) {
    throw new Error(`expected exactly one ${JSON.stringify(from)} in the template`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Loads config text; throws with the loader's own messages when it does not load. */
export function loadConfigText(text: string, name: string): RevopsConfig {
  const result = safeLoadConfigText(text, name);
  if (!result.ok) throw new Error(`${name} does not load:\n${formatIssues(result.issues)}`);
  return result.config;
}

/** MQL threshold 75 → 70 and the 500+ employees bucket 20 → 25 points: a rescore, no rebuild. */
export function pointsChanged(salesLed: string): string {
  const threshold = replaceOnce(salesLed, 'threshold: 75 #', 'threshold: 70 #');
  return replaceOnce(
    threshold,
    '- label: 500+ employees\n            points: 20\n',
    '- label: 500+ employees\n            points: 25\n',
  );
}

/** The pricing-page signal also counts demo pages: its memory must be rebuilt from events. */
export function signalChanged(salesLed: string): string {
  return replaceOnce(
    salesLed,
    `when: 'event.properties.category == "pricing"'`,
    `when: 'event.properties.category in ["pricing", "demo"]'`,
  );
}

export interface ManyRules {
  /** Extra engagement signals: page views of one URL, downloads of one asset, clicks in one campaign. */
  readonly signals: number;
  /** Extra fit buckets, two per group: employee bands, states and industries, CEL title rules. */
  readonly buckets: number;
}

const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Logistics', 'Retail', 'Insurance'];
const STATES = ['CA', 'NY', 'TX', 'WA', 'IL', 'MA', 'FL', 'GA', 'CO', 'OH'];
const TITLES = ['CEO', 'VP Sales', 'Director of Marketing', 'Marketing Manager', 'Account Executive'];

/** One extra signal, written as a user would: two thirds page views, then downloads and email clicks. */
function signal(n: number, total: number): string {
  const pages = Math.round((total * 2) / 3);
  const downloads = Math.round((total - pages) / 2);
  const decay = n % 3 === 0 ? 'none' : n % 3 === 1 ? '1 per month' : '1 per 2 weeks';
  let lines: string[];
  if (n < pages) {
    lines = [
      `- id: page-${n}`,
      `  label: Viewed page ${n}`,
      '  intent: low',
      '  event: page_view',
      `  when: 'event.properties.url == "https://example.com/p/${n}"'`,
      `  points: ${1 + (n % 3)}`,
    ];
  } else if (n < pages + downloads) {
    lines = [
      `- id: asset-${n}`,
      `  label: Downloaded asset ${n}`,
      '  event: content_download',
      `  when: 'event.properties.asset == "asset-${n}" || event.properties.kind == "asset_${n}"'`,
      `  points: ${2 + (n % 4)}`,
    ];
  } else {
    lines = [
      `- id: campaign-${n}`,
      `  label: Clicked in campaign ${n}`,
      '  intent: low',
      '  event: email',
      `  when: 'event.properties.action == "click" && event.properties.campaign == "campaign-${n}"'`,
      '  points: 2',
      '  frequency: each',
      '  max: 3',
    ];
  }
  return [...lines, `  decay: ${decay}`].map((line) => `      ${line}\n`).join('');
}

/** One extra fit group of two buckets: an `in`, a `range` or a CEL `when` pair. */
function fitGroup(g: number): string {
  const industry = INDUSTRIES[g % INDUSTRIES.length] ?? 'Software';
  const state = STATES[g % STATES.length] ?? 'CA';
  const title = TITLES[g % TITLES.length] ?? 'CEO';
  const low = 50 + 40 * g;
  const buckets: string[][] = [
    [
      `- label: ${industry} in ${state}`,
      '  points: 2',
      `  when: 'company.industry == "${industry}" && company.state == "${state}"'`,
    ],
    [`- label: ${low}-${low + 399} employees`, '  points: 1'],
  ];
  const kind = g % 3;
  if (kind === 0) {
    buckets[1]?.push(`  range: { attribute: company.employees, min: ${low}, max: ${low + 399} }`);
  } else if (kind === 1) {
    buckets[1] = [
      `- label: Based in ${state} or ${STATES[(g + 3) % STATES.length] ?? 'NY'}`,
      '  points: 1',
      `  in: { attribute: company.state, values: [${state}, ${STATES[(g + 3) % STATES.length] ?? 'NY'}] }`,
    ];
  } else {
    buckets[1] = [
      `- label: ${title} at ${low}+ employees`,
      '  points: 2',
      `  when: 'contact.title == "${title}" && company.employees >= ${low}'`,
    ];
  }
  const lines = [
    `- id: extra-fit-${g}`,
    `  label: Extra fit ${g}`,
    '  buckets:',
    ...buckets.flat().map((line) => `    ${line}`),
  ];
  return lines.map((line) => `      ${line}\n`).join('');
}

/**
 * The template with `rules.signals` extra signals and `rules.buckets` extra fit buckets. The
 * maxima stay those of the template (`fitMax: 95`, `engagementMax: 90`), so a score keeps its
 * meaning however many small rules are added.
 */
export function manyRules(salesLed: string, rules: ManyRules): string {
  const signals = Array.from({ length: rules.signals }, (_, n) => signal(n, rules.signals)).join('');
  const groups = Array.from({ length: Math.ceil(rules.buckets / 2) }, (_, g) => fitGroup(g)).join('');
  let text = replaceOnce(salesLed, '  fitMin: 40\n', '  fitMin: 40\n  fitMax: 95\n  engagementMax: 90\n');
  text = replaceOnce(text, '  fit:\n    groups:\n', `  fit:\n    groups:\n${groups}`);
  return replaceOnce(text, '  engagement:\n    signals:\n', `  engagement:\n    signals:\n${signals}`);
}

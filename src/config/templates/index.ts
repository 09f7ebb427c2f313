/**
 * The starting configs shipped with the engine. Each is a complete revops.yaml that encodes the
 * reference defaults for one go-to-market motion; `revops init` copies one and the demo workspace
 * loads `mid-market`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_NAMES = ['plg', 'sales-led', 'mid-market'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The template the demo workspace and `revops init` start from when none is named. */
export const DEFAULT_TEMPLATE: TemplateName = 'mid-market';

/** One line per template, for `revops init --help` and the docs. */
export const TEMPLATE_DESCRIPTIONS: Readonly<Record<TemplateName, string>> = Object.freeze({
  plg: 'Product-led growth, ACV about $2,400: 30/70 fit/engagement weighting on product usage, MQL at 60, monthly recalibration.',
  'sales-led':
    'Enterprise sales-led, ACV about $80,000: 60/40 fit/engagement weighting, MQL at 75, quarterly recalibration.',
  'mid-market':
    'Mid-market hybrid, ACV about $12,000: balanced 50/50 weighting, MQL at 65, quarterly recalibration (the demo workspace).',
});

// Literal URLs, one per file, so bundlers and packagers can see and copy each template.
const TEMPLATE_URLS: Readonly<Record<TemplateName, URL>> = Object.freeze({
  plg: new URL('./plg.yaml', import.meta.url),
  'sales-led': new URL('./sales-led.yaml', import.meta.url),
  'mid-market': new URL('./mid-market.yaml', import.meta.url),
});

/** True when `name` is one of the shipped templates. */
export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** Absolute path of a template file. */
export function templatePath(name: TemplateName): string {
  return fileURLToPath(TEMPLATE_URLS[name]);
}

/** The template text as shipped, comments included. */
export function readTemplate(name: TemplateName): string {
  return readFileSync(templatePath(name), 'utf8');
}

/**
 * `revops docs`: the five standalone documents a RevOps team signs off, rendered from the config
 * alone. Markdown is the source; HTML is converted from it. Deterministic: no dates, no randomness,
 * config order everywhere.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { signOff } from './common.ts';
import { HUBSPOT_GUIDE } from './crm/hubspot.ts';
import { SALESFORCE_GUIDE } from './crm/salesforce.ts';
import type { CrmGuide } from './crm/shared.ts';
import { markdownToHtmlPage } from './html.ts';
import { renderLifecycle } from './lifecycle.ts';
import { blocks, heading } from './markdown.ts';
import { renderMetrics } from './metrics.ts';
import { renderPipeline } from './pipeline.ts';
import { renderRouting } from './routing.ts';
import { renderScoring } from './scoring.ts';

/** Setup guides by `company.crm`; `none` has none. */
const CRM_GUIDES: Readonly<Record<string, CrmGuide>> = {
  hubspot: HUBSPOT_GUIDE,
  salesforce: SALESFORCE_GUIDE,
};

export const DOC_NAMES = [
  'lifecycle-stages',
  'scoring-specification',
  'routing-rules',
  'pipeline-configuration',
  'metrics-dashboard',
] as const;
export type DocName = (typeof DOC_NAMES)[number];

export const DOC_FORMATS = ['md', 'html'] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];

export interface RenderedDoc {
  /** File name: `lifecycle-stages.md` or `lifecycle-stages.html`. */
  readonly name: string;
  readonly title: string;
  readonly content: string;
}

export interface RenderDocsOptions {
  readonly format: DocFormat;
}

interface DocSpec {
  readonly title: string;
  readonly render: (config: RevopsConfig) => string;
  /** The teams that sign the document off. */
  readonly signers: readonly string[];
}

const DOCS: Readonly<Record<DocName, DocSpec>> = {
  'lifecycle-stages': {
    title: 'Lifecycle stages',
    render: renderLifecycle,
    signers: ['Marketing', 'Sales', 'Customer success', 'Revenue operations'],
  },
  'scoring-specification': {
    title: 'Scoring specification',
    render: renderScoring,
    signers: ['Marketing', 'Sales', 'Revenue operations'],
  },
  'routing-rules': {
    title: 'Routing rules',
    render: renderRouting,
    signers: ['Sales leadership', 'Marketing', 'Revenue operations'],
  },
  'pipeline-configuration': {
    title: 'Pipeline configuration',
    render: renderPipeline,
    signers: ['Sales leadership', 'Deal desk and finance', 'Customer success', 'Revenue operations'],
  },
  'metrics-dashboard': {
    title: 'Metrics dashboard',
    render: renderMetrics,
    signers: ['Marketing', 'Sales', 'Executive team', 'Revenue operations'],
  },
};

/** The Markdown of one document, CRM setup steps included when `company.crm` names one. */
export function renderDocMarkdown(config: RevopsConfig, name: DocName): string {
  const spec = DOCS[name];
  const guide = CRM_GUIDES[config.company.crm];
  const crm = guide
    ? blocks(heading(2, `Setting this up in ${guide.name}`), guide.sections[name](config))
    : '';
  return `${blocks(spec.render(config), signOff(spec.signers), crm)}\n`;
}

/** Renders the five documents in `DOC_NAMES` order. Never throws for a loaded config. */
export function renderDocs(config: RevopsConfig, options: RenderDocsOptions): RenderedDoc[] {
  return DOC_NAMES.map((name) => {
    const { title } = DOCS[name];
    const markdown = renderDocMarkdown(config, name);
    const fullTitle = `${title}: ${config.company.name}`;
    return options.format === 'md'
      ? { name: `${name}.md`, title: fullTitle, content: markdown }
      : { name: `${name}.html`, title: fullTitle, content: markdownToHtmlPage(markdown, fullTitle) };
  });
}

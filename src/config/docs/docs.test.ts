import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../loader.ts';
import type { RevopsConfig } from '../schema/index.ts';
import { CRMS } from '../schema/company.ts';
import { TEMPLATE_NAMES, readTemplate, type TemplateName } from '../templates/index.ts';
import { DOC_NAMES, renderDocs } from './index.ts';
import { withRulesFirst } from '../../../test/support/routingRules.ts';

type Crm = (typeof CRMS)[number];

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./__fixtures__/fixture.yaml', import.meta.url));

/** Compares with a committed golden file; `UPDATE_GOLDEN=1` rewrites it. A missing file fails. */
function expectGolden(relativePath: string, actual: string): void {
  const file = join(GOLDEN_DIR, relativePath);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `golden file __golden__/${relativePath} is missing: run UPDATE_GOLDEN=1 npx vitest run src/config/docs`,
    );
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Loads config text with `company.crm` replaced. */
function loadWithCrm(text: string, crm: Crm, file: string): RevopsConfig {
  const edited = text.replace(/^(\s+)crm:.*$/m, `$1crm: ${crm}`);
  expect(edited).toMatch(new RegExp(`^\\s+crm: ${crm}$`, 'm'));
  const result = safeLoadConfigText(edited, file);
  if (!result.ok) throw new Error(`${file} does not load: ${JSON.stringify(result.issues, null, 2)}`);
  return result.config;
}

const template = (name: TemplateName, crm: Crm): RevopsConfig =>
  loadWithCrm(readTemplate(name), crm, `${name}.yaml`);
const fixture = (crm: Crm = 'hubspot'): RevopsConfig =>
  loadWithCrm(readFileSync(FIXTURE, 'utf8'), crm, 'fixture.yaml');
const md = (config: RevopsConfig, name: string): string =>
  renderDocs(config, { format: 'md' }).find((d) => d.name === `${name}.md`)?.content ?? '';

describe('golden documents: every template × CRM', () => {
  for (const name of TEMPLATE_NAMES) {
    for (const crm of CRMS) {
      it(`${name} with crm ${crm}`, () => {
        const docs = renderDocs(template(name, crm), { format: 'md' });
        expect(docs.map((d) => d.name)).toEqual(DOC_NAMES.map((n) => `${n}.md`));
        for (const doc of docs) expectGolden(`${name}/${crm}/${doc.name}`, doc.content);
      });
    }
  }
});

describe('renderDocs', () => {
  it('renders the five documents in order, as md or html, deterministically', () => {
    const config = fixture();
    const first = renderDocs(config, { format: 'md' });
    expect(first.map((d) => d.name)).toEqual([
      'lifecycle-stages.md',
      'scoring-specification.md',
      'routing-rules.md',
      'pipeline-configuration.md',
      'metrics-dashboard.md',
    ]);
    expect(first.map((d) => d.title)).toEqual([
      'Lifecycle stages: Fixture Co',
      'Scoring specification: Fixture Co',
      'Routing rules: Fixture Co',
      'Pipeline configuration: Fixture Co',
      'Metrics dashboard: Fixture Co',
    ]);
    expect(renderDocs(config, { format: 'md' })).toEqual(first);
    const html = renderDocs(config, { format: 'html' });
    expect(html.map((d) => d.name)).toEqual(DOC_NAMES.map((n) => `${n}.html`));
    for (const doc of html) {
      expect(doc.content.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(doc.content).toContain(`<title>${doc.title}</title>`);
      expect(doc.content).not.toContain('<script');
    }
  });

  it('ends each document with the CRM setup section, and has none without a CRM', () => {
    const lastH2 = (text: string): string | undefined => [...text.matchAll(/^## (.*)$/gm)].at(-1)?.[1];
    for (const [crm, title] of [
      ['hubspot', 'Setting this up in HubSpot'],
      ['salesforce', 'Setting this up in Salesforce'],
    ] as const) {
      for (const doc of renderDocs(template('mid-market', crm), { format: 'md' }))
        expect(lastH2(doc.content)).toBe(title);
    }
    for (const doc of renderDocs(template('mid-market', 'none'), { format: 'md' })) {
      expect(doc.content).not.toContain('Setting this up');
      expect(lastH2(doc.content)).toBe('Sign-off');
    }
  });
});

describe('document content from the templates', () => {
  it('mid-market scoring: threshold, minimums, a signal with points and decay, a negative signal', () => {
    const doc = md(template('mid-market', 'none'), 'scoring-specification');
    expect(doc).toContain('- **MQL threshold:** 65 out of 100');
    expect(doc).toContain('- **Weights:** fit 50%, engagement 50%');
    expect(doc).toContain('- **Fit maximum:** 60 points (the best bucket of each group, added up)');
    expect(doc).toContain('score        = fit % × 50% + engagement % × 50% − negative points');
    expect(doc).toContain(
      '| Pricing page visit | `page_view` where `event.properties.category == "pricing"` | +15 | once per contact | −5 per week since occurrence |',
    );
    expect(doc).toContain(
      '| Competitor email domain | email domain belongs to a competitor (`rivalmetrics.example`, `dashly.example`) | −50 | points, and flagged for manual review |',
    );
    expect(doc).toContain('Cadence: **quarterly**');
  });

  it('plg scoring: product signals decay since last activity', () => {
    const doc = md(template('plg', 'none'), 'scoring-specification');
    expect(doc).toContain('### Product usage');
    expect(doc).toMatch(/since last activity \|/);
    expect(doc).toContain('Cadence: **monthly**');
  });

  it('routing: a Mermaid decision tree naming every rule, and the rule table', () => {
    for (const name of TEMPLATE_NAMES) {
      const config = template(name, 'none');
      const doc = md(config, 'routing-rules');
      expect(doc).toContain('```mermaid\nflowchart TD\n');
      const ids: string[] = [];
      const walk = (rules: RevopsConfig['routing']['rules']): void =>
        rules.forEach((r) => {
          ids.push(r.id);
          walk(r.rules ?? []);
        });
      walk(config.routing.rules);
      for (const id of ids) expect(doc).toContain(`| \`${id}\` |`);
      expect(doc).toContain('fallback[("Fallback: ');
    }
  });

  it('routing: a 1,000-rule tree draws its first and last 25 rules and one node for the rest', () => {
    const generated = Array.from({ length: 995 }, (_, i) => ({
      id: `gen-${i}`,
      name: `Generated ${i}`,
      when: `company.state == "CA" && company.employees >= ${4000 + i}`,
      to: 'team:west',
    }));
    const config = loadWithCrm(withRulesFirst(readTemplate('sales-led'), generated), 'none', 'long.yaml');
    const doc = md(config, 'routing-rules');
    const diagram = doc.slice(doc.indexOf('```mermaid'), doc.indexOf('```', doc.indexOf('```mermaid') + 3));
    // Mermaid (GitHub) refuses more than 500 edges; the whole tree would draw about 2,000.
    const edges = diagram.split('\n').filter((l) => l.includes('-->') || l.includes('.->'));
    expect(edges.length).toBeLessThan(200);
    expect(diagram).toContain('  r25{"Rule 25: Generated 24<br/>');
    expect(diagram).not.toContain('  r26{');
    expect(diagram).toContain('  r25 -- no --> rmore');
    expect(diagram).toContain('  rmore{"Rules 26–975: 950 more rules, each in the table below"}');
    expect(diagram).toContain('  rmore -- none --> r976');
    expect(diagram).toContain('  tmore -. nobody available .-> fallback');
    // The last rules (the template's five) are drawn as ever, the rule table lists all 1,000.
    expect(diagram).toContain('  r1000["Rule 1000: Default round-robin"]');
    for (const id of ['gen-0', 'gen-500', 'gen-994', 'round-robin']) expect(doc).toContain(`| \`${id}\` |`);
  });

  it('salesforce routing lists the assignment rule entries in the config order', () => {
    const doc = md(template('mid-market', 'salesforce'), 'routing-rules');
    const section = doc.slice(doc.indexOf('### Lead assignment rule'));
    const rows = [...section.matchAll(/^\| (\d+) \| .*?\(`([a-z0-9-]+)`\)/gm)].map((m) => [
      Number(m[1]),
      m[2],
    ]);
    expect(rows).toEqual([
      [1, 'named-account'],
      [2, 'enterprise'],
      [3, 'plg-team-usage'],
      [4, 'territory'],
      [5, 'territory'],
      [6, 'territory'],
      [7, 'territory'],
      [8, 'round-robin'],
    ]);
    expect(section).toContain(
      '| 2 | Likely ACV above $50K (`enterprise`) | `AND(NumberOfEmployees > 1000, OR(ISPICKVAL(Industry, "Software"), ISPICKVAL(Industry, "Financial Services")))` |',
    );
  });

  it('hubspot lifecycle: stage values, a workflow with the real task due time, and the SLA ladder', () => {
    const doc = md(template('mid-market', 'hubspot'), 'lifecycle-stages');
    expect(doc).toContain('| Marketing qualified lead | “Marketing Qualified Lead” | built in |');
    expect(doc).toContain(
      'Create task “Follow up with {contact.name}”, assigned to the owner, due in 4 business hours',
    );
    expect(doc).toContain('**Workflow “SLA: Speed to lead”** (target 5 minutes)');
    expect(doc).toMatch(
      /Delay 10 minutes; then, if .*notify their backup \(Priya Natarajan → Leo Brandt; Leo Brandt → Sofia Marquez/,
    );
  });

  it('pipeline: required fields by label, deal desk tiers in order', () => {
    const doc = md(template('mid-market', 'none'), 'pipeline-configuration');
    expect(doc).toContain(
      '| 2 | Discovery (`discovery`) | open | 20% | Pain points, Current solution, Buying timeline | Needs confirmed and a demo scheduled. | 14 days |',
    );
    expect(doc).toContain(
      '- **Review threshold:** deals above $25,000 in annual value go to deal desk review',
    );
    const tiers = [...doc.matchAll(/^\| (\d) \| .*?\(`([a-z-]+)`\) \| `/gm)].map((m) => m[2]);
    expect(tiers).toEqual(['standard', 'sales-manager', 'vp-sales', 'deal-desk', 'multi-year']);
  });

  it('metrics: benchmarks formatted as percentages, ratios and durations', () => {
    const doc = md(template('mid-market', 'none'), 'metrics-dashboard');
    expect(doc).toContain('| MQL-to-SQL rate | 30%–50% |');
    expect(doc).toContain('| LTV:CAC | 3:1–5:1 |');
    expect(doc).toContain('| Speed to lead | under 5 minutes |');
    expect(doc).toContain('| Leads contacted within SLA | at least 90% |');
  });
});

describe('fixture specifics', () => {
  it('nested routing rules: the parent target is the fallback of its children', () => {
    const doc = md(fixture('none'), 'routing-rules');
    expect(doc).toContain('  r2 -- yes --> r2_1\n');
    expect(doc).toContain('  r2_1 -- no --> t2\n');
    expect(doc).toContain('  r3{"Rule 3: Small companies<br/>company.employees #lt; 100"}');
    expect(doc).toContain(
      '| 2.1 | West coast enterprise | `enterprise-west` | `company.state in ["CA", "WA"]` (inside `enterprise`) | Ana Silva | yes |',
    );
  });

  it('html escapes < in a CEL condition', () => {
    const doc =
      renderDocs(fixture('none'), { format: 'html' }).find((d) => d.name === 'routing-rules.html')?.content ??
      '';
    expect(doc).toContain('<td><code>company.employees &lt; 100</code></td>');
    expect(doc).not.toContain('company.employees < 100');
    expect(doc).toContain('<pre class="mermaid">flowchart TD\n');
  });

  it('salesforce assignment entries put nested rules before their parent and end with the catch-all', () => {
    const doc = md(fixture('salesforce'), 'routing-rules');
    const ids = [...doc.matchAll(/^\| \d+ \| .*?\(`([a-z-]+)`\)/gm)].map((m) => m[1]);
    expect(ids).toEqual(['named-account', 'enterprise-west', 'enterprise', 'small', 'territory', 'default']);
    expect(doc).toContain('`AND(NumberOfEmployees > 1000, OR(State = "CA", State = "WA"))`');
  });
});

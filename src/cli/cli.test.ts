import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRevops } from '../../test/support/cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const revops = (args: string[], input = '') => runRevops(dir, args, input);

describe('revops init → validate → docs', () => {
  it.each(['plg', 'sales-led', 'mid-market'])(
    'the %s template initialises and validates',
    async (template) => {
      const init = await revops(['init', '--template', template, '--out', 'f.yaml', '--yes']);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(init.stdout).toContain(`Wrote f.yaml from the ${template} template`);
      const validate = await revops(['validate', 'f.yaml']);
      expect(validate.code).toBe(0);
      expect(validate.stdout).toMatch(/^f\.yaml: valid — .* 9 stages, .*\n$/);
    },
  );

  it('refuses to overwrite without --force, and says how', async () => {
    writeFileSync(join(dir, 'revops.yaml'), 'keep me');
    const run = await revops(['init', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error cli.file_exists: revops.yaml already exists');
    expect(run.stderr).toContain('hint: pass --force');
    expect(readFileSync(join(dir, 'revops.yaml'), 'utf8')).toBe('keep me');
  });

  it('rejects a malformed flag with the reason', async () => {
    const run = await revops(['init', '--acv', 'lots', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error cli\.invalid_option: --acv: /);
  });

  it('asks the open questions on stdin and uses the answers', async () => {
    const answers = ['Acme', 'sales-led', '$90,000', '120', 'salesforce', 'spreadsheets', 'speed'].join('\n');
    const run = await revops(['init'], `${answers}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Wrote revops.yaml from the sales-led template');
    const text = readFileSync(join(dir, 'revops.yaml'), 'utf8');
    expect(text).toMatch(/acv: 90000/);
    expect(text).toMatch(/crm: salesforce/);
  });

  it('keeps defaults when stdin ends before every question is answered', async () => {
    const run = await revops(['init'], 'Acme\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no more input: defaults are used for the rest');
  });

  it('prefills from a product-marketing document and says so', async () => {
    const fixture = readFileSync(
      new URL('../config/init/__fixtures__/product-marketing.md', import.meta.url),
      'utf8',
    );
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.agents'));
    writeFileSync(join(dir, '.agents', 'product-marketing.md'), fixture);
    const run = await revops(['init', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Read the product-marketing context in .agents/product-marketing.md');
    expect(run.stdout).toMatch(/\d+ value\(s\) came from the product-marketing document/);
  });

  it('renders the five documents in markdown and html', async () => {
    await revops(['init', '--template', 'mid-market', '--crm', 'hubspot', '--yes']);
    const md = await revops(['docs', '--out', 'out']);
    expect(md.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'lifecycle-stages.md',
      'metrics-dashboard.md',
      'pipeline-configuration.md',
      'routing-rules.md',
      'scoring-specification.md',
    ]);
    const html = await revops(['docs', '--out', 'html', '--format', 'html']);
    expect(html.code).toBe(0);
    expect(readFileSync(join(dir, 'html', 'routing-rules.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    const bad = await revops(['docs', '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cli.invalid_option');
  });
});

describe('revops validate on a broken file', () => {
  it('prints every issue with file:line:col and exits 2', async () => {
    await revops(['init', '--template', 'mid-market', '--yes']);
    const path = join(dir, 'revops.yaml');
    const text = readFileSync(path, 'utf8')
      .replace('threshold: 65', 'threshold: 650')
      .replace(/next: \[sql,/, 'next: [sqll,');
    writeFileSync(path, text);
    const run = await revops(['validate']);
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('revops.yaml:'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(run.stderr).toMatch(
      /revops\.yaml:\d+:\d+ {2}error config\.unknown_reference {2}unknown stage `sqll` — did you mean `sql`\?/,
    );
    expect(run.stderr).toMatch(
      /revops\.yaml:\d+:\d+ {2}error config\.out_of_range {2}the MQL threshold 650 is above/,
    );
    expect(run.stderr).toMatch(/revops\.yaml: invalid — 2 errors, 0 warnings\n$/);
    const json = await revops(['validate', '--json']);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout) as { valid: boolean; issues: { code: string }[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.issues.map((i) => i.code).sort()).toEqual([
      'config.out_of_range',
      'config.unknown_reference',
    ]);
  });

  it('says what to do when the file is missing', async () => {
    const run = await revops(['validate', 'nope.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config.file_not_found');
    expect(run.stderr).toContain('revops init');
  });
});

describe('revops schema', () => {
  it('prints a JSON Schema covering every section', async () => {
    const run = await revops(['schema']);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual([
      'version',
      'company',
      'calendar',
      'team',
      'lifecycle',
      'scoring',
      'routing',
      'sla',
      'pipeline',
      'dealDesk',
      'hygiene',
      'automations',
      'notifications',
      'metrics',
      'events',
      'delivery',
      'inbound',
    ]);
    expect(schema.required).toContain('scoring');
  });
});

describe('usage errors', () => {
  it('exits 2 on an unknown command and 0 on --help', async () => {
    const unknown = await revops(['vaildate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('validate');
    const help = await revops(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('revops init');
  });
});

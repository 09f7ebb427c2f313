import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues } from './formatIssues.ts';
import { safeLoadConfigFile, safeLoadConfigText, loadConfigFile } from './loader.ts';
import { RevopsError } from '../core/errors.ts';

const MINIMAL = readFileSync(new URL('./__fixtures__/minimal.yaml', import.meta.url), 'utf8');

/** The minimal config with text replacements applied; each replacement must hit. */
function broken(...edits: [string, string][]): string {
  let text = MINIMAL;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

function problems(text: string): string {
  const result = safeLoadConfigText(text, 'revops.yaml');
  expect(result.ok).toBe(false);
  return formatIssues(result.issues);
}

describe('loading a valid config', () => {
  it('loads the minimal fixture with no issues, durations and money parsed, rules named by path', () => {
    const result = safeLoadConfigText(MINIMAL, 'revops.yaml');
    expect(result.issues).toEqual([]);
    if (!result.ok) return;
    const { config } = result;
    expect(config.company.acv).toBe(12000);
    expect(config.dealDesk.threshold).toBe(25000);
    expect(config.scoring.weights).toEqual({ fit: 0.5, engagement: 0.5 });
    expect(config.team.queues[0]?.sla).toEqual({
      kind: 'duration',
      business: false,
      amount: 1,
      unit: 'hour',
      source: '1h',
    });
    expect(config.scoring.engagement.signals[0]?.decay).toMatchObject({
      points: 5,
      from: 'occurrence',
      every: { amount: 1, unit: 'week' },
    });
    expect(config.routing.rules[0]?.when?.id).toBe('routing.rules[0].when');
    expect(config.routing.rules[0]?.when?.evaluate({ company: { employees: 1500 } })).toBe(true);
    expect(config.routing.rules[0]?.when?.evaluate({ company: { employees: 900 } })).toBe(false);
    // defaults filled in
    expect(config.calendar.hours.mon).toBe('09:00-17:00');
    expect(config.lifecycle.recycling.archiveAfter).toMatchObject({ amount: 6, unit: 'month' });
    expect(config.metrics.benchmarks.mqlToSql).toEqual({ min: 0.3, max: 0.5 });
  });

  it('deep-freezes the result', () => {
    const config = loadConfigFile(new URL('./__fixtures__/minimal.yaml', import.meta.url).pathname);
    expect(Object.isFrozen(config.scoring.fit.groups[0]?.buckets)).toBe(true);
    expect(() => {
      (config.company as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });
});

describe('reporting every problem with file:line:col', () => {
  it('reports schema problems together: types, unknown keys, durations, CEL and ranges', () => {
    expect(
      problems(
        broken(
          ['salesCycleDays: 45', 'salesCycleDays: forty'],
          ['  threshold: 65', '  thresold: 65'],
          ['due: 4 business hours', 'due: 4 bizness hours'],
          ['company.employees > 1000, to', 'company.employes > 1000, to'],
          ['role: manager }', 'role: manager, capacity: { maxOpenLeads: -5 } }'],
          ['gtm: hybrid', 'gtm: product-led'],
        ),
      ),
    ).toMatchInlineSnapshot(`
      "revops.yaml:5:8  error config.invalid_value  \`company.gtm\` cannot be the text \`product-led\`
          hint: expected \`plg\`, \`sales-led\` or \`hybrid\`
      revops.yaml:7:19  error config.invalid_type  \`company.salesCycleDays\` expects a number, but has the text \`forty\`
      revops.yaml:13:100  error config.out_of_range  \`team.reps[2].capacity.maxOpenLeads\` must be above 0, but has the number \`-5\`
      revops.yaml:27:53  error config.invalid_duration  \`lifecycle.stages[2].onEntry[0].due\`: expected a duration like \`5m\`, \`4h\`, \`48 hours\`, \`4 business hours\`, \`3 business days\`, \`2 weeks\` or \`same business day\`, got the text \`4 bizness hours\`
      revops.yaml:36:3  error config.unknown_key  unknown key \`thresold\` in \`scoring\` — did you mean \`threshold\`?
          hint: valid keys here: \`model\`, \`weights\`, \`threshold\`, \`fitMin\`, \`engagementMin\`, \`fitMax\`, \`engagementMax\`, \`caps\`, \`fastTrack\`, \`fit\`, \`engagement\`, \`negative\`, \`grades\`, \`account\` or \`recalibration\`
      revops.yaml:63:57  error config.cel_type  \`routing.rules[0].when\`: company has no field "employes"
          hint: did you mean "employees"? company fields: domain, name, employees, industry, revenue, country, state, techStack, techMaturity"
    `);
  });

  it('reports dangling references and impossible values once the structure is right', () => {
    expect(
      problems(
        broken(
          ['next: [sql, recycled]', 'next: [sqll, recycled]'],
          ['members: [ava, ben]', 'members: [ava, bem]'],
          ['weights: { fit: 50%, engagement: 50% }', 'weights: { fit: 50%, engagement: 40% }'],
          ['threshold: 65', 'threshold: 165'],
          ['min: 51, max: 1000', 'min: 40, max: 1000'],
          ['event: page_view', 'event: page_veiw'],
          [
            '{ id: everyone, name: Round-robin, to: team:general }',
            '{ id: everyone, name: Round-robin, to: team:general }\n    - { id: late, name: Too late, when: lead.score.total > 90.0, to: rep:eva }',
          ],
          ['action: recycle, after: 90d', 'action: recycle'],
        ),
      ),
    ).toMatchInlineSnapshot(`
      "revops.yaml:15:57  error config.unknown_reference  unknown rep \`bem\` — did you mean \`ben\`?
          hint: defined reps: \`ava\`, \`ben\` or \`max\`
      revops.yaml:25:14  error config.unknown_reference  unknown stage \`sqll\` — did you mean \`sql\`?
          hint: defined stages: \`subscriber\`, \`lead\`, \`mql\`, \`sql\`, \`recycled\` or \`customer\`
      revops.yaml:33:7  error config.missing_key  reason code \`ENG-01\` recycles but does not say when
          hint: add \`after: 90d\` (or another duration)
      revops.yaml:35:12  error config.inconsistent  fit and engagement weights add up to 90%, not 100%
          hint: adjust them so they total 100%
      revops.yaml:36:14  error config.out_of_range  the MQL threshold 165 is above the 0–100 scale of the weighted model
          hint: use a threshold between 1 and 100 (the reference suggests 50–80)
      revops.yaml:46:50  error config.overlapping_buckets  bucket \`51-1000\` overlaps bucket 0 of group \`size\` on \`company.employees\` (11–50 and 40–1000)
          hint: make the ranges disjoint, e.g. 11–50 then 51–200
      revops.yaml:55:16  error config.unknown_reference  unknown event type \`page_veiw\` — did you mean \`page_view\`?
          hint: defined event types: \`identify\`, \`page_view\`, \`form_submit\`, \`content_download\`, \`webinar\`, \`email\`, \`product\`, \`social\`, \`meeting\`, \`rep_activity\`, \`sales_decision\`, \`deal\`, \`nps\` or \`referral\`
      revops.yaml:65:7  error config.unreachable_rule  routing rule \`late\` can never match: rule \`everyone\` before it has no \`when\` and takes every lead
          hint: move the catch-all rule to the end of its list, or give it a \`when\`
      revops.yaml:65:70  error config.unknown_reference  unknown rep \`eva\` — did you mean \`ava\`?
          hint: defined reps: \`ava\`, \`ben\` or \`max\`"
    `);
  });

  it('refuses a routing rule named like a step the engine writes in traces', () => {
    expect(
      problems(
        broken([
          '{ id: everyone, name: Round-robin, to: team:general }',
          '{ id: ruled_out, name: Round-robin, to: team:general }',
        ]),
      ),
    ).toMatchInlineSnapshot(`
      "revops.yaml:64:13  error config.invalid_value  routing rule id \`ruled_out\` is the name of a step the engine writes in routing traces
          hint: rename the rule: \`keep_owner\`, \`same_account\`, \`fuzzy_name_match\`, \`fallback\` or \`ruled_out\` are reserved for the engine's own steps"
    `);
  });

  it('points into a CEL expression at the column of the mistake', () => {
    const text = broken([
      'company.employees > 1000, to',
      'company.employees > 1000 && contact.titel == "VP", to',
    ]);
    const result = safeLoadConfigText(text, 'revops.yaml');
    expect(result.ok).toBe(false);
    const line = text.split('\n')[62] ?? '';
    expect(result.issues.map((i) => [i.code, i.source?.line, i.source?.column])).toEqual([
      ['config.cel_type', 63, line.indexOf('titel') + 1],
    ]);
    expect(line.indexOf('titel') + 1).toBe(85);
  });

  it('reports malformed YAML with its position and stops there', () => {
    expect(problems(broken(['  acv: $12,000', '  acv: [12000'])).split('\n')[0]).toMatch(
      /^revops\.yaml:\d+:\d+ {2}error config\.yaml_syntax/,
    );
  });

  it('reports a key written twice', () => {
    expect(problems(broken(['  salesCycleDays: 45', '  salesCycleDays: 45\n  salesCycleDays: 60'])))
      .toMatchInlineSnapshot(`
      "revops.yaml:8:3  error config.duplicate_key  this key appears twice in the same mapping; YAML keeps only one of them
          hint: delete or rename one of the two keys"
    `);
  });

  it('says so when the file is empty, or is not a mapping', () => {
    expect(problems('')).toMatchInlineSnapshot(`
      "revops.yaml:1:1  error config.invalid_type  the config file is empty
          hint: start from a template: \`revops init --template mid-market\`"
    `);
    expect(problems('- just\n- a list\n')).toMatchInlineSnapshot(`
      "revops.yaml:1:1  error config.invalid_type  the config must be a mapping of sections (company:, team:, …)
          hint: start from a template: \`revops init --template mid-market\`"
    `);
  });

  it('refuses a file whose aliases expand too far (a "billion laughs" file) as an issue, not a crash', () => {
    const laughs =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    expect(problems(laughs)).toBe(
      'revops.yaml:1:1  error config.yaml_syntax  the YAML could not be expanded: Excessive alias count indicates a resource exhaustion attack (at most 100 alias expansions)\n' +
        '    hint: write the repeated values out, or use fewer `*anchor` references to large blocks',
    );
    // A few shared blocks are fine: the error is about the expansion, not about aliases.
    expect(safeLoadConfigText('a: &a [x]\nb: *a\n', 'revops.yaml').issues[0]?.code).not.toBe(
      'config.yaml_syntax',
    );
  });

  it('says what to do when the file does not exist', () => {
    const result = safeLoadConfigFile('/nonexistent/revops.yaml');
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'config.file_not_found' });
    expect(() => loadConfigFile('/nonexistent/revops.yaml')).toThrow(RevopsError);
  });
});

/** `revops validate [FILE]`: every issue with file:line:col, exit 2 when any is an error. */
import { resolve } from 'node:path';
import { formatIssues, summarizeIssues } from '../../config/formatIssues.ts';
import { safeLoadConfigFile } from '../../config/loader.ts';
import { EXIT, write, type CliIo } from '../io.ts';

export interface ValidateOptions {
  readonly json?: boolean;
}

export function validateCommand(io: CliIo, file: string, options: ValidateOptions): number {
  const path = resolve(io.cwd, file);
  const result = safeLoadConfigFile(path);
  const shown = file;
  const issues = result.issues.map((issue) =>
    issue.source
      ? Object.assign({}, issue, { source: Object.assign({}, issue.source, { file: shown }) })
      : issue,
  );
  if (options.json) {
    write(io.stdout, JSON.stringify({ file: shown, valid: result.ok, issues }, null, 2));
    return result.ok ? EXIT.ok : EXIT.user;
  }
  if (!result.ok) {
    write(io.stderr, formatIssues(issues));
    write(io.stderr, `\n${shown}: invalid — ${summarizeIssues(issues)}`);
    return EXIT.user;
  }
  if (issues.length > 0) write(io.stderr, formatIssues(issues));
  const c = result.config;
  const rules = countRules(c.routing.rules);
  write(
    io.stdout,
    `${shown}: valid — ${c.company.gtm} motion, ${c.lifecycle.stages.length} stages, ` +
      `${c.scoring.fit.groups.length} fit groups, ${c.scoring.engagement.signals.length} signals, ` +
      `${c.scoring.negative.length} negatives (MQL at ${c.scoring.threshold}), ${rules} routing rules, ` +
      `${c.team.reps.length} reps, ${c.sla.clocks.length} SLA clocks, ${c.automations.length} automations` +
      (issues.length > 0 ? `; ${summarizeIssues(issues)}` : ''),
  );
  return EXIT.ok;
}

function countRules(rules: readonly { rules?: readonly unknown[] | undefined }[]): number {
  return rules.reduce(
    (n, rule) => n + 1 + countRules((rule.rules ?? []) as { rules?: readonly unknown[] }[]),
    0,
  );
}

/** Renders issues for a terminal: `file:line:col  error  message` then the hint, indented. */
import { formatPath, type Issue } from '../core/issue.ts';

export function formatIssue(issue: Issue): string {
  const where = issue.source
    ? `${issue.source.file}:${issue.source.line}:${issue.source.column}`
    : formatPath(issue.path) || '-';
  const lines = [`${where}  ${issue.severity} ${issue.code}  ${issue.message}`];
  if (issue.hint) lines.push(`    hint: ${issue.hint}`);
  return lines.join('\n');
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** The closing line: `2 errors, 1 warning`. */
export function summarizeIssues(issues: readonly Issue[]): string {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

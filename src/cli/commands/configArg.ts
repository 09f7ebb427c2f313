/** Loads `--config` for commands that run the engine; prints the issues and returns undefined when invalid. */
import { resolve } from 'node:path';
import { formatIssues } from '../../config/formatIssues.ts';
import { safeLoadConfigFile } from '../../config/loader.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import { write, type CliIo } from '../io.ts';

export function loadConfigOrReport(io: CliIo, file: string): RevopsConfig | undefined {
  const result = safeLoadConfigFile(resolve(io.cwd, file));
  if (result.ok) return result.config;
  const issues = result.issues.map((i) =>
    i.source ? Object.assign({}, i, { source: Object.assign({}, i.source, { file }) }) : i,
  );
  write(io.stderr, formatIssues(issues));
  write(io.stderr, `\n${file} is not a valid config; fix it first (\`revops validate ${file}\`)`);
  return undefined;
}

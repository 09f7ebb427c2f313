/** `revops docs`: the five sign-off documents rendered from the config. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RevopsError } from '../../core/errors.ts';
import { renderDocs } from '../../config/docs/index.ts';
import { formatIssues } from '../../config/formatIssues.ts';
import { safeLoadConfigFile } from '../../config/loader.ts';
import { EXIT, write, type CliIo } from '../io.ts';

export interface DocsOptions {
  readonly config: string;
  readonly out: string;
  readonly format: string;
}

export function docsCommand(io: CliIo, options: DocsOptions): number {
  if (options.format !== 'md' && options.format !== 'html') {
    throw new RevopsError('cli.invalid_option', `--format must be md or html, not \`${options.format}\``, {
      hint: 'use --format md (Markdown, the default) or --format html (standalone pages)',
    });
  }
  const result = safeLoadConfigFile(resolve(io.cwd, options.config));
  if (!result.ok) {
    write(io.stderr, formatIssues(result.issues));
    write(
      io.stderr,
      `\n${options.config} is not valid; fix it first (\`revops validate ${options.config}\`)`,
    );
    return EXIT.user;
  }
  const docs = renderDocs(result.config, { format: options.format });
  const dir = resolve(io.cwd, options.out);
  mkdirSync(dir, { recursive: true });
  for (const doc of docs) writeFileSync(join(dir, doc.name), doc.content);
  const crm = result.config.company.crm === 'none' ? '' : ` with ${result.config.company.crm} setup steps`;
  write(io.stdout, `wrote ${docs.length} documents${crm} to ${relative(io.cwd, dir) || '.'}/`);
  for (const doc of docs) write(io.stdout, `  ${doc.name.padEnd(30)} ${doc.title}`);
  return EXIT.ok;
}

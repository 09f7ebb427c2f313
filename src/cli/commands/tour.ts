/**
 * `revops tour` (what `npm start` runs until the server lands): writes the mid-market template,
 * validates it, renders the five documents and the JSON Schema, and says what to try next.
 */
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, write, type CliIo } from '../io.ts';
import { docsCommand } from './docs.ts';
import { initCommand } from './init.ts';
import { schemaCommand } from './schema.ts';
import { validateCommand } from './validate.ts';
import { ingestCommand } from './ingest.ts';
import { replayCommand } from './replay.ts';
import { fileURLToPath } from 'node:url';

const EXAMPLE_EVENTS = fileURLToPath(new URL('../../../examples/events.ndjson', import.meta.url));

export async function tourCommand(io: CliIo, options: { dir: string }): Promise<number> {
  const dir = resolve(io.cwd, options.dir);
  mkdirSync(dir, { recursive: true });
  const rel = (p: string) => relative(io.cwd, p) || '.';
  const config = join(dir, 'revops.yaml');
  const step = (n: number, title: string, command: string) =>
    write(io.stdout, `\n── ${n}. ${title}\n$ ${command}`);

  write(io.stdout, 'RevOps Engine tour: your funnel as code, on the mid-market template.');

  step(
    1,
    'Write a starting config from a template',
    `revops init --template mid-market --yes --out ${rel(config)}`,
  );
  let code = await initCommand(io, {
    template: 'mid-market',
    yes: true,
    force: true,
    out: rel(config),
    name: 'Demo Co',
  });
  if (code !== EXIT.ok) return code;

  step(2, 'Validate it (every problem would be listed with file:line:col)', `revops validate ${rel(config)}`);
  code = validateCommand(io, rel(config), {});
  if (code !== EXIT.ok) return code;

  const docs = join(dir, 'docs');
  step(3, 'Render the five sign-off documents', `revops docs --config ${rel(config)} --out ${rel(docs)}`);
  code = docsCommand(io, { config: rel(config), out: rel(docs), format: 'md' });
  if (code !== EXIT.ok) return code;
  code = docsCommand(io, { config: rel(config), out: rel(join(dir, 'docs-html')), format: 'html' });
  if (code !== EXIT.ok) return code;

  const schema = join(dir, 'revops.schema.json');
  step(4, 'Export the JSON Schema for editor completion', `revops schema --out ${rel(schema)}`);
  code = schemaCommand(io, { out: rel(schema) });
  if (code !== EXIT.ok) return code;

  const events = rel(EXAMPLE_EVENTS);
  const db = join(dir, 'revops.db');
  step(
    5,
    'Import events through the engine (run it twice: the second run adds nothing)',
    `revops ingest ${events} --config ${rel(config)} --db ${rel(db)}`,
  );
  code = await ingestCommand(io, events, { config: rel(config), db: rel(db), batch: '1000' });
  if (code !== EXIT.ok) return code;

  step(
    6,
    'Replay the same history on a simulated clock (nothing is written)',
    `revops replay --config ${rel(config)} --events ${events}`,
  );
  code = await replayCommand(io, { config: rel(config), events });
  if (code !== EXIT.ok) return code;

  write(
    io.stdout,
    `
Done. Next:
  • open ${rel(join(docs, 'scoring-specification.md'))} — the scoring model your teams sign off
  • edit ${rel(config)} (try a typo in a stage name) and run \`npx revops validate ${rel(config)}\`
  • \`npx revops replay --config ${rel(config)} --events ${events} --json\` — the full, stable report
  • \`npx revops init\` asks the six context questions and adapts a template to your answers
  • \`npx revops --help\` lists every command`,
  );
  return EXIT.ok;
}

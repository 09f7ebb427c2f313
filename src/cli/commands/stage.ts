/**
 * `revops stage move`: move a contact in the database to another lifecycle stage by hand, along
 * the config's allowed moves (engine.moveStage). The history row names who moved it.
 */
import type { Command } from 'commander';
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import type { Effect } from '../../core/effects.ts';
import { RevopsError } from '../../core/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import type { MoveStageResult } from '../../engine/moveStage.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseAtOption } from '../timeOption.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface StageMoveOptions {
  readonly to: string;
  readonly by: string;
  readonly reason?: string;
  readonly at?: string;
  readonly config: string;
  readonly db?: string;
  readonly json?: boolean;
}

const MOVE_HELP = `
A contact moves only along the config's allowed moves: the \`next\` list of the stage it is in
(lifecycle.stages[].next). What is written, in one transaction:
  - the contact's new stage, and a stage history row from → to with cause manual:<--by> and your
    --reason (default "moved by hand by <--by>")
  - the new stage's actions on entry, as on an automatic move: alerts, tasks with their due
    times, sequence changes, routing when the stage routes leads, recycling timers
When the new stage sets another stage on entry (set_stage), the contact ends there, and both moves
are in the history.

Errors (exit 2, nothing written) name what to do: lifecycle.transition_not_allowed (lists the
moves allowed from the contact's stage), lifecycle.unknown_stage (with "did you mean"),
lifecycle.unknown_contact, lifecycle.invalid_request (an empty --by).

Examples:
  revops stage move ava.chen@northwind.io --to sql --by priya --reason "BANT confirmed on call"
  revops stage move id:crm-1001 --to disqualified --by maya --at 2026-12-01T15:00:00Z --json`;

/** Adds `stage move` to the program. */
export function registerStage(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  const stage = cli.command('stage').description('Lifecycle stages: move a contact by hand');
  stage
    .command('move')
    .description(
      'Move a contact to another lifecycle stage (only along the allowed moves); records who and why',
    )
    .argument('<contact>', 'the contact: its email, or its key (email:…, id:…)')
    .requiredOption('-t, --to <stage>', 'the stage to move it to (a lifecycle.stages[].id)')
    .requiredOption(
      '-b, --by <who>',
      'who moves it (a rep id or your name): the history cause is manual:<who>',
    )
    .option('-r, --reason <text>', 'why: kept in the stage history row')
    .option('--at <iso>', 'move it as of this time (default: now)')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', MOVE_HELP)
    .action((contact: string, options: StageMoveOptions) => done(stageMoveCommand(io, contact, options)));
}

export async function stageMoveCommand(
  io: CliIo,
  contact: string,
  options: StageMoveOptions,
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? undefined : parseAtOption(options.at);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const { engine } = runtime(store, config, systemClock);
    const result = await engine
      .moveStage({
        contact,
        to: options.to,
        by: options.by,
        ...(at === undefined ? {} : { at }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      })
      .catch((error: unknown) => {
        // The refusal's one issue repeats its message and hint: print them once, as route reassign does.
        if (error instanceof RevopsError && error.issues.length === 1)
          throw new RevopsError(error.code, error.message, {
            cause: error,
            ...(error.hint === undefined ? {} : { hint: error.hint }),
          });
        throw error;
      });
    if (options.json) write(io.stdout, JSON.stringify(moveJson(result), null, 2));
    else write(io.stdout, moveText(result, store.description));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

const iso = (at: number) => new Date(at).toISOString();

/** One effect in a few words: `notify to rep:priya`, `task "Follow up…" for rep:priya due …`. */
function effectText(effect: Effect): string {
  switch (effect.kind) {
    case 'outbox': {
      const { to, op, sequence } = effect.payload;
      if (typeof to === 'string') return `${effect.type} to ${to}`;
      return typeof op === 'string' && typeof sequence === 'string'
        ? `${effect.type} ${op} ${sequence}`
        : effect.type;
    }
    case 'task':
      return `task "${effect.title}" for ${effect.assignee}${effect.dueAt === undefined ? '' : ` due ${iso(effect.dueAt)}`}`;
    case 'timer':
      return `timer ${effect.key} at ${iso(effect.dueAt)}`;
    case 'cancelTimer':
      return `timer ${effect.key} cancelled`;
  }
}

function moveJson(result: MoveStageResult): Record<string, unknown> {
  return {
    contact: result.email ?? result.contactKey,
    from: result.from,
    stage: result.stage,
    at: iso(result.at),
    history: result.stageChanges.map((c) => ({
      from: c.from ?? null,
      stage: c.to,
      at: iso(c.at),
      cause: c.cause,
      reason: c.reason,
    })),
    effects: result.effects.map((e) => ({ kind: e.kind, text: effectText(e) })),
  };
}

function moveText(result: MoveStageResult, database: string): string {
  const who = result.email ?? result.contactKey;
  const first = result.stageChanges[0];
  return [
    `Moved ${who} from ${result.from} to ${result.stage} at ${iso(result.at)}.`,
    ...(first === undefined ? [] : [`Cause: ${first.cause}; reason: ${first.reason}`]),
    ...result.stageChanges.map((c) => `  ${c.from ?? '(none)'} → ${c.to}  (${c.cause})`),
    result.effects.length === 0
      ? 'Actions on entry: none'
      : `Actions on entry: ${result.effects.map(effectText).join('; ')}`,
    `Written to ${database}.`,
  ].join('\n');
}

/**
 * `revops deals`: the deals in a database — list them with their staleness, show one in full, and
 * create, move (or close) and push them through the engine's deal commands (engine.deal). A change
 * is a `deal` event in the log, ingested strictly: a refused one (empty required fields, a blocked
 * skip, a push without a reason) exits 2 naming what to fill, and writes nothing.
 */
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import type { DecisionModel } from '../../core/contact/decide.ts';
import { RevopsError } from '../../core/errors.ts';
import { closingStage, pipelineOf, stageOf } from '../../core/pipeline/model.ts';
import type { DealState } from '../../core/pipeline/types.ts';
import type { Store } from '../../core/ports.ts';
import type { JsonValue } from '../../core/types.ts';
import { systemClock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import type { DealRequest } from '../../engine/dealCommands.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseLimitOption } from '../limitOption.ts';
import { parseAtOption } from '../timeOption.ts';
import { loadConfigOrReport } from './configArg.ts';
import {
  approvalLine,
  daysInStage,
  dealJson,
  dealText,
  flagsText,
  iso,
  money,
  PLAIN,
  staleJudge,
} from './dealViews.ts';

/** Options every deals and approvals subcommand takes. */
export interface DealsCommonOptions {
  readonly config: string;
  readonly db?: string;
  readonly at?: string;
  readonly json?: boolean;
}

export interface DealsListOptions extends DealsCommonOptions {
  readonly status?: string;
  readonly stage?: string;
  readonly owner?: string;
  readonly stale?: boolean;
  readonly limit: string;
}

export interface DealsChangeOptions extends DealsCommonOptions {
  readonly set?: readonly string[];
  readonly reason?: string;
  readonly by?: string;
}

export interface DealsCreateOptions extends DealsChangeOptions {
  readonly contact: string;
  readonly stage?: string;
  readonly pipeline?: string;
}

const DB_HELP = 'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)';

/** Adds `--config`, `--db`, `--json` and (described as `at` says) `--at` to a subcommand. */
export function commonOptions(command: Command, at?: string): Command {
  const withConfig = command
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option('--db <target>', DB_HELP);
  return (at === undefined ? withConfig : withConfig.option('--at <iso>', at)).option(
    '--json',
    'print the result as JSON',
  );
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/**
 * One `--set field=value`: numbers (`30000`, `12.5`), `true`/`false`, `null` (clears the field) and
 * JSON (`["cfo","cto"]`, `{"a":1}`, `"30000"` for text that looks like a number) are parsed; anything
 * else is text. Throws `RevopsError` `cli.invalid_option` for a malformed one.
 */
export function parseSet(spec: string): [string, JsonValue] {
  const eq = spec.indexOf('=');
  const field = eq < 0 ? '' : spec.slice(0, eq).trim();
  if (eq < 0 || field === '')
    throw new RevopsError('cli.invalid_option', `--set needs field=value, not \`${spec}\``, {
      hint: 'for example --set amount=30000 --set painPoints="Manual reporting" --set decisionMakers=\'["cfo"]\'',
    });
  const text = spec.slice(eq + 1).trim();
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return [field, Number(text)];
  if (text === 'true' || text === 'false') return [field, text === 'true'];
  if (text === 'null') return [field, null];
  if (/^[[{"]/.test(text)) {
    try {
      return [field, JSON.parse(text) as JsonValue];
    } catch {
      throw new RevopsError('cli.invalid_option', `--set ${field}: \`${text}\` is not valid JSON`, {
        hint: 'quote a JSON list for the shell: --set decisionMakers=\'["cfo","cto"]\'',
      });
    }
  }
  return [field, text];
}

/** Every `--set`, in order (a later one for the same field wins). */
export function parseSets(specs: readonly string[] | undefined): Record<string, JsonValue> {
  return Object.fromEntries((specs ?? []).map(parseSet));
}

/** Opens the database with the config's engine; closes it after `run`. Exit 2 when the config is invalid. */
export async function withEngine(
  io: CliIo,
  options: DealsCommonOptions,
  run: (engine: Engine, store: Store, config: RevopsConfig) => Promise<number>,
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    return await run(runtime(store, config, systemClock).engine, store, config);
  } finally {
    await store.close();
  }
}

const DEALS_HELP = `
A deal moves through its pipeline's stages (pipeline.pipelines[].stages in the config). Entering a
stage needs that stage's required fields filled; a skipped stage is flagged (or refused when the
pipeline blocks skips); a close date moved later needs a reason, and the second push flags the deal
for a forecast review; entering the won stage assigns the customer-success owner and the kickoff
task. docs/deals.md has the rules.

Examples:
  revops deals list --stale
  revops deals create acme-1 --contact kim@acme.example --set source=inbound --set fitScore=62
  revops deals move acme-1 demo --set technicalRequirements="SSO" --set decisionMakers='["cfo"]'
  revops deals push acme-1 2027-01-15 --reason "Budget frozen until January"`;

/** Registers `deals list|show|create|move|push` on the program. */
export function registerDeals(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  const deals = cli
    .command('deals')
    .description('Deals: list them (stale ones too), show one, create, move, close and push them')
    .addHelpText('after', DEALS_HELP);

  commonOptions(
    deals
      .command('list')
      .description('List deals with their stage, days in stage and flags (stale, forecast review, skips)')
      .addOption(
        new Option('--status <status>', 'only open, won or lost deals (default: all)').choices([
          'open',
          'won',
          'lost',
          'all',
        ]),
      )
      .option('--stage <stage>', 'only deals in this stage')
      .option('--owner <rep>', 'only this rep’s deals')
      .option('--stale', 'only stale deals (over their stage’s time limit now)')
      .option('--limit <n>', 'how many to show (0: all)', '50'),
    'judge staleness and days in stage as of this time (default: now)',
  )
    .addHelpText(
      'after',
      `
A deal is stale when its time in the stage passes the stage's staleAfter, or the multiplier times the
average time deals spent in that stage (once 5 deals have left it) — judged at --at.
--json prints { at, matching, shown, deals: [...] } with each deal as GET /v1/deals lists it.

Examples:
  revops deals list
  revops deals list --status open --owner priya --stale
  revops deals list --stage proposal --json`,
    )
    .action((options: DealsListOptions) => done(dealsListCommand(io, options)));

  commonOptions(
    deals
      .command('show')
      .description('One deal in full: fields, flags, stage history, close-date pushes, approval requests')
      .argument('<id>', 'the deal id'),
    'judge staleness as of this time (default: now)',
  )
    .addHelpText('after', '\nExamples:\n  revops deals show acme-1\n  revops deals show acme-1 --json')
    .action((id: string, options: DealsCommonOptions) => done(dealsShowCommand(io, id, options)));

  commonOptions(
    deals
      .command('create')
      .description(
        'Create a deal in its pipeline’s first stage (or --stage), with the fields that stage requires',
      )
      .argument('<id>', 'your id for the deal (the CRM’s opportunity id)')
      .requiredOption('--contact <email>', 'the email of the person the deal is with')
      .option('--stage <stage>', 'start in this stage (default: the first)')
      .option('--pipeline <id>', 'which pipeline (default: the first)')
      .option(
        '--set <field=value>',
        'set a field (repeat it); numbers, true/false, null and JSON are parsed',
        collect,
      )
      .option('--by <who>', 'who made the change (recorded as cli:<who>)'),
    'create it as of this time (default: now)',
  )
    .addHelpText(
      'after',
      `
The account defaults to the contact's company domain; the owner and fitScore to the contact's.
--set name=… amount=… currency=… closeDate=2026-12-15 owner=… source=… set the deal's own fields;
any other name is a pipeline field (painPoints, discountPercent, termMonths, custom ones).

Examples:
  revops deals create acme-1 --contact kim@acme.example --set source=inbound --set fitScore=62
  revops deals create acme-2 --contact kim@acme.example --set name="Acme expansion" --set amount=30000 --set source=referral --set fitScore=70`,
    )
    .action((id: string, options: DealsCreateOptions) => done(dealsCreateCommand(io, id, options)));

  commonOptions(
    deals
      .command('move')
      .description('Move a deal to a stage (the won or lost stage closes it), setting fields first')
      .argument('<id>', 'the deal id')
      .argument('<stage>', 'the stage to move it to')
      .option(
        '--set <field=value>',
        'set a field first (repeat it); numbers, true/false, null and JSON are parsed',
        collect,
      )
      .option('--reason <text>', 'why the close date moved, when --set closeDate moves it later')
      .option('--by <who>', 'who made the change (recorded as cli:<who>)'),
    'move it as of this time (default: now)',
  )
    .addHelpText(
      'after',
      `
The fields are set first, then the move is checked: every required field of the stage must be
filled, or nothing is written and the missing ones are named (exit 2). Entering a stage runs its
actions on entry: tasks, alerts, the deal-desk approval request (proposal in the templates), and at
closed won the customer-success owner and kickoff task.

Examples:
  revops deals move acme-1 discovery --set painPoints="Manual reporting" --set currentSolution=Spreadsheets --set timeline="Q1"
  revops deals move acme-1 proposal --set amount=30000 --set discountPercent=25 --set termMonths=12 --set paymentTerms=net-30 --set stakeholderMap="CFO signs"
  revops deals move acme-1 closed_won --set signedContract=true`,
    )
    .action((id: string, stage: string, options: DealsChangeOptions) =>
      done(dealsMoveCommand(io, id, stage, options)),
    );

  commonOptions(
    deals
      .command('push')
      .description('Move a deal’s close date (later needs --reason; the second push flags a forecast review)')
      .argument('<id>', 'the deal id')
      .argument('<date>', 'the new close date, YYYY-MM-DD')
      .option('--reason <text>', 'why it slipped (required when the date moves later)')
      .option('--by <who>', 'who made the change (recorded as cli:<who>)'),
    'record it as of this time (default: now)',
  )
    .addHelpText(
      'after',
      '\nExample:\n  revops deals push acme-1 2027-01-15 --reason "Budget frozen until January"',
    )
    .action((id: string, date: string, options: DealsChangeOptions) =>
      done(dealsPushCommand(io, id, date, options)),
    );
}

export async function dealsListCommand(io: CliIo, options: DealsListOptions): Promise<number> {
  const limit = parseLimitOption(options.limit);
  const now = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  return withEngine(io, options, async (engine, store) => {
    const judge = await staleJudge(store, engine.model, now);
    const owner = options.owner?.startsWith('rep:') === true ? options.owner.slice(4) : options.owner;
    const listed = await store.listDeals(
      Object.assign(
        {},
        options.status === undefined || options.status === 'all'
          ? {}
          : { status: options.status as DealState['status'] },
        options.stage === undefined ? {} : { stage: options.stage },
        owner === undefined ? {} : { owner },
      ),
    );
    const matching = listed
      .map((deal) => ({ deal, stale: judge(deal) }))
      .filter((d) => options.stale !== true || d.stale !== undefined);
    const shown = limit === 0 ? matching : matching.slice(0, limit);
    if (options.json === true) {
      const deals = shown.map((d) => dealJson(d.deal, now, d.stale));
      write(
        io.stdout,
        JSON.stringify({ at: iso(now), matching: matching.length, shown: shown.length, deals }, null, 2),
      );
      return EXIT.ok;
    }
    const counts = { open: 0, won: 0, lost: 0 };
    for (const d of matching) counts[d.deal.status] += 1;
    const lines = [
      `Deals in ${store.description}: ${matching.length} matching (${counts.open} open, ${counts.won} won, ${counts.lost} lost)`,
    ];
    if (shown.length === 0) lines.push('no deals');
    else {
      const table = new Table({
        head: ['Deal', 'Name', 'Stage', 'Status', 'Owner', 'Amount', 'Close date', 'Days in stage', 'Flags'],
        style: PLAIN,
      });
      for (const { deal, stale } of shown)
        table.push([
          deal.id,
          deal.name ?? '—',
          deal.stage,
          deal.status,
          deal.owner ?? '—',
          money(deal),
          deal.closeDate ?? '—',
          String(daysInStage(deal, now)),
          flagsText(deal, stale) || '—',
        ]);
      lines.push(table.toString());
      if (shown.length < matching.length)
        lines.push(`… and ${matching.length - shown.length} more (--limit 0 lists all)`);
    }
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  });
}

export async function dealsShowCommand(io: CliIo, id: string, options: DealsCommonOptions): Promise<number> {
  const now = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  return withEngine(io, options, async (engine, store) => {
    const deal = await store.findDeal(id);
    if (deal === undefined)
      throw new RevopsError('pipeline.unknown_deal', `no deal \`${id}\` in ${store.description}`, {
        hint: 'list them with `revops deals list`',
      });
    const stale = (await staleJudge(store, engine.model, now))(deal);
    const approvals = await store.listApprovals({ dealId: id });
    write(
      io.stdout,
      options.json === true
        ? JSON.stringify(dealJson(deal, now, stale, approvals), null, 2)
        : dealText(deal, now, stale, approvals),
    );
    return EXIT.ok;
  });
}

/** A refusal with CLI words: what to add to the command line to get past it. */
function cliHint(error: unknown, again: string): unknown {
  if (!(error instanceof RevopsError)) return error;
  let hint: string | undefined;
  if (error.code === 'pipeline.required_fields_missing') {
    const missing = error.issues.map((i) => String(i.path[0] ?? ''));
    hint = `fill them and run it again: ${again} ${missing.map((f) => `--set ${f}=…`).join(' ')}`;
  } else if (error.code === 'pipeline.push_reason_required')
    hint = `say why it slipped: ${again} --reason "…"`;
  return hint === undefined ? error : new RevopsError(error.code, error.message, { cause: error, hint });
}

/**
 * Runs the deal command `build` makes (it may read the deal first) and prints the deal after it,
 * with the approval requests the change opened.
 */
async function change(
  io: CliIo,
  options: DealsChangeOptions,
  dealId: string,
  build: (engine: Engine, before: DealState | undefined) => DealRequest,
  again: string,
  headline: (before: DealState | undefined, after: DealState) => string,
): Promise<number> {
  const at = options.at === undefined ? undefined : parseAtOption(options.at);
  return withEngine(io, options, async (engine, store) => {
    const before = await store.findDeal(dealId);
    const known = new Set((await store.listApprovals({ dealId })).map((a) => a.id));
    const by = options.by === undefined ? 'cli' : `cli:${options.by}`;
    const deal = await engine
      .deal(Object.assign({}, build(engine, before), { by }, at === undefined ? {} : { at }))
      .catch((error: unknown) => {
        throw cliHint(error, again);
      });
    const now = at ?? systemClock.now();
    const approvals = await store.listApprovals({ dealId: deal.id });
    const stale = (await staleJudge(store, engine.model, now))(deal);
    if (options.json === true) {
      write(io.stdout, JSON.stringify(dealJson(deal, now, stale, approvals), null, 2));
      return EXIT.ok;
    }
    const lines = [headline(before, deal)];
    const flags = flagsText(deal, stale);
    if (flags !== '') lines.push(`Flags: ${flags}`);
    if (deal.csOwner !== undefined && before?.csOwner === undefined)
      lines.push(`Customer-success owner: ${deal.csOwner}`);
    for (const a of approvals) if (!known.has(a.id)) lines.push(`Approval ${approvalLine(a)}`);
    lines.push(`Written to ${store.description}.`);
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  });
}

export function dealsCreateCommand(io: CliIo, id: string, options: DealsCreateOptions): Promise<number> {
  const request: DealRequest = Object.assign(
    { action: 'created' as const, dealId: id, contact: options.contact, fields: parseSets(options.set) },
    options.stage === undefined ? {} : { stage: options.stage },
    options.pipeline === undefined ? {} : { pipeline: options.pipeline },
  );
  return change(
    io,
    options,
    id,
    () => request,
    `revops deals create ${id} --contact ${options.contact}`,
    (_, d) =>
      `Created deal ${d.id} in ${d.stage} (pipeline ${d.pipeline}) for ${d.contacts[0]?.contactKey ?? '—'}, account ${d.account ?? '—'}, owner ${d.owner ?? '—'}.`,
  );
}

/** The action a move asks for: closing when the stage is the pipeline's won or lost stage. */
function moveAction(model: DecisionModel, deal: DealState | undefined, stage: string): DealRequest['action'] {
  const pipeline =
    model.pipeline === undefined || deal === undefined
      ? undefined
      : pipelineOf(model.pipeline, deal.pipeline);
  if (pipeline === undefined || stageOf(pipeline, stage) === undefined) return 'stage_changed';
  if (closingStage(pipeline, 'won')?.id === stage) return 'closed_won';
  if (closingStage(pipeline, 'lost')?.id === stage) return 'closed_lost';
  return 'stage_changed';
}

export function dealsMoveCommand(
  io: CliIo,
  id: string,
  stage: string,
  options: DealsChangeOptions,
): Promise<number> {
  const fields = parseSets(options.set);
  const build = (engine: Engine, before: DealState | undefined): DealRequest => {
    const action = moveAction(engine.model, before, stage);
    return Object.assign(
      { action, dealId: id, fields },
      action === 'stage_changed' ? { stage } : {},
      options.reason === undefined ? {} : { reason: options.reason },
    );
  };
  return change(io, options, id, build, `revops deals move ${id} ${stage}`, (before, d) =>
    before !== undefined && before.stage === d.stage
      ? `Deal ${d.id} stays in ${d.stage}; fields updated.`
      : `Moved deal ${d.id} from ${before?.stage ?? '—'} to ${d.stage} (${d.status}) at ${iso(d.stageEnteredAt)}.`,
  );
}

export function dealsPushCommand(
  io: CliIo,
  id: string,
  date: string,
  options: DealsChangeOptions,
): Promise<number> {
  const request: DealRequest = Object.assign(
    { action: 'close_date_changed' as const, dealId: id, fields: { closeDate: date } },
    options.reason === undefined ? {} : { reason: options.reason },
  );
  return change(
    io,
    options,
    id,
    () => request,
    `revops deals push ${id} ${date}`,
    (before, d) => {
      const push = d.pushes.length > (before?.pushes.length ?? 0) ? d.pushes[d.pushes.length - 1] : undefined;
      return push === undefined
        ? `Close date of deal ${d.id} is now ${d.closeDate ?? '—'} (not later: no push recorded).`
        : `Pushed the close date of deal ${d.id} from ${push.from} to ${push.to} (${push.slipDays} days later): push ${d.pushes.length}${d.flags.forecastReview ? ', flagged for a forecast review' : ''}.`;
    },
  );
}

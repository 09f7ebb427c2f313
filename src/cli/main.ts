/**
 * `revops <command>`: the command line. Exit 0 when done, 2 for anything the user can fix
 * (with the error code and what to do), 1 for a bug.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerApprovals } from './commands/approvals.ts';
import { calibrateCommand, type CalibrateOptions } from './commands/calibrate.ts';
import { dbMigrateCommand } from './commands/db.ts';
import { registerDeals } from './commands/deals.ts';
import { registerDemo } from './commands/demo.ts';
import { docsCommand } from './commands/docs.ts';
import { ingestCommand } from './commands/ingest.ts';
import { replayCommand } from './commands/replay.ts';
import { registerRouteReassign, routeExplainCommand, type RouteExplainOptions } from './commands/route.ts';
import { routeSimulateCommand, type RouteSimulateOptions } from './commands/routeSimulate.ts';
import { scoreRescoreCommand, scoreSweepCommand } from './commands/score.ts';
import { scoreExplainCommand } from './commands/scoreExplain.ts';
import { initCommand } from './commands/init.ts';
import { schemaCommand } from './commands/schema.ts';
import { registerOutbox } from './commands/outbox.ts';
import { registerMetrics } from './commands/metrics.ts';
import { registerSla } from './commands/sla.ts';
import { registerServe } from './commands/serve.ts';
import { registerStage } from './commands/stage.ts';
import { registerTimers } from './commands/timers.ts';
import { registerKeys } from './commands/keys.ts';
import { tourCommand } from './commands/tour.ts';
import { registerStart } from './commands/start.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT, processIo, write, type CliIo } from './io.ts';
import { reportError } from './userError.ts';

const TEMPLATES = ['plg', 'sales-led', 'mid-market'];

function program(io: CliIo, done: (code: number | Promise<number>) => void): Command {
  const cli = new Command('revops')
    .description(
      'RevOps Engine — your revenue funnel as code: scoring, lifecycle, routing, SLAs, pipeline, deal desk.',
    )
    .version('0.1.0', '-v, --version')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Start here:
  revops init                       answer six questions, get a starting revops.yaml
  revops validate revops.yaml       check it; every problem with file:line:col
  revops docs --out docs/revops     the five documents your teams sign off
Docs: README.md and docs/ in the repository.`,
    );

  cli
    .command('init')
    .description('Write a starting revops.yaml from a template, adapted to your answers')
    .addOption(new Option('--gtm <motion>', 'go-to-market motion').choices(['plg', 'sales-led', 'hybrid']))
    .option('--acv <amount>', 'average contract value per year, e.g. 12000, 12k or $12,000')
    .option('--cycle-days <days>', 'typical sales cycle in days')
    .addOption(new Option('--crm <crm>', 'your CRM of record').choices(['hubspot', 'salesforce', 'none']))
    .option('--name <company>', 'your company name')
    .option('--current-state <text>', 'how leads are handled today, and what is not working')
    .option('--goals <list>', 'what the funnel should improve, comma-separated')
    .addOption(
      new Option('--template <name>', 'start from this template instead of choosing one').choices(TEMPLATES),
    )
    .option('--out <file>', 'where to write the config', 'revops.yaml')
    .option('-y, --yes', 'do not ask: take defaults for anything not given as a flag')
    .option('-f, --force', 'overwrite the output file if it exists')
    .addHelpText(
      'after',
      `
Without --yes, init asks what the flags do not say (GTM motion, ACV, sales cycle, CRM,
current state, goals). It first reads a product-marketing context document if one exists
(.agents/product-marketing.md or .claude/product-marketing.md) and only asks for the rest.

Examples:
  revops init --gtm plg --acv 2400 --cycle-days 14 --crm hubspot --yes
  revops init --template sales-led --out config/revops.yaml`,
    )
    .action((options: Record<string, unknown>) => done(initCommand(io, options)));

  cli
    .command('validate')
    .description('Check a config: exit 0 with a summary, or exit 2 listing every problem')
    .argument('[file]', 'the config file', 'revops.yaml')
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { json?: boolean }) => done(validateCommand(io, file, options)));

  cli
    .command('docs')
    .description('Render the five documents (lifecycle, scoring, routing, pipeline, metrics) from the config')
    .option('-c, --config <file>', 'the config file', 'revops.yaml')
    .option('-o, --out <dir>', 'output directory', 'revops-docs')
    .addOption(new Option('--format <format>', 'md or html').default('md'))
    .addHelpText(
      'after',
      '\nWhen company.crm is hubspot or salesforce, each document ends with the setup steps on that CRM.',
    )
    .action((options: { config: string; out: string; format: string }) => done(docsCommand(io, options)));

  cli
    .command('schema')
    .description('Print the JSON Schema of revops.yaml for editor completion and checks')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((options: { out?: string }) => done(schemaCommand(io, options)));

  cli
    .command('ingest')
    .description('Import events (NDJSON or CSV) into the database through the engine')
    .argument('<file>', 'the events file, or - for standard input')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .addOption(new Option('--format <format>', 'ndjson or csv (default: from the file name)'))
    .option('--batch <n>', 'events per transaction', '1000')
    .option('--errors <file>', 'write every rejected line, with its reasons, as NDJSON')
    .addHelpText(
      'after',
      `
Each line is one event: {"id", "type", "at", "contact": {...}, "company": {...}, "properties": {...}}.
CSV headers name the same paths: id,type,at,contact.email,company.domain,properties.category.
A bad line is reported with its number and skipped; everything else is imported. Ids already
stored are counted as duplicates and change nothing, so re-running a file is safe.
Exit 0 when nothing was rejected, 2 when some lines were (the rest is imported).`,
    )
    .action(
      (
        file: string,
        options: { config: string; db?: string; format?: string; batch: string; errors?: string },
      ) => done(ingestCommand(io, file, options)),
    );

  cli
    .command('replay')
    .description('Run the whole engine over an event history with a simulated clock (nothing is written)')
    .requiredOption('-c, --config <file>', 'the config to replay with')
    .requiredOption('-e, --events <file>', 'the events (NDJSON or CSV), or - for standard input')
    .option('--at <iso>', 'run timers up to this time (default: the last event)')
    .option('--json', 'print the full report as JSON (the stable contract in docs/replay.md)')
    .addOption(new Option('--format <format>', 'ndjson or csv (default: from the file name)'))
    .addHelpText(
      'after',
      `
Events run in time order (file order for ties); timers (task due times, SLA steps) fire at
their due time as the simulated clock passes them. The same config and events always give
byte-identical --json output, so a rule change can be diffed before it goes live:
  revops replay -c revops.yaml -e history.ndjson --json > before.json`,
    )
    .action((options: { config: string; events: string; at?: string; json?: boolean; format?: string }) =>
      done(replayCommand(io, options)),
    );

  const score = cli.command('score').description('Lead scores');
  score
    .command('explain')
    .description('Itemise one contact’s score: every rule, its points and decay, and the MQL verdict')
    .argument('<email>', 'the contact')
    .option('-c, --config <file>', 'the config whose scoring model to use', 'revops.yaml')
    .option(
      '--db <target>',
      'read the contact from this database (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('-e, --events <file>', 'instead, replay this history (NDJSON or CSV) and explain the result')
    .option('--at <iso>', 'as of this time (default: now, or the last event when replaying)')
    .option('--json', 'print the full result with the ledger as JSON')
    .addHelpText(
      'after',
      `
Examples:
  revops score explain ava.chen@northwind.io
  revops score explain ava.chen@northwind.io --events examples/events.ndjson --at 2026-11-20T00:00:00Z`,
    )
    .action(
      (
        email: string,
        options: { config: string; db?: string; events?: string; at?: string; json?: boolean },
      ) => done(scoreExplainCommand(io, email, options)),
    );
  score
    .command('sweep')
    .description('Rescore the contacts whose next decay step has come (run it on a schedule, e.g. hourly)')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('--at <iso>', 'sweep as of this time (default: now)')
    .addHelpText(
      'after',
      `
Scores decay with time ("-5 per week"), so a stored score goes stale without new events. Each contact
keeps the instant of its next decay step; the sweep reads only contacts whose step has come, so a
million idle leads cost nothing. An upward MQL crossing writes an "mql" effect, as on ingest.`,
    )
    .action((options: { config: string; db?: string; at?: string }) => done(scoreSweepCommand(io, options)));
  score
    .command('rescore')
    .description('Rescore every contact with the config’s model (after you change the scoring rules)')
    .option('-c, --config <file>', 'the config with the new scoring model', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('--at <iso>', 'score as of this time (default: now)')
    .addHelpText(
      'after',
      `
Scores are a function of each contact's remembered events and the model, so a new model needs no
replay: every stored contact is rescored in pages of 5,000, one transaction each (safe to stop and
run again). Contacts that now cross the MQL rule write an "mql" effect; account roll-ups follow.
Check a change first with: revops calibrate -c revops.yaml --history history.ndjson`,
    )
    .action((options: { config: string; db?: string; at?: string }) =>
      done(scoreRescoreCommand(io, options)),
    );

  cli
    .command('calibrate')
    .description('Judge the scoring model against closed-won/lost outcomes: threshold, points, warning signs')
    .requiredOption('-c, --config <file>', 'the config whose scoring model to judge')
    .requiredOption('-h, --history <file>', 'events with outcomes (NDJSON or CSV), or - for standard input')
    .option('--json', 'print every figure as JSON')
    .addOption(new Option('--format <format>', 'ndjson or csv (default: from the file name)'))
    .option('--step <points>', 'threshold table step', '5')
    .option('--l2 <lambda>', 'L2 penalty of the regression (larger: smaller, steadier suggestions)', '1')
    .option('--limit <n>', 'misjudged leads listed in the table output', '10')
    .addHelpText(
      'after',
      `
The history is the usual event file (docs/events.md) with an outcome per closed lead: a "deal"
event with properties.action "closed_won" or "closed_lost" naming the contact. Every lead is
retro-scored with today's model up to its outcome; a lead "qualifies" at a threshold when it
reached it while fit and engagement met their minimums (or through a fast-track action).

The report: per threshold, MQL volume, precision, recall, closed-lost above (false positives)
and closed-won below (false negatives); the reference's starting threshold (just below where 80%
of closed-won would have qualified); suggested points per rule from a logistic regression on
which rules hit; and the warning signs (sales acceptance under 30%, high scores not converting,
low scores converting, MQL spikes without wins).

Example:
  revops calibrate -c revops.yaml --history examples/calibration/history.ndjson`,
    )
    .action((options: CalibrateOptions) => done(calibrateCommand(io, options)));

  const route = cli
    .command('route')
    .description('Lead routing: where a lead would go, how a history shares out, and reassigning a lead');
  route
    .command('explain')
    .description(
      'Route one lead under a config (a what-if): the path through the rules and every candidate rep',
    )
    .requiredOption('-c, --config <file>', 'the config whose routing to use')
    .requiredOption('-l, --lead <file>', 'the lead, as a JSON file (below)')
    .option('--at <iso>', 'route at this time: PTO, working hours, the round-robin period (default: now)')
    .option('--json', 'print the decision with its full trace as JSON')
    .option('--every-rule', 'a step for every rule tried, also where a long list folds a run it rules out')
    .addHelpText(
      'after',
      `
The lead file is JSON; only contact is required:
  {
    "contact": { "email": "kim@globex.example", "lastName": "Kim", "seniority": "vp" },
    "company": { "name": "Globex", "employees": 800, "state": "CA", "country": "US" },
    "owner": "priya",
    "account": { "owner": "sofia" },
    "score": { "fit": 60, "mql": true }
  }
  contact, company  attributes as events carry them (docs/events.md); contact needs email or id
  owner             the lead's current owner (kept when routing keeps owners: keep_owner)
  account.owner     the account's owner (sameAccountSameOwner gives it every contact)
  score             overrides lead.score (fit, engagement, negative, total, mql) for rules on it

The lead is built as the engine builds it from one identify event (account by email domain,
named account and tier, score), then routed as on entering the first routing.on stage. Printed:
each step of the path (rule, matched, outcome, why), the decision, and every rep each team pick
looked at (status, skip reason, count, weight, target, deficit, open leads). There is no load:
every rep has 0 open leads and 0 today and round-robin counts start fresh; \`revops route
simulate\` routes a whole history with load. In a long rule list, a run of 8 or more rules the
lead cannot match by the list's index (another company.state, a bound it fails) is one
ruled_out step naming the rules and why; --every-rule shows each of them.

Examples:
  revops route explain -c revops.yaml --lead lead.json
  revops route explain -c revops.yaml --lead lead.json --at 2026-12-22T15:00:00Z --json`,
    )
    .action((options: RouteExplainOptions) => done(routeExplainCommand(io, options)));
  route
    .command('simulate')
    .description('Replay a history through the engine and report how routing shared the leads out')
    .requiredOption('-c, --config <file>', 'the config to route with')
    .requiredOption('-e, --events <file>', 'the events (NDJSON or CSV), or - for standard input')
    .option('--json', 'print every figure as JSON')
    .addOption(new Option('--format <format>', 'ndjson or csv (default: from the file name)'))
    .addHelpText(
      'after',
      `
The history runs through the whole engine exactly as \`revops replay\` runs it (in-memory
database, simulated clock), so leads are routed with real load and round-robin counts. The report:
decisions by kind (assigned, kept, queued, review), by rule and by queue; assigned leads by rep; and
for each team that picked reps, each member's share of the team's leads against its target (its
weight over the weights of the team's active reps; 1 each for round_robin), the deviation in
percentage points, and the team's fairness: the largest |share − target|.

Examples:
  revops route simulate -c revops.yaml -e history.ndjson
  revops route simulate -c revops.yaml -e history.ndjson --json > routing.json`,
    )
    .action((options: RouteSimulateOptions) => done(routeSimulateCommand(io, options)));
  registerRouteReassign(route, io, done);

  registerStage(cli, io, done);
  registerSla(cli, io, done);
  registerMetrics(cli, io, done);
  registerDeals(cli, io, done);
  registerApprovals(cli, io, done);
  registerTimers(cli, io, done);
  registerDemo(cli, io, done);
  registerOutbox(cli, io, done);
  registerServe(cli, io, done);
  registerStart(cli, io, done);
  registerKeys(cli, io, done);

  const db = cli.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Bring the database schema up to date (also done automatically at start)')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .action((options: { db?: string }) => done(dbMigrateCommand(io, options)));

  cli
    .command('tour')
    .description('A guided five-minute tour of the CLI on the mid-market template (files only, no server)')
    .option('--dir <dir>', 'where the tour writes its files', 'data/tour')
    .action((options: { dir: string }) => done(tourCommand(io, options)));

  return cli;
}

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let result: number | Promise<number> = EXIT.ok;
  try {
    await program(io, (code) => {
      result = code;
    }).parseAsync([...argv]);
    return await Promise.resolve(result);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
      )
        return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      write(io.stderr, 'run `revops --help` (or `revops <command> --help`) to see what is accepted');
      return EXIT.user;
    }
    return reportError(io, error);
  }
}

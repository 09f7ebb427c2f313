/**
 * `revops route explain`: where one lead would go under a config — the path through the decision
 * tree and every rep each team pick looked at. Nothing is written (`route simulate`: routeSimulate.ts).
 * `revops route reassign`: take a lead in the database away from its owner and route it again.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import { engineSetup } from '../../config/engineModel.ts';
import { previewRoute, type PreviewLead } from '../../engine/routePreview.ts';
import { RevopsError } from '../../core/errors.ts';
import type { RoutingModel } from '../../core/routing/model.ts';
import type { RoutingDecision } from '../../core/routing/route.ts';
import type { ContactScore } from '../../core/types.ts';
import { systemClock } from '../../engine/clock.ts';
import type { ReassignResult } from '../../engine/reassign.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseAtOption } from '../timeOption.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface RouteExplainOptions {
  readonly config: string;
  readonly lead: string;
  readonly at?: string;
  readonly json?: boolean;
  readonly everyRule?: boolean;
}

/** Plain tables: no colours, so the output reads the same in a terminal, a pipe or a file. */
import { PLAIN } from '../plainStyle.ts';

const LEAD_KEYS = ['contact', 'company', 'owner', 'account', 'score'];
const LEAD_HINT =
  'a lead file is JSON like {"contact": {"email": "kim@globex.example", "title": "VP Finance"}, "company": {"employees": 800, "state": "CA"}, "owner"?: "priya", "account"?: {"owner": "sofia"}, "score"?: {"fit": 60, "mql": true}}';
const NO_LOAD =
  'No load: a what-if with every rep at 0 open leads and 0 today, and fresh round-robin counts (`revops route simulate` replays a history with load).';

function leadError(file: string, message: string): RevopsError {
  return new RevopsError('cli.invalid_option', `${file}: ${message}`, { hint: LEAD_HINT });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the lead file; every problem is a coded error that names the file. */
function readLead(io: CliIo, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch {
    throw new RevopsError('cli.input_not_found', `no lead file at ${resolve(io.cwd, file)}`, {
      hint: `check the path; ${LEAD_HINT}`,
    });
  }
  let lead: unknown;
  try {
    lead = JSON.parse(text);
  } catch (error) {
    throw leadError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(lead)) throw leadError(file, 'the lead must be a JSON object');
  const unknown = Object.keys(lead).filter((k) => !LEAD_KEYS.includes(k));
  if (unknown.length > 0)
    throw leadError(file, `unknown field(s) ${unknown.map((k) => `\`${k}\``).join(', ')}`);
  if (!isObject(lead['contact'])) throw leadError(file, '`contact` (an object with `email`) is required');
  for (const key of ['company', 'account', 'score'])
    if (lead[key] !== undefined && !isObject(lead[key]))
      throw leadError(file, `\`${key}\` must be an object`);
  const owner = lead['owner'];
  const accountOwner = (lead['account'] as Record<string, unknown> | undefined)?.['owner'];
  for (const [name, value] of [
    ['owner', owner],
    ['account.owner', accountOwner],
  ] as const)
    if (value !== undefined && typeof value !== 'string')
      throw leadError(file, `\`${name}\` must be a rep id`);
  return lead;
}

function scoreOverride(file: string, raw: Record<string, unknown>): Partial<ContactScore> {
  const out: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(raw)) {
    const numeric = ['fit', 'engagement', 'negative', 'total'].includes(key);
    if (numeric && typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (key === 'mql' && typeof value === 'boolean') out[key] = value;
    else
      throw leadError(
        file,
        `\`score.${key}\`: the score takes fit, engagement, negative, total (numbers) and mql (true/false)`,
      );
  }
  return out;
}

export function routingOf(routing: RoutingModel | undefined): RoutingModel {
  if (routing === undefined)
    throw new RevopsError('cli.invalid_option', 'the config routes nobody (no routing section)', {
      hint: 'add `routing:` and `team:` sections (see docs/config.md)',
    });
  return routing;
}

export function routeExplainCommand(io: CliIo, options: RouteExplainOptions): number {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? Date.now() : parseAtOption(options.at);
  const lead = readLead(io, options.lead);
  const setup = engineSetup(config);
  routingOf(setup.model.routing);
  const accountOwner = isObject(lead['account']) ? lead['account']['owner'] : undefined;
  let preview;
  try {
    const request: { -readonly [K in keyof PreviewLead]: PreviewLead[K] } = {
      contact: isObject(lead['contact']) ? lead['contact'] : {},
    };
    if (isObject(lead['company'])) request.company = lead['company'];
    if (typeof lead['owner'] === 'string') request.owner = lead['owner'];
    if (typeof accountOwner === 'string') request.accountOwner = accountOwner;
    if (isObject(lead['score'])) request.score = scoreOverride(options.lead, lead['score']);
    preview = previewRoute(setup.model, setup.catalog, request, at, {
      everyRule: options.everyRule === true,
    });
  } catch (error) {
    // The same problems, named for the lead file.
    if (error instanceof RevopsError && error.code === 'routing.invalid_request')
      throw new RevopsError('cli.invalid_option', `${options.lead} is not a usable lead`, {
        issues: error.issues,
        hint: LEAD_HINT,
        cause: error,
      });
    throw error;
  }
  const { decision, stage } = preview;
  const subject = {
    contact: preview.contact,
    account: preview.account ?? null,
    named: preview.named ?? null,
    stage,
    owner: preview.owner ?? null,
    accountOwner: preview.accountOwner ?? null,
  };
  if (options.json) {
    write(
      io.stdout,
      JSON.stringify(
        { lead: subject, at: new Date(at).toISOString(), load: 'none', decision: plainDecision(decision) },
        null,
        2,
      ),
    );
  } else {
    write(io.stdout, explainText(subject, at, decision));
  }
  return EXIT.ok;
}

/** The decision as JSON: durations by their text. */
export function plainDecision(decision: RoutingDecision): Record<string, unknown> {
  if (decision.kind === 'assigned' && decision.tier !== undefined)
    return Object.assign({}, decision, {
      tier: Object.assign({}, decision.tier, { sla: decision.tier.sla.source }),
    });
  if (decision.kind === 'queued' && decision.sla !== undefined)
    return Object.assign({}, decision, { sla: decision.sla.source });
  return { ...decision };
}

export function verdict(decision: RoutingDecision): string {
  switch (decision.kind) {
    case 'assigned': {
      const team = decision.team === undefined ? '' : ` (team ${decision.team})`;
      const tier =
        decision.tier === undefined
          ? ''
          : `; tier ${decision.tier.tier} "${decision.tier.name}": ${decision.tier.alert} alert, SLA ${decision.tier.sla.source}`;
      return `assigned to ${decision.owner}${team} by rule ${decision.rule}${tier}`;
    }
    case 'kept':
      return `kept by its owner ${decision.owner} (rule ${decision.rule})`;
    case 'queued':
      return `queued in ${decision.queue} by rule ${decision.rule}${decision.sla === undefined ? '' : `; pickup SLA ${decision.sla.source}`}`;
    case 'review':
      return `held for review (rule ${decision.rule}): the company name is close to ${decision.matches
        .map((m) => `${m.name} (${m.domain}, ${m.score})`)
        .join(', ')}`;
  }
}

function explainText(
  subject: { contact: string; account: string | null; named: { tier: number } | null; stage: string },
  at: number,
  decision: RoutingDecision,
): string {
  const account =
    subject.account === null
      ? 'no account'
      : `account ${subject.account}${subject.named === null ? '' : `, named tier ${subject.named.tier}`}`;
  const out = [
    `Routing ${subject.contact} (${account}) as on entering ${subject.stage}, at ${new Date(at).toISOString()}.`,
    NO_LOAD,
    '',
    ...pathLines(decision),
    '',
    `Decision: ${verdict(decision)}.`,
    ...candidateLines(decision),
  ];
  return out.join('\n');
}

/** `Path:` and each step of the decision: rule, matched, outcome, why. */
export function pathLines(decision: RoutingDecision): string[] {
  return [
    'Path:',
    ...decision.trace.steps.map(
      (s, i) => `  ${i + 1}. ${s.rule}  ${s.matched ? 'matched' : 'not matched'}  ${s.outcome}  ${s.detail}`,
    ),
  ];
}

/** The per-rep table of every team pick, then each rep's notes; nothing when no team picked. */
export function candidateLines(decision: RoutingDecision): string[] {
  const out: string[] = [];
  const candidates = decision.trace.candidates;
  if (candidates.length > 0) {
    const table = new Table({
      head: ['rep', 'team', 'status', 'reason', 'count', 'weight', 'target', 'deficit', 'open leads'],
      style: PLAIN,
    });
    for (const c of candidates)
      table.push([
        c.rep,
        c.team,
        c.status,
        c.reason ?? '',
        String(c.count),
        String(c.weight),
        String(c.target),
        String(c.deficit),
        String(c.openLeads),
      ]);
    out.push('', 'Candidates of each team pick:', table.toString());
    const notes = candidates.filter((c) => c.detail !== undefined);
    for (const c of notes) out.push(`  ${c.rep} (${c.team}): ${c.detail ?? ''}`);
  }
  return out;
}

// ---- route reassign

export interface RouteReassignOptions {
  readonly config: string;
  readonly db?: string;
  readonly reason: string;
  readonly at?: string;
  readonly exclude?: string;
  readonly from?: string;
  readonly json?: boolean;
}

const REASSIGN_HELP = `
The lead is routed again exactly as on entering its routing stage, except that its owner cannot
get it — nor anyone it was already reassigned away from since it was last routed, nor the reps
you --exclude. What is written, in one transaction (the earlier assignment rows stay as they are):
  - the new owner, or the queue the tree (in the end routing.fallback.queue) sends it to when
    nobody else can take it: the previous owner loses the lead either way
  - a new assignment row whose trace names the previous owner and your reason
  - an "assigned" message to the new owner saying it is a reassignment and from whom (or "queued"
    to the queue's team), and a "reassigned" message to the previous owner
  - the round-robin counters: the previous owner gets back the count of a lead they never worked
    (when it was counted this period); the new owner's pick counts as usual

Errors (exit 2) name what to do: routing.unknown_contact, routing.no_owner (a lead in a queue),
routing.owner_changed (--from names someone who no longer owns it), routing.unknown_rep.

Examples:
  revops route reassign ava.chen@northwind.io --reason "sla speed-to-lead breached"
  revops route reassign ava.chen@northwind.io --reason "out sick" --from priya --exclude leo --json`;

/** Adds `route reassign` to the `route` command. */
export function registerRouteReassign(
  route: Command,
  io: CliIo,
  done: (code: number | Promise<number>) => void,
): void {
  route
    .command('reassign')
    .description(
      'Take a lead away from its owner and route it again (excluding them); records both decisions',
    )
    .argument('<contact>', 'the lead: its email, or its key (email:…, id:…)')
    .requiredOption('-r, --reason <text>', 'why: recorded with the new assignment and sent to both reps')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('--at <iso>', 'reassign as of this time: PTO, hours, capacity, round-robin period (default: now)')
    .option('--exclude <reps>', 'more reps who may not get it, comma-separated rep ids')
    .option('--from <rep>', 'only if this rep still owns it (otherwise nothing changes)')
    .option('--json', 'print the result with the decision and its full trace as JSON')
    .addHelpText('after', REASSIGN_HELP)
    .action((contact: string, options: RouteReassignOptions) =>
      done(routeReassignCommand(io, contact, options)),
    );
}

export async function routeReassignCommand(
  io: CliIo,
  contact: string,
  options: RouteReassignOptions,
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const exclude = options.exclude
    ?.split(',')
    .map((rep) => rep.trim())
    .filter((rep) => rep !== '');
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const { engine } = runtime(store, config, systemClock);
    const result = await engine.reassign({
      contact,
      at,
      reason: options.reason,
      cause: 'cli',
      ...(exclude === undefined ? {} : { exclude }),
      ...(options.from === undefined ? {} : { expectedOwner: options.from }),
    });
    if (options.json) write(io.stdout, JSON.stringify(reassignJson(result), null, 2));
    else write(io.stdout, reassignText(result, exclude ?? [], store.description));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function reassignJson(result: ReassignResult): Record<string, unknown> {
  const { decision } = result;
  return {
    contact: result.email ?? result.contactKey,
    at: new Date(result.at).toISOString(),
    from: result.from,
    kind: result.kind,
    owner: result.owner ?? null,
    queue: result.queue ?? null,
    team: decision.kind === 'assigned' ? (decision.team ?? null) : null,
    rule: decision.rule,
    reason: result.reason,
    excluded: result.excluded,
    credit: result.credit ?? null,
    fairness: result.fairness,
    notified: result.effects.map((e) => ({ type: e.type, to: e.payload['to'] ?? null })),
    tasks: result.tasks.map((t) => ({ key: t.key, title: t.title, assignee: t.assignee })),
    decision: plainDecision(decision),
  };
}

function reassignText(result: ReassignResult, asked: readonly string[], database: string): string {
  const { decision } = result;
  const lead = result.email ?? result.contactKey;
  const when = new Date(result.at).toISOString();
  const headline =
    decision.kind === 'assigned'
      ? `Reassigned ${lead} from ${result.from} to ${verdict(decision).replace(/^assigned to /, '')}, at ${when}.`
      : `Reassigned ${lead} away from ${result.from} at ${when}: nobody else could take it, so it is ${verdict(decision)}.`;
  const to = (e: ReassignResult['effects'][number]) =>
    typeof e.payload['to'] === 'string' ? e.payload['to'] : 'unassigned';
  return [
    headline,
    `Reason: ${result.reason}`,
    `Excluded: ${result.excluded.map((rep) => `${rep} (${rep === result.from ? 'the owner' : asked.includes(rep) ? '--exclude' : 'an earlier owner'})`).join(', ')}`,
    `Fairness: ${result.fairness}`,
    `Notified: ${result.effects.map((e) => `${to(e)} (${e.type})`).join(', ')}`,
    ...(result.tasks.length === 0
      ? []
      : [
          `Tasks moved to ${result.tasks[0]?.assignee ?? ''}: ${result.tasks.map((t) => t.title).join('; ')}`,
        ]),
    `Written to ${database}; the earlier assignment rows are unchanged.`,
    '',
    ...pathLines(decision),
    ...candidateLines(decision),
  ].join('\n');
}

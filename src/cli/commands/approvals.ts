/**
 * `revops approvals`: the deal desk's approval requests in a database — list them (pending ones by
 * default), record an approver's vote (engine.decideApproval, a `deal` event in the log), and the
 * exceptions report: the most-requested non-standard terms, and which should become standard.
 */
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { waitingOn } from '../../core/dealdesk/approval.ts';
import {
  exceptionsReport,
  MAKE_STANDARD_APPROVAL_RATE,
  MAKE_STANDARD_SHARE,
} from '../../core/dealdesk/report.ts';
import { RevopsError } from '../../core/errors.ts';
import type { ApprovalRequest, ApprovalStatus } from '../../core/pipeline/types.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseLimitOption } from '../limitOption.ts';
import { parseAtOption } from '../timeOption.ts';
import { commonOptions, withEngine, type DealsCommonOptions } from './deals.ts';
import { approvalJson, iso, PLAIN } from './dealViews.ts';
import { exceptionsReportView } from '../../server/schemas/approvals.ts';

export interface ApprovalsListOptions extends DealsCommonOptions {
  readonly status: string;
  readonly deal?: string;
  readonly limit: string;
}

export interface ApprovalsDecideOptions extends DealsCommonOptions {
  readonly approver: string;
  readonly approve?: boolean;
  readonly reject?: boolean;
  readonly comment?: string;
  readonly by?: string;
}

export interface ApprovalsExceptionsOptions extends DealsCommonOptions {
  readonly from?: string;
  readonly to?: string;
}

const APPROVALS_HELP = `
Entering a stage with the request_approval action (proposal in the templates) reviews the deal's
terms against dealDesk.tiers: every tier the terms match (match: all) must approve; a tier with no
approvers approves by itself. Approvers are resolved for the deal's owner (manager → rep:<their
manager>); role:x approvers are answered as role:x. A request still pending after the approval SLA
escalates. docs/deals.md has the rules.

Examples:
  revops approvals list
  revops approvals decide acme-1:1 --approver role:vp_sales --approve --comment "Strategic logo"
  revops approvals exceptions --from 2026-10-01`;

/** Registers `approvals list|decide|exceptions` on the program. */
export function registerApprovals(
  cli: Command,
  io: CliIo,
  done: (code: number | Promise<number>) => void,
): void {
  const approvals = cli
    .command('approvals')
    .description('Deal-desk approvals: the requests waiting, voting on them, the exceptions report')
    .addHelpText('after', APPROVALS_HELP);

  commonOptions(
    approvals
      .command('list')
      .description('List approval requests (pending by default), newest first, with who they wait on')
      .addOption(
        new Option('--status <status>', 'which requests')
          .choices(['pending', 'approved', 'rejected', 'all'])
          .default('pending'),
      )
      .option('--deal <id>', 'only this deal’s requests')
      .option('--limit <n>', 'how many to show (0: all)', '50'),
    'judge "overdue" as of this time (default: now)',
  )
    .addHelpText(
      'after',
      `
--json prints { at, matching, shown, approvals: [...] } with each request as GET /v1/approvals lists it.

Examples:
  revops approvals list
  revops approvals list --status all --deal acme-1 --json`,
    )
    .action((options: ApprovalsListOptions) => done(approvalsListCommand(io, options)));

  commonOptions(
    approvals
      .command('decide')
      .description('Record an approver’s vote on a request: --approve or --reject (with --comment)')
      .argument('<id>', 'the request id, <dealId>:<n> (see `revops approvals list`)')
      .requiredOption(
        '--approver <who>',
        'who the vote is for, as the request names it: role:vp_sales, rep:dan',
      )
      .option('--approve', 'approve')
      .option('--reject', 'reject (needs --comment: the rep needs the reason)')
      .option('--comment <text>', 'why')
      .option('--by <who>', 'who actually answered (recorded as cli:<who>)'),
    'vote as of this time (default: now)',
  )
    .addHelpText(
      'after',
      `
The vote counts on every pending step that names the approver: an "all" step needs every approver
(multi-year: role:finance and role:legal), an "any" step one; a rejection rejects the request.

Examples:
  revops approvals decide acme-1:1 --approver role:vp_sales --approve
  revops approvals decide globex-1:1 --approver role:finance --approve --comment "Payment schedule OK"
  revops approvals decide initech-1:1 --approver rep:dan --reject --comment "Offer 10% with a 2-year term"`,
    )
    .action((id: string, options: ApprovalsDecideOptions) => done(approvalsDecideCommand(io, id, options)));

  commonOptions(
    approvals
      .command('exceptions')
      .description('The exceptions log: the most-requested non-standard terms, and which to make standard')
      .option('--from <date>', 'requests made on or after this date (YYYY-MM-DD, UTC) or ISO time')
      .option('--to <date>', 'requests made before this date (YYYY-MM-DD, UTC) or ISO time'),
  )
    .addHelpText(
      'after',
      `
Each request counts once per kind of exception it carries (ACV over the threshold, discount —
split into the 10-20%, 20-40% and 40%+ tiers —, payment terms, multi-year, custom terms). A row
asked for in at least ${MAKE_STANDARD_SHARE * 100}% of requests and approved at least ${MAKE_STANDARD_APPROVAL_RATE * 100}% of the time is
recommended "make standard": if everyone asks for it and gets it, it should be the standard terms.

Examples:
  revops approvals exceptions
  revops approvals exceptions --from 2026-10-01 --to 2027-01-01 --json`,
    )
    .action((options: ApprovalsExceptionsOptions) => done(approvalsExceptionsCommand(io, options)));
}

const newestFirst = (a: ApprovalRequest, b: ApprovalRequest): number =>
  b.requestedAt - a.requestedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function approvalsListCommand(io: CliIo, options: ApprovalsListOptions): Promise<number> {
  const limit = parseLimitOption(options.limit);
  const now = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  return withEngine(io, options, async (_engine, store) => {
    const matching = [
      ...(await store.listApprovals(
        Object.assign(
          {},
          options.status === 'all' ? {} : { status: options.status as ApprovalStatus },
          options.deal === undefined ? {} : { dealId: options.deal },
        ),
      )),
    ].sort(newestFirst);
    const shown = limit === 0 ? matching : matching.slice(0, limit);
    if (options.json === true) {
      const approvals = shown.map((a) => approvalJson(a, now));
      write(
        io.stdout,
        JSON.stringify({ at: iso(now), matching: matching.length, shown: shown.length, approvals }, null, 2),
      );
      return EXIT.ok;
    }
    const which = options.status === 'all' ? '' : `${options.status} `;
    const lines = [
      `${matching.length} ${which}approval request${matching.length === 1 ? '' : 's'} in ${store.description}`,
    ];
    if (shown.length > 0) {
      const table = new Table({
        head: ['Request', 'Deal', 'Status', 'Requested', 'Exceptions', 'Waiting on', 'Due'],
        style: PLAIN,
      });
      for (const a of shown)
        table.push([
          a.id,
          a.dealId,
          a.status,
          iso(a.requestedAt),
          a.exceptions.map((e) => e.detail).join('\n') || 'standard terms',
          a.status === 'pending' ? waitingOn(a).join('\n') : '—',
          a.status === 'pending' ? `${iso(a.dueAt)}${a.dueAt <= now ? ' (overdue)' : ''}` : '—',
        ]);
      lines.push(table.toString());
      if (shown.length < matching.length)
        lines.push(`… and ${matching.length - shown.length} more (--limit 0 lists all)`);
    }
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  });
}

export async function approvalsDecideCommand(
  io: CliIo,
  id: string,
  options: ApprovalsDecideOptions,
): Promise<number> {
  if (options.approve === true && options.reject === true)
    throw new RevopsError('cli.invalid_option', 'give --approve or --reject, not both');
  if (options.approve !== true && options.reject !== true)
    throw new RevopsError('cli.invalid_option', 'say how the approver votes: --approve or --reject', {
      hint: `for example: revops approvals decide ${id} --approver ${options.approver} --approve`,
    });
  const at = options.at === undefined ? undefined : parseAtOption(options.at);
  return withEngine(io, options, async (engine, store) => {
    const decided = await engine.decideApproval(
      Object.assign(
        {
          approvalId: id,
          approver: options.approver,
          decision: options.approve === true ? ('approve' as const) : ('reject' as const),
          by: options.by === undefined ? 'cli' : `cli:${options.by}`,
        },
        options.comment === undefined ? {} : { comment: options.comment },
        at === undefined ? {} : { at },
      ),
    );
    if (options.json === true) {
      write(io.stdout, JSON.stringify(approvalJson(decided, at ?? systemClock.now()), null, 2));
      return EXIT.ok;
    }
    const verb = options.approve === true ? 'approved' : 'rejected';
    const now =
      decided.status === 'pending'
        ? `the request is still pending: waiting on ${waitingOn(decided).join(', ')}`
        : `the request is now ${decided.status}`;
    write(
      io.stdout,
      [
        `${options.approver} ${verb} ${decided.id} (deal ${decided.dealId}): ${now}.`,
        `Written to ${store.description}.`,
      ].join('\n'),
    );
    return EXIT.ok;
  });
}

/** `--from`/`--to`: a date (midnight UTC) or an ISO time with a zone. */
function dayOrTime(flag: string, text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const at = Date.parse(`${text}T00:00:00Z`);
    if (!Number.isNaN(at)) return at;
  }
  if (/T/.test(text)) return parseAtOption(text);
  throw new RevopsError(
    'cli.invalid_option',
    `${flag} must be a date (2026-10-01) or an ISO time, not \`${text}\``,
    {
      hint: `for example ${flag} 2026-10-01`,
    },
  );
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export async function approvalsExceptionsCommand(
  io: CliIo,
  options: ApprovalsExceptionsOptions,
): Promise<number> {
  const from = options.from === undefined ? undefined : dayOrTime('--from', options.from);
  const to = options.to === undefined ? undefined : dayOrTime('--to', options.to);
  if (from !== undefined && to !== undefined && from >= to)
    throw new RevopsError('cli.invalid_option', '--from is not before --to', {
      hint: 'give a range with --from before --to (either may be left out)',
    });
  return withEngine(io, options, async (_engine, store) => {
    const report = exceptionsReport(
      await store.listApprovals(),
      Object.assign({}, from === undefined ? {} : { from }, to === undefined ? {} : { to }),
    );
    if (options.json === true) {
      const json = exceptionsReportView(report, from, to);
      write(io.stdout, JSON.stringify(json, null, 2));
      return EXIT.ok;
    }
    const range =
      from === undefined && to === undefined
        ? 'all time'
        : `${from === undefined ? 'the start' : iso(from)} to ${to === undefined ? 'now' : iso(to)}`;
    const lines = [
      `Exceptions in ${report.requests} approval request${report.requests === 1 ? '' : 's'} (${range})`,
    ];
    if (report.rows.length === 0) lines.push('no exceptions: every request was on standard terms');
    else {
      const table = new Table({
        head: [
          'Exception',
          'Requests',
          'Share',
          'Approved',
          'Rejected',
          'Pending',
          'Approval rate',
          'Recommendation',
        ],
        style: PLAIN,
      });
      for (const r of report.rows)
        table.push([
          r.bucket === undefined ? r.kind : `${r.kind} ${r.bucket}`,
          String(r.count),
          percent(r.share),
          String(r.approved),
          String(r.rejected),
          String(r.pending),
          r.approvalRate === null ? '—' : percent(r.approvalRate),
          r.recommendation === 'make_standard' ? 'make it standard' : '—',
        ]);
      lines.push(table.toString());
      lines.push(
        `"make it standard": asked for in ${percent(MAKE_STANDARD_SHARE)}+ of requests and approved ${percent(MAKE_STANDARD_APPROVAL_RATE)}+ of the time.`,
      );
    }
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  });
}

/**
 * `revops score explain EMAIL`: the itemised score of one contact — every rule that gave or took
 * points, decay applied, the MQL verdict and why — from a database, or from an event history replayed
 * to an instant.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Store } from '../../core/ports.ts';
import { scoreContactAt } from '../../core/scoring/contactScore.ts';
import type { ScoreResult } from '../../core/scoring/score.ts';
import { normalizeEmail } from '../../core/identity/domains.ts';
import { SimulatedClock, systemClock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { replay } from '../../engine/replay.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { readHistory } from '../eventFile.ts';
import { loadConfigOrReport } from './configArg.ts';
import { parseAtOption } from '../timeOption.ts';

export interface ScoreExplainOptions {
  readonly config: string;
  readonly db?: string;
  readonly events?: string;
  readonly at?: string;
  readonly json?: boolean;
}

export async function scoreExplainCommand(
  io: CliIo,
  who: string,
  options: ScoreExplainOptions,
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const email = normalizeEmail(who);
  if (email === undefined) {
    throw new RevopsError('cli.invalid_option', `\`${who}\` is not an email address`, {
      hint: 'pass the contact’s email, e.g. ava@acme.com',
    });
  }
  const at = options.at === undefined ? undefined : parseAtOption(options.at);
  const fromEvents = options.events !== undefined;
  const store = await openMigratedStore(fromEvents ? ':memory:' : databaseTarget(options.db, io.cwd));
  try {
    let engine: Engine;
    let when: number;
    if (options.events !== undefined) {
      const lines = await readHistory(options.events, { cwd: io.cwd, stdin: io.stdin });
      const clock = new SimulatedClock(0);
      const built = runtime(store, config, clock);
      engine = built.engine;
      const report = await replay(lines, {
        engine,
        clock,
        catalog: built.setup.catalog,
        ...(at === undefined ? {} : { at }),
      });
      when = Date.parse(report.at);
    } else {
      engine = runtime(store, config, systemClock).engine;
      when = at ?? systemClock.now();
    }
    const result = await explain(engine, store, email, when);
    if (result === undefined) {
      throw new RevopsError('cli.invalid_option', `no contact with the email ${email}`, {
        hint: fromEvents
          ? 'check the address against the events file'
          : `check the address, or the database (${store.description})`,
      });
    }
    if (options.json)
      write(io.stdout, JSON.stringify({ email, at: new Date(when).toISOString(), ...result }, null, 2));
    else write(io.stdout, readable(email, when, result));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

async function explain(
  engine: Engine,
  store: Store,
  email: string,
  at: number,
): Promise<ScoreResult | undefined> {
  const scoring = engine.model.scoring;
  if (scoring === undefined) return undefined;
  return store.transaction(async (tx) => {
    const [contact] = await tx.findContacts({ emails: [email], externalIds: [] });
    if (contact === undefined) return undefined;
    const [account] =
      contact.accountDomain === undefined ? [] : await tx.findAccounts([contact.accountDomain]);
    return scoreContactAt(contact, account, scoring, engine.model.isFreeMail, at);
  });
}

function readable(email: string, at: number, r: ScoreResult): string {
  const table = new Table({
    head: ['dimension', 'rule', 'points', 'decay', 'why'],
    style: PLAIN,
    wordWrap: true,
    colWidths: [12, 28, 8, 7, 60],
  });
  for (const entry of r.ledger) {
    table.push([
      entry.dimension,
      `${entry.label}\n(${entry.ruleId})`,
      String(entry.points),
      entry.decayApplied ? `−${entry.decayApplied}` : '',
      entry.reason,
    ]);
  }
  return [
    `${email} as of ${new Date(at).toISOString()}`,
    `fit ${r.fit} (${r.fitPercent.toFixed(1)}%, grade ${r.grades.fit}) · engagement ${r.engagement} (${r.engagementPercent.toFixed(1)}%, grade ${r.grades.engagement}) · negative ${r.negative} · total ${r.total}`,
    `${r.mql ? 'MQL' : 'not an MQL'}: ${r.mqlReason}${r.excluded ? ` (excluded: ${r.excluded})` : ''}`,
    r.nextDecayAt === undefined
      ? 'nothing will decay further'
      : `next change: ${new Date(r.nextDecayAt).toISOString()}`,
    table.toString(),
  ].join('\n');
}

/**
 * `revops init`: reads a product-marketing context document when there is one, asks the context
 * questions the flags and the document leave open, adapts a template and says what it chose and why.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { RevopsError } from '../../core/errors.ts';
import {
  INIT_QUESTIONS,
  parseAnswer,
  type InitAnswers,
  type InitQuestionId,
} from '../../config/init/answers.ts';
import { planInit, type InitPlan } from '../../config/init/plan.ts';
import { readProductMarketingDoc, type ProductMarketingFacts } from '../../config/init/productMarketing.ts';
import { safeLoadConfigText } from '../../config/loader.ts';
import { formatIssues } from '../../config/formatIssues.ts';
import { EXIT, write, type CliIo } from '../io.ts';

export interface InitOptions {
  readonly gtm?: unknown;
  readonly acv?: unknown;
  readonly cycleDays?: unknown;
  readonly crm?: unknown;
  readonly name?: unknown;
  readonly currentState?: unknown;
  readonly goals?: unknown;
  readonly template?: unknown;
  readonly out?: unknown;
  readonly yes?: unknown;
  readonly force?: unknown;
}

const FLAG_FOR: Partial<Record<InitQuestionId, string>> = {
  gtm: '--gtm',
  acv: '--acv',
  cycleDays: '--cycle-days',
  crm: '--crm',
  companyName: '--name',
  currentState: '--current-state',
  goals: '--goals',
  template: '--template',
};

/** Reads the flags through the same parsers as the interactive answers. */
function answersFromFlags(options: InitOptions): { answers: InitAnswers; flags: InitQuestionId[] } {
  const raw: Partial<Record<InitQuestionId, unknown>> = {
    gtm: options.gtm,
    acv: options.acv,
    cycleDays: options.cycleDays,
    crm: options.crm,
    companyName: options.name,
    currentState: options.currentState,
    goals: options.goals,
    template: options.template,
  };
  const answers: Record<string, unknown> = {};
  const flags: InitQuestionId[] = [];
  for (const [id, value] of Object.entries(raw) as [InitQuestionId, unknown][]) {
    if (value === undefined) continue;
    const parsed = parseAnswer(id, String(value as string));
    if (!parsed.ok) {
      throw new RevopsError('cli.invalid_option', `${FLAG_FOR[id] ?? id}: ${parsed.message}`, {
        hint: 'see `revops init --help` for the accepted forms',
      });
    }
    if (parsed.value !== undefined) {
      answers[id] = parsed.value;
      flags.push(id);
    }
  }
  return { answers: answers, flags };
}

/** Asks the open questions on stdin; stops asking (keeping defaults) when input ends. */
async function ask(
  io: CliIo,
  questions: readonly InitQuestionId[],
  answers: InitAnswers,
): Promise<InitAnswers> {
  if (questions.length === 0) return answers;
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const result: Record<string, unknown> = { ...answers };
  try {
    for (const id of questions) {
      const question = INIT_QUESTIONS.find((q) => q.id === id);
      if (!question) continue;
      for (let attempt = 0; attempt < 3; attempt++) {
        write(io.stdout, `\n? ${question.prompt}\n  ${question.help}`);
        io.stdout.write('> ');
        const next = await lines.next();
        if (next.done) {
          write(io.stdout, '\n(no more input: defaults are used for the rest)');
          return result;
        }
        const parsed = parseAnswer(id, next.value);
        if (parsed.ok) {
          if (parsed.value !== undefined) result[id] = parsed.value;
          break;
        }
        write(io.stdout, `  ✗ ${parsed.message}`);
      }
    }
  } finally {
    rl.close();
  }
  return result;
}

export async function initCommand(io: CliIo, options: InitOptions): Promise<number> {
  const out = typeof options.out === 'string' && options.out !== '' ? options.out : 'revops.yaml';
  const path = resolve(io.cwd, out);
  if (existsSync(path) && options.force !== true) {
    throw new RevopsError('cli.file_exists', `${out} already exists`, {
      hint: 'pass --force to overwrite it, or --out to write somewhere else',
    });
  }
  const { answers: flagAnswers, flags } = answersFromFlags(options);

  let facts: ProductMarketingFacts | undefined;
  const doc = readProductMarketingDoc(io.cwd);
  if (doc) {
    facts = doc.facts;
    write(
      io.stdout,
      `Read the product-marketing context in ${relative(io.cwd, doc.path)}; asking only for the rest.`,
    );
  }

  const firstPlan = planInit({ answers: flagAnswers, flags, ...(facts ? { facts } : {}) });
  const answers = options.yes === true ? flagAnswers : await ask(io, firstPlan.missing, flagAnswers);
  const plan: InitPlan =
    answers === flagAnswers ? firstPlan : planInit({ answers, flags, ...(facts ? { facts } : {}) });

  const check = safeLoadConfigText(plan.yaml, out);
  if (!check.ok) {
    // The plan is built from a valid template with checked values: failing here is a bug.
    throw new Error(`init produced an invalid config:\n${formatIssues(check.issues)}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, plan.yaml);

  write(io.stdout, `\nWrote ${out} from the ${plan.template} template. What was chosen, and why:`);
  const width = Math.min(38, Math.max(...plan.choices.map((c) => c.what.length)));
  for (const choice of plan.choices) {
    write(io.stdout, `  ${choice.what.padEnd(width)}  ${choice.value}  — ${choice.why} [${choice.source}]`);
  }
  const fromDoc = plan.choices.filter((c) => c.source === 'product-marketing').length;
  if (fromDoc > 0) write(io.stdout, `${fromDoc} value(s) came from the product-marketing document.`);
  if (plan.missing.length > 0 && options.yes === true) {
    write(
      io.stdout,
      `Not answered (template defaults kept): ${plan.missing.map((m) => FLAG_FOR[m] ?? m).join(', ')}. Re-run without --yes to be asked.`,
    );
  }
  write(io.stdout, `Next: \`revops validate ${out}\`, then \`revops docs --config ${out}\`.`);
  return EXIT.ok;
}

/**
 * The context `revops init` needs before it writes a config: the six questions of the RevOps
 * playbook (motion, contract value, cycle, CRM, how leads are handled today, goals) plus the
 * company name and an optional template override. Each question knows how to read a typed
 * answer and says exactly what it expected when it cannot. Pure: no prompting, no IO.
 */
import { CRMS, GTM_MOTIONS } from '../schema/company.ts';
import { didYouMean, listOf } from '../didYouMean.ts';
import { TEMPLATE_NAMES, type TemplateName } from '../templates/index.ts';

export type GtmMotion = (typeof GTM_MOTIONS)[number];
export type Crm = (typeof CRMS)[number];

/** What init knows about the business; anything absent is chosen from the document or a default. */
export interface InitAnswers {
  gtm?: GtmMotion;
  acv?: number;
  cycleDays?: number;
  crm?: Crm;
  currentState?: string;
  goals?: string[];
  template?: TemplateName;
  companyName?: string;
}

export type InitQuestionId = keyof InitAnswers;
export type AnswerValue<Q extends InitQuestionId> = NonNullable<InitAnswers[Q]>;

/** `value: undefined` means the answer was left empty: the question is skipped, not failed. */
export type ParseResult<T> =
  { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly message: string };

export interface InitQuestion<Q extends InitQuestionId = InitQuestionId> {
  readonly id: Q;
  /** The line shown to the user. */
  readonly prompt: string;
  /** Shown under the prompt: what the answer changes and which forms are accepted. */
  readonly help: string;
  /** Closed answers, for a select prompt. */
  readonly choices?: readonly string[];
  /** One of the six context questions of the reference (the others are asked only when useful). */
  readonly context: boolean;
  readonly parse: (text: string) => ParseResult<AnswerValue<Q>>;
}

const MAX_ACV = 100_000_000;
const MAX_CYCLE_DAYS = 3 * 365;

const ok = <T>(value: T | undefined): ParseResult<T> => ({ ok: true, value });
const fail = <T>(message: string): ParseResult<T> => ({ ok: false, message });

/** Lower-cased, inner whitespace and `_` folded to one `-`. */
function fold(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

function choice<T extends string>(
  text: string,
  values: readonly T[],
  aliases: Readonly<Record<string, T>>,
  what: string,
): ParseResult<T> {
  const key = fold(text);
  if (key === '') return ok<T>(undefined);
  const direct = values.find((v) => v === key) ?? aliases[key];
  if (direct !== undefined) return ok(direct);
  return fail(
    `\`${text.trim()}\` is not a ${what}${didYouMean(key, [...values, ...Object.keys(aliases)])}: answer ${listOf(values)}`,
  );
}

const AMOUNT = /^\$?\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?$/;

function amount(text: string): number | undefined {
  const m = AMOUNT.exec(text.trim().toLowerCase());
  if (!m?.[1]) return undefined;
  const digits = m[1];
  if (digits.includes(',') && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(digits)) return undefined;
  const factor = m[2] === 'k' ? 1_000 : m[2] === 'm' ? 1_000_000 : 1;
  return Math.round(Number(digits.replace(/,/g, '')) * factor);
}

const PER_MONTH = /\s*(?:\/|per|a)\s*(?:mo|mon|month)\.?$|\s*monthly$/;
const PER_YEAR = /\s*(?:\/|per|a|an)\s*(?:yr|year|annum)\.?$|\s*(?:annually|yearly|annual|arr|acv)$/;

/** `$12,000`, `12k`, `12000`, `1.2M`, `$1,000/month` (× 12) or a range `10k-20k` (its midpoint). */
export function parseAcv(text: string): ParseResult<number> {
  let rest = text
    .trim()
    .toLowerCase()
    .replace(/^(?:about|around|roughly|approx\.?|~)\s*/, '');
  if (rest === '') return ok<number>(undefined);
  let months = 1;
  if (PER_MONTH.test(rest)) {
    months = 12;
    rest = rest.replace(PER_MONTH, '');
  } else rest = rest.replace(PER_YEAR, '');
  rest = rest.replace(/\s*(?:usd|dollars?)$/, '').trim();
  const parts = rest.split(/\s*(?:-|–|—|\bto\b)\s*/).filter((p) => p !== '');
  let value: number | undefined;
  if (parts.length === 1 && parts[0] !== undefined) value = amount(parts[0]);
  else if (parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined) {
    const suffix = /[km]$/.exec(parts[1])?.[0] ?? '';
    const low = amount(/[km]$/.test(parts[0]) ? parts[0] : parts[0] + suffix);
    const high = amount(parts[1]);
    if (low !== undefined && high !== undefined && low <= high) value = Math.round((low + high) / 2);
  }
  if (value === undefined)
    return fail(
      `\`${text.trim()}\` is not an amount: write the average contract value per year like \`12000\`, \`12k\` or \`$12,000\``,
    );
  value *= months;
  if (value <= 0) return fail('the average contract value must be more than 0');
  if (value > MAX_ACV)
    return fail(
      `${value} looks too large for an average contract value per year: write it in whole currency units, like \`250k\``,
    );
  return ok(value);
}

const CYCLE = /^(\d+(?:\.\d+)?)\s*(d|days?|w|wks?|weeks?|mo|mos|months?)?$/;

/** `45`, `45 days`, `6 weeks` (42), `3 months` (90). */
export function parseCycleDays(text: string): ParseResult<number> {
  const rest = text
    .trim()
    .toLowerCase()
    .replace(/^(?:about|around|roughly|~)\s*/, '');
  if (rest === '') return ok<number>(undefined);
  const m = CYCLE.exec(rest);
  if (!m?.[1])
    return fail(
      `\`${text.trim()}\` is not a number of days: write the days from first touch to closed-won, like \`45\` or \`45 days\``,
    );
  const unit = m[2] ?? 'd';
  const factor = unit.startsWith('w') ? 7 : unit.startsWith('m') ? 30 : 1;
  const days = Math.round(Number(m[1]) * factor);
  if (days < 1) return fail('the sales cycle must be at least 1 day');
  if (days > MAX_CYCLE_DAYS)
    return fail(`${days} days is more than three years: write the typical cycle of one deal, in days`);
  return ok(days);
}

const GTM_ALIASES: Readonly<Record<string, GtmMotion>> = {
  'product-led': 'plg',
  'product-led-growth': 'plg',
  'self-serve': 'plg',
  sales: 'sales-led',
  saleslead: 'sales-led',
  salesled: 'sales-led',
  slg: 'sales-led',
  enterprise: 'sales-led',
  both: 'hybrid',
  mixed: 'hybrid',
};

const CRM_ALIASES: Readonly<Record<string, Crm>> = {
  'hub-spot': 'hubspot',
  sfdc: 'salesforce',
  'sales-force': 'salesforce',
  no: 'none',
  'no-crm': 'none',
  nothing: 'none',
  spreadsheet: 'none',
  spreadsheets: 'none',
  'n/a': 'none',
};

/** A CRM name, or a stack list that contains exactly one of the CRMs init knows. */
export function parseCrm(text: string): ParseResult<Crm> {
  const whole = choice(text, CRMS, CRM_ALIASES, 'CRM');
  if (whole.ok) return whole;
  const tools = text.split(/\s*(?:,|;|\+|\/|\band\b)\s*/i).filter((t) => t.trim() !== '');
  const found = new Set<Crm>();
  for (const tool of tools) {
    const key = fold(tool);
    const crm = CRMS.find((c) => c === key) ?? CRM_ALIASES[key];
    if (crm !== undefined && crm !== 'none') found.add(crm);
  }
  const [only, ...others] = [...found];
  if (only !== undefined && others.length === 0) return ok(only);
  if (found.size > 1)
    return fail('both HubSpot and Salesforce were named: answer the one that is the system of record');
  const guess = tools.map((t) => didYouMean(fold(t), ['hubspot', 'salesforce'])).find((s) => s !== '') ?? '';
  return fail(
    `\`${text.trim()}\` names no CRM init knows${guess}: answer \`hubspot\` or \`salesforce\`, or \`none\` for any other CRM (the engine then keeps the records)`,
  );
}

const TEMPLATE_ALIASES: Readonly<Record<string, TemplateName>> = {
  'product-led': 'plg',
  salesled: 'sales-led',
  enterprise: 'sales-led',
  midmarket: 'mid-market',
  mid: 'mid-market',
  hybrid: 'mid-market',
};

/** Comma, semicolon or new-line separated; blanks and repeats dropped, order kept. */
export function parseList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const item = raw
      .trim()
      .replace(/^[-*•]\s*/, '')
      .replace(/[.?!]+$/, '')
      .trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    out.push(item);
  }
  return out;
}

function freeText(text: string, max: number, what: string): ParseResult<string> {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '') return ok<string>(undefined);
  if (value.length > max) return fail(`${what} is ${value.length} characters: keep it under ${max}`);
  return ok(value);
}

/** The questions in the order init asks them. */
export const INIT_QUESTIONS = [
  {
    id: 'companyName',
    prompt: 'What is the company called?',
    help: 'Used in the generated documents and in messages to reps.',
    context: false,
    parse: (text: string) => freeText(text, 100, 'the name'),
  },
  {
    id: 'gtm',
    prompt: 'How do customers buy: product-led (plg), sales-led, or a hybrid of both?',
    help: 'Picks the template and how much the score leans on fit versus engagement. Answer plg, sales-led or hybrid.',
    choices: GTM_MOTIONS,
    context: true,
    parse: (text: string) => choice(text, GTM_MOTIONS, GTM_ALIASES, 'go-to-market motion'),
  },
  {
    id: 'acv',
    prompt: 'What is the average contract value per year?',
    help: 'Sets the deal-desk threshold and the score weights. Accepts 12000, 12k, $12,000, $1,000/month or a range like 10k-20k.',
    context: true,
    parse: parseAcv,
  },
  {
    id: 'cycleDays',
    prompt: 'How many days does a typical deal take from first touch to closed-won?',
    help: 'Used for stale-deal alerts and pipeline velocity. Accepts 45, 45 days, 6 weeks or 3 months.',
    context: true,
    parse: parseCycleDays,
  },
  {
    id: 'crm',
    prompt: 'Which CRM is your system of record: HubSpot, Salesforce, or none?',
    help: 'The documents add setup steps for that CRM. You may list your stack (HubSpot, Calendly, Clearbit); the CRM in it is taken.',
    choices: CRMS,
    context: true,
    parse: parseCrm,
  },
  {
    id: 'currentState',
    prompt: 'How are leads handled today, and what is not working?',
    help: 'Free text, kept in company.currentState so the documents can refer to it. Leave empty to skip.',
    context: true,
    parse: (text: string) => freeText(text, 2000, 'the description'),
  },
  {
    id: 'goals',
    prompt: 'What should the funnel improve? (comma-separated)',
    help: 'For example: raise MQL-to-SQL conversion, cut speed-to-lead, fix handoff leaks, build from scratch.',
    context: true,
    parse: (text: string): ParseResult<string[]> => {
      const goals = parseList(text);
      return ok(goals.length === 0 ? undefined : goals);
    },
  },
  {
    id: 'template',
    prompt: 'Start from which template: plg, sales-led or mid-market? (empty: choose for me)',
    help: 'Normally chosen from the motion and contract value; answer only to override that choice.',
    choices: TEMPLATE_NAMES,
    context: false,
    parse: (text: string) => choice(text, TEMPLATE_NAMES, TEMPLATE_ALIASES, 'template'),
  },
] as const satisfies readonly InitQuestion[];

/** Reads one answer; an empty answer is a skip (`value: undefined`), never an error. */
export function parseAnswer<Q extends InitQuestionId>(
  questionId: Q,
  text: string,
): ParseResult<AnswerValue<Q>> {
  const question = INIT_QUESTIONS.find((q) => q.id === questionId);
  if (question === undefined) return fail(`unknown question \`${String(questionId)}\``);
  return question.parse(text) as ParseResult<AnswerValue<Q>>;
}

/** The context questions (of the six) that the answers leave open, in asking order. */
export function unansweredQuestions(answers: InitAnswers): InitQuestionId[] {
  return INIT_QUESTIONS.filter((q) => q.context && answers[q.id] === undefined).map((q) => q.id);
}

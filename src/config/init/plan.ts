/**
 * `revops init` as a pure function: answers (flags or prompts) and the product-marketing facts go
 * in; the chosen template, the adapted revops.yaml text, every choice with its reason and source,
 * and the questions still open come out. The template is edited through the YAML document model
 * so its comments survive. Precedence: flag or answer, then the document, then the template.
 */
import { parseDocument, type Document } from 'yaml';
import { INIT_QUESTIONS, type GtmMotion, type InitAnswers, type InitQuestionId } from './answers.ts';
import type { Fact, ProductMarketingFacts } from './productMarketing.ts';
import { dealDeskThresholdFor, dollars, templateFor, weightsFor } from './rules.ts';
import { applyAudience } from './planAudience.ts';
import { commentAbove, setInlineComment, setValue, stringList, stringifyHouseStyle } from './yamlEdit.ts';
import { readTemplate, type TemplateName } from '../templates/index.ts';

export type ChoiceSource = 'flag' | 'answer' | 'product-marketing' | 'default';

export interface InitChoice {
  /** The config path set, or `template`. */
  readonly what: string;
  readonly value: string;
  readonly why: string;
  readonly source: ChoiceSource;
}

export interface InitPlan {
  readonly template: TemplateName;
  readonly yaml: string;
  readonly choices: readonly InitChoice[];
  /** Context questions neither the answers nor the document answered, in asking order. */
  readonly missing: readonly InitQuestionId[];
}

export interface PlanInput {
  readonly answers: InitAnswers;
  readonly facts?: ProductMarketingFacts;
  /** The template text by name; defaults to the bundled templates. */
  readonly templateText?: (name: TemplateName) => string;
  /** Which answers came from command-line flags (the rest were answered at the prompt). */
  readonly flags?: readonly InitQuestionId[];
}

/** The name written when neither an answer nor the document gives one. */
export const DEFAULT_COMPANY_NAME = 'Your company';

interface Picked<T> {
  readonly value: T;
  readonly source: ChoiceSource;
  /** For product-marketing values: the document field. */
  readonly field?: string;
}

export function planInit(input: PlanInput): InitPlan {
  const { answers, facts } = input;
  const choices: InitChoice[] = [];
  const choose = (what: string, value: string, why: string, source: ChoiceSource) =>
    choices.push({ what, value, why, source });
  const answered = <K extends InitQuestionId>(key: K): Picked<NonNullable<InitAnswers[K]>> | undefined => {
    const value = answers[key];
    if (value === undefined) return undefined;
    return { value, source: input.flags?.includes(key) ? 'flag' : 'answer' };
  };
  const fromDoc = <T>(fact: Fact<T> | undefined): Picked<T> | undefined =>
    fact === undefined ? undefined : { value: fact.value, source: 'product-marketing', field: fact.field };
  const because = (p: Picked<unknown>, what: string): string =>
    p.source === 'product-marketing'
      ? `${what} from the product-marketing document (${p.field ?? 'unknown field'})`
      : `${what} as ${p.source === 'flag' ? 'given on the command line' : 'answered'}`;

  const name = picked(answered('companyName'), fromDoc(facts?.name), (v) => v.trim() !== '');
  const gtm = picked(answered('gtm'), fromDoc(facts?.gtm));
  const acv = picked(answered('acv'), fromDoc(facts?.acv), (v) => Number.isFinite(v) && v >= 0);
  const cycle = picked(
    answered('cycleDays'),
    fromDoc(facts?.salesCycleDays),
    (v) => Number.isFinite(v) && v > 0,
  );
  const crm = answered('crm');
  const goals = cleanGoals(answers.goals);

  // ---- template
  const explicit = answered('template');
  let template: TemplateName;
  if (explicit !== undefined) {
    template = explicit.value;
    choose('template', template, `the ${template} template was asked for explicitly`, explicit.source);
  } else {
    const decision = templateFor(gtm?.value, acv?.value);
    template = decision.value;
    const inputs = [gtm, acv].filter((p) => p !== undefined);
    const source = inputs.some((p) => p.source === 'flag')
      ? 'flag'
      : inputs.some((p) => p.source === 'answer')
        ? 'answer'
        : inputs.length > 0
          ? 'product-marketing'
          : 'default';
    choose('template', template, decision.why, source);
  }
  const doc = parseDocument((input.templateText ?? readTemplate)(template));
  const current = <T>(path: readonly (string | number)[], fallback: T): T =>
    (doc.getIn(path) as T | undefined) ?? fallback;
  const templateGtm = current<GtmMotion>(['company', 'gtm'], 'hybrid');
  const templateAcv = Number(current<unknown>(['company', 'acv'], 0));
  const templateCycle = Number(current<unknown>(['company', 'salesCycleDays'], 30));

  // ---- company
  if (name) {
    setValue(doc, ['company', 'name'], name.value.trim());
    choose('company.name', name.value.trim(), because(name, 'the company name'), name.source);
  } else {
    setValue(doc, ['company', 'name'], DEFAULT_COMPANY_NAME);
    choose(
      'company.name',
      DEFAULT_COMPANY_NAME,
      'no name given: a stand-in name replaces the example company of the template',
      'default',
    );
  }

  const motion = gtm?.value ?? templateGtm;
  setValue(doc, ['company', 'gtm'], motion);
  choose(
    'company.gtm',
    motion,
    gtm ? because(gtm, 'the motion') : `no motion given: kept the ${template} template's`,
    gtm?.source ?? 'default',
  );

  if (acv) {
    setValue(doc, ['company', 'acv'], acv.value);
    commentAbove(doc, ['company'], 'acv', `Average contract value per year, ${because(acv, 'set by init')}.`);
    choose('company.acv', dollars(acv.value), because(acv, 'the average contract value'), acv.source);
  } else
    choose(
      'company.acv',
      dollars(templateAcv),
      `no ACV given: kept the ${template} template's example value`,
      'default',
    );

  const cycleDays = cycle ? Math.max(1, Math.round(cycle.value)) : undefined;
  if (cycle && cycleDays !== undefined) {
    setValue(doc, ['company', 'salesCycleDays'], cycleDays);
    choose('company.salesCycleDays', String(cycleDays), because(cycle, `${cycleDays} days`), cycle.source);
  } else
    choose(
      'company.salesCycleDays',
      String(templateCycle),
      `no sales cycle given: kept the ${template} template's`,
      'default',
    );

  if (crm) {
    setValue(doc, ['company', 'crm'], crm.value);
    if (crm.value !== 'none')
      setInlineComment(doc, ['company', 'crm'], '`revops docs` adds the setup steps for this CRM');
    choose('company.crm', crm.value, because(crm, 'the CRM of record'), crm.source);
  } else
    choose(
      'company.crm',
      current(['company', 'crm'], 'none'),
      'no CRM given: the engine keeps the records until one is set',
      'default',
    );

  const state = answered('currentState');
  const metrics = fromDoc(facts?.currentMetrics);
  if (state && state.value.trim() !== '') {
    setValue(doc, ['company', 'currentState'], state.value.trim());
    choose(
      'company.currentState',
      state.value.trim(),
      because(state, 'how leads are handled today'),
      state.source,
    );
  } else if (metrics) {
    const text = `Current metrics: ${metrics.value}`;
    setValue(doc, ['company', 'currentState'], text);
    choose('company.currentState', text, because(metrics, 'the current figures'), 'product-marketing');
  } else if (doc.hasIn(['company', 'currentState'])) {
    doc.deleteIn(['company', 'currentState']);
    choose(
      'company.currentState',
      '(removed)',
      "not given: the template's description belonged to its example company",
      'default',
    );
  }

  const docGoals = facts?.businessGoal ? splitGoals(facts.businessGoal.value) : [];
  const templateMetricGoals = stringList(doc.getIn(['metrics', 'goals'], true)) ?? [];
  let companyGoals: string[] | undefined;
  if (goals.length > 0) {
    const source = answered('goals')?.source ?? 'answer';
    companyGoals = goals;
    setValue(doc, ['company', 'goals'], goals);
    choose('company.goals', goals.join('; '), 'the goals as answered', source);
  } else if (docGoals.length > 0 && facts?.businessGoal) {
    companyGoals = docGoals;
    setValue(doc, ['company', 'goals'], docGoals);
    choose(
      'company.goals',
      docGoals.join('; '),
      `the business goal from the product-marketing document (${facts.businessGoal.field})`,
      'product-marketing',
    );
  } else
    choose(
      'company.goals',
      (stringList(doc.getIn(['company', 'goals'], true)) ?? []).join('; '),
      `no goals given: kept the ${template} template's`,
      'default',
    );
  const conversion = facts?.conversionAction
    ? `Conversion action: ${facts.conversionAction.value}`
    : undefined;
  if (companyGoals !== undefined || conversion !== undefined) {
    const list = dedupe([
      ...(companyGoals ?? []),
      ...(conversion ? [conversion] : []),
      ...templateMetricGoals,
    ]);
    setValue(doc, ['metrics', 'goals'], list);
    const source: ChoiceSource =
      goals.length > 0 ? (answered('goals')?.source ?? 'answer') : 'product-marketing';
    choose(
      'metrics.goals',
      list.join('; '),
      "your goals first (and the document's conversion action), then the template's benchmark goals",
      source,
    );
  }

  // ---- scoring weights, deal desk, unit economics, stale opportunities
  const weights = weightsFor(gtm?.value, acv?.value);
  if (weights && doc.getIn(['scoring', 'model']) !== 'additive') {
    const before = `${String(doc.getIn(['scoring', 'weights', 'fit']))}/${String(doc.getIn(['scoring', 'weights', 'engagement']))}`;
    setValue(doc, ['scoring', 'weights', 'fit'], `${weights.value.fit}%`);
    setValue(doc, ['scoring', 'weights', 'engagement'], `${weights.value.engagement}%`);
    const text = `${weights.value.fit}% fit / ${weights.value.engagement}% engagement`;
    if (before !== `${weights.value.fit}%/${weights.value.engagement}%`)
      commentAbove(
        doc,
        ['scoring'],
        'weights',
        `init: ${weights.why}. The template had ${before}; its notes below assume those.`,
      );
    const source = (acv ?? gtm)?.source ?? 'default';
    choose(
      'scoring.weights',
      text,
      `${weights.why}; the MQL threshold of the template (${String(doc.getIn(['scoring', 'threshold']))}) is kept`,
      source,
    );
  }

  if (acv && doc.hasIn(['dealDesk', 'threshold'])) {
    const threshold = dealDeskThresholdFor(acv.value);
    setValue(doc, ['dealDesk', 'threshold'], threshold.value);
    commentAbove(
      doc,
      ['dealDesk'],
      'threshold',
      `init: deals above twice the average contract go to review, never less than the reference's $25K, rounded to two significant figures: ${dollars(threshold.value)}.`,
      true,
    );
    choose('dealDesk.threshold', dollars(threshold.value), threshold.why, acv.source);
  }

  if (acv && doc.hasIn(['metrics', 'economics', 'arpa'])) {
    const arpa = Math.round(acv.value / 12);
    setValue(doc, ['metrics', 'economics', 'arpa'], arpa);
    setInlineComment(doc, ['metrics', 'economics', 'arpa'], `${dollars(acv.value)} ACV / 12 months`);
    choose(
      'metrics.economics.arpa',
      dollars(arpa),
      `average revenue per account per month: the ACV divided by 12`,
      acv.source,
    );
  }

  if (cycle && cycleDays !== undefined)
    staleOpportunities(doc, templateCycle, cycleDays, (what, value, why) =>
      choose(what, value, why, cycle.source),
    );

  // ---- audience and competitors from the document
  if (facts) applyAudience(doc, facts, choose);

  const missing = INIT_QUESTIONS.filter((q) => {
    switch (q.id) {
      case 'companyName':
        return name === undefined;
      case 'gtm':
        return gtm === undefined;
      case 'acv':
        return acv === undefined;
      case 'cycleDays':
        return cycle === undefined;
      case 'crm':
        return crm === undefined;
      case 'currentState':
        return (state === undefined || state.value.trim() === '') && metrics === undefined;
      case 'goals':
        return goals.length === 0 && docGoals.length === 0;
      case 'template':
        return false;
    }
  }).map((q) => q.id);

  return { template, yaml: header(template, choices) + stringifyHouseStyle(doc), choices, missing };
}

function picked<T>(
  answer: Picked<T> | undefined,
  fact: Picked<T> | undefined,
  valid: (v: T) => boolean = () => true,
): Picked<T> | undefined {
  if (answer !== undefined && valid(answer.value)) return answer;
  if (fact !== undefined && valid(fact.value)) return fact;
  return undefined;
}

function dedupe(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cleanGoals(goals: readonly string[] | undefined): string[] {
  return dedupe((goals ?? []).map((g) => g.trim().replace(/\s+/g, ' ')).filter((g) => g !== ''));
}

/** `Reach $10M ARR; double X` → `Reach $10M ARR`, `Double X`. */
function splitGoals(text: string): string[] {
  return cleanGoals(text.split(/\s*;\s*/).map((g) => g.charAt(0).toUpperCase() + g.slice(1)));
}

/** Opportunities open for twice the sales cycle are flagged: the automations say `daysInStage > 2 × cycle`. */
function staleOpportunities(
  doc: Document,
  templateCycle: number,
  cycleDays: number,
  choose: (what: string, value: string, why: string) => void,
): void {
  const automations = doc.get('automations', true);
  const items = (automations as { items?: unknown[] } | undefined)?.items ?? [];
  const old = 2 * templateCycle;
  const next = 2 * cycleDays;
  items.forEach((item, i) => {
    const when = doc.getIn(['automations', i, 'when']);
    if (typeof when !== 'string' || !new RegExp(`lead\\.daysInStage > ${old}\\b`).test(when)) return;
    setValue(
      doc,
      ['automations', i, 'when'],
      when.replace(new RegExp(`(lead\\.daysInStage > )${old}\\b`), `$1${next}`),
    );
    const actions =
      (doc.getIn(['automations', i, 'actions'], true) as { items?: unknown[] } | undefined)?.items ?? [];
    actions.forEach((_a, j) => {
      const message = doc.getIn(['automations', i, 'actions', j, 'message']);
      if (typeof message === 'string')
        setValue(
          doc,
          ['automations', i, 'actions', j, 'message'],
          message.replace(`more than ${old} days`, `more than ${next} days`),
        );
    });
    const node = doc.getIn(['automations', i], true) as { commentBefore?: string | null } | undefined;
    if (node?.commentBefore)
      node.commentBefore = node.commentBefore.replace(`2 x ${templateCycle} days`, `2 x ${cycleDays} days`);
    choose(
      `automations[${i}].when`,
      `lead.daysInStage > ${next}`,
      `an opportunity open for twice the ${cycleDays}-day sales cycle is flagged`,
    );
  });
}

function header(template: TemplateName, choices: readonly InitChoice[]): string {
  const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');
  const lines = [
    `# Written by \`revops init\` from the ${template} template. What init chose, and from where:`,
    ...choices.map((c) => `#   ${c.what}: ${short(c.value)} (${c.source})`),
    '# Run `revops validate` after editing.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

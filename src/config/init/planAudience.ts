/**
 * The part of the plan fed only by the product-marketing document: target industries, the
 * decision-makers' seniority, the company-size sweet spot and the direct competitors. Each lands
 * in `company` and in the fit-scoring bucket (or CEL rule) that tests the same attribute.
 */
import type { Document } from 'yaml';
import { SENIORITIES } from '../celVariables.ts';
import type { ProductMarketingFacts, Seniority, SizeRange } from './productMarketing.ts';
import {
  bucketPath,
  celList,
  fitBuckets,
  replaceCelLists,
  setValue,
  stringList,
  type BucketRef,
  type YamlPath,
} from './yamlEdit.ts';

type Source = 'flag' | 'answer' | 'product-marketing' | 'default';
export type Choose = (what: string, value: string, why: string, source: Source) => void;

const PM = 'product-marketing' as const;

export function applyAudience(doc: Document, facts: ProductMarketingFacts, choose: Choose): void {
  applyIndustries(doc, facts, choose);
  applySeniority(doc, facts, choose);
  applySize(doc, facts, choose);
  applyCompetitors(doc, facts, choose);
}

const pathText = (path: YamlPath): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function dedupe(values: readonly string[]): string[] {
  return values.filter((v, i) => values.findIndex((w) => w.toLowerCase() === v.toLowerCase()) === i);
}

/** `fintech` → `Fintech`, `financial services` → `Financial Services`; `SaaS` stays as written. */
export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((w) =>
      w === w.toLowerCase() && !['and', 'of', '&'].includes(w) ? w.charAt(0).toUpperCase() + w.slice(1) : w,
    )
    .join(' ');
}

function best(refs: readonly BucketRef[]): BucketRef | undefined {
  return refs.reduce<BucketRef | undefined>(
    (top, r) => (top === undefined || r.points > top.points ? r : top),
    undefined,
  );
}

// ---- industries

const INDUSTRY_WHEN = /company\.industry\s*(?:in\s*\[[^\]]*\]|==\s*"(?:[^"\\]|\\.)*")/;

function applyIndustries(doc: Document, facts: ProductMarketingFacts, choose: Choose): void {
  const first = facts.industries[0];
  if (first === undefined) return;
  const values = dedupe(facts.industries.map((f) => titleCase(f.value)));
  const from = `from the product-marketing document (${first.field})`;
  const oldPrimary = stringList(doc.getIn(['company', 'industries', 'primary'], true)) ?? [];
  setValue(doc, ['company', 'industries', 'primary'], values);
  choose('company.industries.primary', values.join(', '), `target industries ${from}`, PM);
  if ((stringList(doc.getIn(['company', 'industries', 'secondary'], true)) ?? []).length > 0) {
    setValue(doc, ['company', 'industries', 'secondary'], []);
    choose(
      'company.industries.secondary',
      '(none)',
      "cleared: the template's secondary industries belonged to its example company",
      PM,
    );
  }

  const refs = fitBuckets(doc).filter(
    (b) =>
      (b.form === 'in' && b.attribute === 'company.industry') ||
      (b.form === 'when' && INDUSTRY_WHEN.test(String(b.node.get('when')))),
  );
  const target = best(refs.filter((r) => r.points > 0));
  let oldFit: string[] = [];
  if (target?.form === 'in') {
    const path = [...bucketPath(target), 'in', 'values'];
    oldFit = stringList(doc.getIn(path, true)) ?? [];
    setValue(doc, path, values);
    choose(
      pathText(path),
      values.join(', '),
      `the industry fit group \`${target.groupId}\` scores the target industries ${from}`,
      PM,
    );
  } else if (target?.form === 'when') {
    const path = [...bucketPath(target), 'when'];
    const when = String(doc.getIn(path));
    const next = when.replace(INDUSTRY_WHEN, `company.industry in ${celList(values)}`);
    setValue(doc, path, next);
    choose(
      pathText(path),
      next,
      `the industry fit group \`${target.groupId}\` scores the target industries ${from}`,
      PM,
    );
  }
  // Rules elsewhere (routing) that list the template's industries follow the new list.
  for (const old of [oldFit, oldPrimary]) {
    for (const where of replaceCelLists(doc, old, values))
      choose(
        where,
        celList(values),
        `this rule listed the template's target industries; it now lists those ${from}`,
        PM,
      );
  }
}

// ---- seniority

const SCORED_LEVELS: readonly Seniority[] = ['c_level', 'vp', 'director', 'manager'];
const LEVEL_NAMES: Readonly<Record<Seniority, string>> = {
  c_level: 'C-level',
  vp: 'VP',
  director: 'Director',
  manager: 'Manager',
  individual_contributor: 'Individual contributor',
  student: 'Student',
  other: 'Other',
};

function applySeniority(doc: Document, facts: ProductMarketingFacts, choose: Choose): void {
  const first = facts.seniorities[0];
  if (first === undefined) return;
  const found = new Set(facts.seniorities.map((s) => s.value));
  const levels = SENIORITIES.filter((s) => found.has(s) && SCORED_LEVELS.includes(s));
  if (levels.length === 0) return;
  const refs = fitBuckets(doc).filter(
    (b) => b.form === 'in' && b.attribute === 'contact.seniority' && b.points > 0,
  );
  const target = best(refs);
  if (target === undefined) return;
  const path = [...bucketPath(target), 'in', 'values'];
  setValue(doc, path, levels);
  setValue(
    doc,
    [...bucketPath(target), 'label'],
    `Decision-maker level (${levels.map((l) => LEVEL_NAMES[l]).join(', ')})`,
  );
  const titles = facts.decisionMakers.map((d) => d.value.title).join(', ');
  choose(
    pathText(path),
    levels.join(', '),
    `the seniority of the decision-makers (${titles}) from the product-marketing document (${first.field})`,
    PM,
  );
  // Other buckets of the same group give those levels up; a bucket left empty goes.
  const siblings = refs
    .filter((r) => r.group === target.group && r.bucket !== target.bucket)
    .sort((a, b) => b.bucket - a.bucket);
  for (const sibling of siblings) {
    const siblingPath = [...bucketPath(sibling), 'in', 'values'];
    const rest = (stringList(doc.getIn(siblingPath, true)) ?? []).filter(
      (v) => !levels.includes(v as Seniority),
    );
    if (rest.length > 0) setValue(doc, siblingPath, rest);
    else doc.deleteIn(bucketPath(sibling));
  }
}

// ---- company size

const fmt = (n: number) => n.toLocaleString('en-US');

export function sizeLabel(range: { min?: number | undefined; max?: number | undefined }): string {
  if (range.min !== undefined && range.max !== undefined)
    return `${fmt(range.min)}-${fmt(range.max)} employees`;
  if (range.min !== undefined) return `${fmt(range.min)}+ employees`;
  return `Up to ${fmt(range.max ?? 0)} employees`;
}

const SIZE_LABEL = /\d.*(?:employees|people|\+)|employees/i;

function setRange(doc: Document, ref: BucketRef, min: number | undefined, max: number | undefined): void {
  const at = [...bucketPath(ref), 'range'];
  if (min === undefined) doc.deleteIn([...at, 'min']);
  else setValue(doc, [...at, 'min'], min);
  if (max === undefined) doc.deleteIn([...at, 'max']);
  else setValue(doc, [...at, 'max'], max);
  const label = doc.getIn([...bucketPath(ref), 'label']);
  if (typeof label === 'string' && SIZE_LABEL.test(label))
    setValue(doc, [...bucketPath(ref), 'label'], sizeLabel({ min, max }));
}

function applySize(doc: Document, facts: ProductMarketingFacts, choose: Choose): void {
  const size: SizeRange | undefined = facts.companySize?.value;
  if (size === undefined || facts.companySize === undefined) return;
  const all = fitBuckets(doc).filter((b) => b.form === 'range' && b.attribute === 'company.employees');
  const target = best(all.filter((b) => b.points > 0));
  if (target === undefined) return;
  setRange(doc, target, size.min, size.max);
  const how =
    size.segment === undefined
      ? ''
      : ` (read from "${size.segment}" with the usual 100 / 1,000 employee cut-offs)`;
  choose(
    pathText([...bucketPath(target), 'range']),
    sizeLabel(size),
    `the best-scoring size bucket now covers the target company size${how} from the product-marketing document (${facts.companySize.field})`,
    PM,
  );
  // Neighbouring ranges are clipped so the buckets stay disjoint; one swallowed whole goes.
  const lo = size.min ?? -Infinity;
  const hi = size.max ?? Infinity;
  const siblings = all
    .filter((b) => b.group === target.group && b.bucket !== target.bucket)
    .sort((a, b) => b.bucket - a.bucket);
  for (const sibling of siblings) {
    const at = [...bucketPath(sibling), 'range'];
    const rawMin = doc.getIn([...at, 'min']);
    const rawMax = doc.getIn([...at, 'max']);
    let min = typeof rawMin === 'number' ? rawMin : -Infinity;
    let max = typeof rawMax === 'number' ? rawMax : Infinity;
    if (max < lo || min > hi) continue;
    if (min < lo) max = lo - 1;
    else if (max > hi) min = hi + 1;
    else {
      doc.deleteIn(bucketPath(sibling));
      continue;
    }
    setRange(doc, sibling, Number.isFinite(min) ? min : undefined, Number.isFinite(max) ? max : undefined);
  }
}

// ---- competitors

const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/;

function applyCompetitors(doc: Document, facts: ProductMarketingFacts, choose: Choose): void {
  const direct = facts.competitors.filter((c) => c.value.kind === 'direct');
  const first = direct[0];
  if (first === undefined) return;
  const from = `the direct competitors in the product-marketing document (${first.field})`;
  const domains = dedupe(
    direct.flatMap((c) =>
      c.value.domain !== undefined && DOMAIN.test(c.value.domain) ? [c.value.domain] : [],
    ),
  );
  if (domains.length > 0) {
    const guessed = direct.filter((c) => c.value.domainDerived === true).map((c) => c.value.domain ?? '');
    setValue(doc, ['company', 'competitors'], domains);
    const note =
      guessed.length > 0
        ? `; ${guessed.join(', ')} ${guessed.length === 1 ? 'was' : 'were'} guessed from the name as name.com: check ${guessed.length === 1 ? 'it' : 'them'}`
        : '';
    choose('company.competitors', domains.join(', '), `email domains of ${from}${note}`, PM);
  }
  const tools = dedupe(
    direct
      .map((c) =>
        c.value.name
          .toLowerCase()
          .replace(/[^a-z0-9.]+/g, '-')
          .replace(/^-|-$/g, ''),
      )
      .filter((t) => t !== ''),
  );
  if (tools.length === 0) return;
  const oldTools = stringList(doc.getIn(['company', 'competitorTools'], true)) ?? [];
  setValue(doc, ['company', 'competitorTools'], tools);
  choose(
    'company.competitorTools',
    tools.join(', '),
    `product names of ${from}, lower-case as enrichment reports a tech stack`,
    PM,
  );
  for (const where of replaceCelLists(doc, oldTools, tools))
    choose(
      where,
      celList(tools),
      `this rule listed the template's competitor tools; it now lists ${from}`,
      PM,
    );
}

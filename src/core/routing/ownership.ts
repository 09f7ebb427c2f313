/**
 * The checks before the decision tree: keep an existing owner, give every contact of an account
 * its owner, and hold back a lead whose company name is close to a named account for review.
 * Each returns the trace step it took (undefined when it did not apply) and whom it settled on.
 */
import { fieldReader } from '../fieldReader.ts';
import type { RuleContext } from '../rule.ts';
import { fuzzyNamedAccounts, type NameMatch } from './fuzzy.ts';
import type { RoutingModel } from './model.ts';
import type { RoutingInput } from './route.ts';
import type { RuleStep } from './trace.ts';
import { keepOwnerSetting } from './tree.ts';

export interface Check<T> {
  /** Built only when the call explains. */
  readonly step?: RuleStep | undefined;
  /** Set when the check settles the lead. */
  readonly result?: T;
}

interface StepHead {
  readonly rule: string;
  readonly name: string;
  readonly path: string;
}

/** The check's step, or undefined when the call only decides. */
function stepOf(
  explain: boolean,
  head: StepHead,
  matched: boolean,
  outcome: RuleStep['outcome'],
  detail: () => string,
): RuleStep | undefined {
  if (!explain) return undefined;
  return { rule: head.rule, name: head.name, path: head.path, matched, outcome, detail: detail() };
}

/** Why `id` cannot keep or take the lead as its owner, or undefined when it can. */
export function ownerProblem(
  model: RoutingModel,
  id: string,
  exclude: readonly string[],
): string | undefined {
  const rep = model.reps.get(id);
  if (rep === undefined) return `${id} is not in team.reps`;
  if (!rep.active) return `${id} is inactive`;
  if (exclude.includes(id)) return `${id} is excluded from this lead (a previous owner)`;
  return undefined;
}

/**
 * The lead's owner stays when keeping is on — `keepExistingOwner`, or the `keepOwner` of a matching
 * rule, which overrides it — and the owner is an active rep not excluded. Availability (PTO,
 * capacity) does not matter: the lead is already theirs.
 */
export function keepOwner(
  model: RoutingModel,
  input: RoutingInput,
  explain: boolean,
): Check<string> | undefined {
  const owner = input.lead.owner;
  if (owner === undefined) return undefined;
  const setting = keepOwnerSetting(model.rules, input.context) ?? {
    keep: model.keepExistingOwner,
    path: 'routing.keepExistingOwner',
  };
  const head = { rule: 'keep_owner', name: 'Keep existing owner', path: setting.path };
  if (!setting.keep) {
    return {
      step: stepOf(
        explain,
        head,
        false,
        'no_match',
        () => `owner ${owner} not kept: ${setting.path} is false`,
      ),
    };
  }
  const problem = ownerProblem(model, owner, input.exclude ?? []);
  if (problem !== undefined) {
    return { step: stepOf(explain, head, true, 'nobody_available', () => `owner not kept: ${problem}`) };
  }
  return {
    step: stepOf(explain, head, true, 'placed', () => `${owner} is an active rep and keeps the lead`),
    result: owner,
  };
}

/** With `sameAccountSameOwner`, an account's owner (active, not excluded) gets the lead. */
export function sameAccount(
  model: RoutingModel,
  input: RoutingInput,
  explain: boolean,
): Check<string> | undefined {
  const owner = input.account?.owner;
  if (!model.sameAccountSameOwner || input.account === undefined || owner === undefined) return undefined;
  const head = {
    rule: 'same_account',
    name: 'Same account, same owner',
    path: 'routing.sameAccountSameOwner',
  };
  const problem = ownerProblem(model, owner, input.exclude ?? []);
  const account = input.account.domain;
  if (problem !== undefined) {
    return {
      step: stepOf(
        explain,
        head,
        true,
        'nobody_available',
        () => `account ${account} owner not used: ${problem}`,
      ),
    };
  }
  return {
    step: stepOf(explain, head, true, 'placed', () => `account ${account} is owned by ${owner}`),
    result: owner,
  };
}

/** Whether `text` has a character other than white space (what `trim()` keeps), without trimming. */
function hasText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Below 0x7f only space, tab and \n \v \f \r are white space; past it, trim() says.
    if (c < 0x7f ? c !== 0x20 && (c < 0x09 || c > 0x0d) : text.slice(i, i + 1).trim().length > 0) return true;
  }
  return false;
}

const readCompanyName = fieldReader('company', 'name');

function companyName(context: RuleContext): string | undefined {
  const name = readCompanyName(context);
  return typeof name === 'string' && hasText(name) ? name : undefined;
}

/** A lead outside every named domain whose `company.name` is close to a named account's name. */
export function nameReview(
  model: RoutingModel,
  input: RoutingInput,
  namedDomain: boolean,
  explain: boolean,
): Check<readonly NameMatch[]> | undefined {
  if (!model.fuzzyNameMatch.enabled || namedDomain) return undefined;
  const name = companyName(input.context);
  if (name === undefined) return undefined;
  const matches = fuzzyNamedAccounts(name, model);
  const head = {
    rule: 'fuzzy_name_match',
    name: 'Company name close to a named account',
    path: 'routing.fuzzyNameMatch',
  };
  const threshold = model.fuzzyNameMatch.threshold;
  if (matches.length === 0) {
    if (!explain) return undefined;
    const step = stepOf(
      explain,
      head,
      false,
      'no_match',
      () => `no named account name is at least ${threshold} similar to \`${name}\``,
    );
    return { step };
  }
  const step = stepOf(explain, head, true, 'placed', () => {
    const list = matches.map((m) => `${m.name} (${m.domain}) ${m.score}`).join(', ');
    return `\`${name}\` is at least ${threshold} similar to ${list}: held for review`;
  });
  return { step, result: matches };
}

/**
 * The variables a CEL rule in revops.yaml may read, as data: one object type per variable, its
 * fields with their CEL types, and which variables each rule scope sees. `cel.ts` builds the CEL
 * environments from this table and the docs list it, so the two never drift apart.
 *
 * Every field is optional at run time: a rule that reads an absent field evaluates to false (use
 * `has(company.employees)` to test for presence).
 */
import type { RuleScope } from '../core/rule.ts';

/**
 * The field types rules see. `int` holds whole counts (employees, tier, pushes), `double` holds
 * money, percentages and scores; plain JS numbers from the context are converted to match.
 */
export const CEL_FIELD_TYPES = [
  'string',
  'int',
  'double',
  'bool',
  'timestamp',
  'list<string>',
  'map<string, dyn>',
  'LeadScore',
] as const;
export type CelFieldType = (typeof CEL_FIELD_TYPES)[number];

export interface CelFieldSpec {
  readonly type: CelFieldType;
  readonly description: string;
  /** The values a string field takes, when the set is closed. */
  readonly values?: readonly string[];
}

export interface CelObjectSpec {
  readonly description: string;
  readonly fields: { readonly [field: string]: CelFieldSpec };
}

export const SENIORITIES = [
  'c_level',
  'vp',
  'director',
  'manager',
  'individual_contributor',
  'student',
  'other',
] as const;
export const CONTACT_ROLES = ['decision_maker', 'influencer', 'end_user'] as const;
export const TECH_MATURITIES = ['modern', 'legacy'] as const;

/** Object types by CEL type name. `LeadScore` is nested under `lead.score`. */
export const CEL_OBJECT_TYPES = Object.freeze({
  Contact: {
    description: 'The person: what they told us and what enrichment found.',
    fields: {
      email: { type: 'string', description: 'Email address.' },
      firstName: { type: 'string', description: 'First name.' },
      lastName: { type: 'string', description: 'Last name.' },
      title: { type: 'string', description: 'Job title as written.' },
      seniority: { type: 'string', description: 'Seniority derived from the title.', values: SENIORITIES },
      department: { type: 'string', description: 'Department (sales, marketing, engineering, ...).' },
      phone: { type: 'string', description: 'Phone number.' },
      source: { type: 'string', description: 'Where the contact came from.' },
      country: { type: 'string', description: 'ISO country code (US).' },
      state: { type: 'string', description: 'State or region code (CA).' },
      emailDomain: { type: 'string', description: 'The part of the email after @.' },
      freeMail: { type: 'bool', description: 'True for free mail providers (gmail.com, ...).' },
      role: { type: 'string', description: 'Buying role.', values: CONTACT_ROLES },
    },
  },
  Company: {
    description: 'The company the contact works for.',
    fields: {
      domain: { type: 'string', description: 'Web domain.' },
      name: { type: 'string', description: 'Company name.' },
      employees: { type: 'int', description: 'Number of employees.' },
      industry: { type: 'string', description: 'Industry.' },
      revenue: { type: 'double', description: 'Annual revenue in USD.' },
      country: { type: 'string', description: 'ISO country code of the headquarters.' },
      state: { type: 'string', description: 'State or region code of the headquarters.' },
      techStack: { type: 'list<string>', description: 'Technologies in use (salesforce, hubspot, ...).' },
      techMaturity: { type: 'string', description: 'How modern the stack is.', values: TECH_MATURITIES },
    },
  },
  Event: {
    description: 'The event being processed.',
    fields: {
      type: { type: 'string', description: 'Event type (page_view, form_submit, ...).' },
      at: { type: 'timestamp', description: 'When it happened.' },
      properties: {
        type: 'map<string, dyn>',
        description: 'Free-form properties: event.properties.category == "pricing".',
      },
    },
  },
  LeadScore: {
    description: 'The current lead score.',
    fields: {
      fit: { type: 'double', description: 'Fit points.' },
      engagement: { type: 'double', description: 'Engagement points (after decay).' },
      negative: { type: 'double', description: 'Negative points.' },
      total: { type: 'double', description: 'Total score.' },
      mql: { type: 'bool', description: 'True when the lead meets the MQL threshold.' },
    },
  },
  Lead: {
    description: 'The lead: lifecycle stage, owner and score.',
    fields: {
      stage: { type: 'string', description: 'Lifecycle stage.' },
      owner: { type: 'string', description: 'Owner id.' },
      score: { type: 'LeadScore', description: 'Score: fit, engagement, negative, total, mql.' },
      flags: { type: 'list<string>', description: 'Flags set on the lead.' },
      source: { type: 'string', description: 'Lead source.' },
      recycled: { type: 'bool', description: 'True when the lead came back from recycling.' },
      teamMembers: { type: 'int', description: 'Members of the buying team we know.' },
      daysInStage: { type: 'double', description: 'Days in the current stage.' },
      bant: { type: 'list<string>', description: 'BANT criteria met (budget, authority, need, timing).' },
    },
  },
  Account: {
    description: 'The account the company maps to.',
    fields: {
      domain: { type: 'string', description: 'Account domain.' },
      owner: { type: 'string', description: 'Account owner id.' },
      tier: { type: 'int', description: 'ABM tier: 0 for none, 1 to 3.' },
      named: { type: 'bool', description: 'True for named accounts.' },
      engagedContacts: { type: 'int', description: 'Contacts engaged recently.' },
      score: { type: 'double', description: 'Account score.' },
    },
  },
  Deal: {
    description: 'The deal (opportunity).',
    fields: {
      id: { type: 'string', description: 'Deal id.' },
      stage: { type: 'string', description: 'Pipeline stage.' },
      amount: { type: 'double', description: 'Amount in the deal currency.' },
      currency: { type: 'string', description: 'ISO currency code.' },
      discountPercent: { type: 'double', description: 'Discount in percent (15 for 15%).' },
      termMonths: { type: 'int', description: 'Contract term in months.' },
      paymentTerms: { type: 'string', description: 'Payment terms (`net-30`, `net-90`, ...).' },
      customTerms: { type: 'bool', description: 'True when the contract has non-standard terms.' },
      source: { type: 'string', description: 'Deal source.' },
      pushes: { type: 'int', description: 'Times the close date was pushed.' },
    },
  },
} as const satisfies { readonly [typeName: string]: CelObjectSpec });

export type CelObjectTypeName = keyof typeof CEL_OBJECT_TYPES;

/** The top-level variables and their object types. */
export const CEL_VARIABLES = Object.freeze({
  contact: 'Contact',
  company: 'Company',
  event: 'Event',
  lead: 'Lead',
  account: 'Account',
  deal: 'Deal',
} as const satisfies { readonly [variable: string]: CelObjectTypeName });

export type CelVariableName = keyof typeof CEL_VARIABLES;

/** Which variables a rule sees, by where it sits in the config. */
export const SCOPE_VARIABLES = Object.freeze({
  attributes: ['contact', 'company', 'account'],
  event: ['contact', 'company', 'account', 'event'],
  lead: ['contact', 'company', 'account', 'lead', 'event'],
  deal: ['deal', 'account', 'company'],
} as const satisfies { readonly [S in RuleScope]: readonly CelVariableName[] });

/** True for object type names (as opposed to scalar, list and map types). */
export function isCelObjectType(type: string): type is CelObjectTypeName {
  return Object.hasOwn(CEL_OBJECT_TYPES, type);
}

export interface CelFieldDoc {
  /** `company.employees`, `lead.score.fit`. */
  readonly path: string;
  readonly type: CelFieldType;
  readonly description: string;
  readonly values?: readonly string[];
}

export interface CelVariableDoc {
  readonly name: CelVariableName;
  readonly description: string;
  readonly fields: readonly CelFieldDoc[];
}

/** The variables of a scope (all of them without a scope), with nested fields flattened, for docs. */
export function listCelVariables(scope?: RuleScope): CelVariableDoc[] {
  const names: readonly CelVariableName[] =
    scope === undefined ? (Object.keys(CEL_VARIABLES) as CelVariableName[]) : SCOPE_VARIABLES[scope];
  return names.map((name) => {
    const spec: CelObjectSpec = CEL_OBJECT_TYPES[CEL_VARIABLES[name]];
    return { name, description: spec.description, fields: flattenFields(name, spec) };
  });
}

function flattenFields(prefix: string, spec: CelObjectSpec): CelFieldDoc[] {
  const out: CelFieldDoc[] = [];
  for (const [field, f] of Object.entries(spec.fields)) {
    const path = `${prefix}.${field}`;
    out.push(
      f.values
        ? { path, type: f.type, description: f.description, values: f.values }
        : { path, type: f.type, description: f.description },
    );
    if (isCelObjectType(f.type)) out.push(...flattenFields(path, CEL_OBJECT_TYPES[f.type]));
  }
  return out;
}

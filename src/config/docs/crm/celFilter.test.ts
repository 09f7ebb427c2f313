import { describe, expect, it } from 'vitest';
import { conditionFormula, conditionWords, parseCondition } from './celFilter.ts';

describe('CEL conditions in CRM terms', () => {
  it('turns simple CEL into HubSpot words and Salesforce formulas, and gives up on the rest', () => {
    const parsed = parseCondition(
      'company.employees >= 500 && contact.seniority in ["vp", "c_level"] || !has(company.domain)',
    );
    expect(parsed).toBeDefined();
    if (parsed === undefined) return;
    const label = (p: string): string => p;
    expect(conditionWords(parsed, label)).toBe(
      '(company.employees is at least 500 AND contact.seniority is any of vp, c_level) OR company.domain is unknown',
    );
    const field = (p: string) => ({
      api: p.replace('.', '_'),
      kind: p.endsWith('seniority') ? ('picklist' as const) : ('number' as const),
    });
    expect(conditionFormula(parsed, field)).toBe(
      'OR(AND(company_employees >= 500, OR(ISPICKVAL(contact_seniority, "vp"), ISPICKVAL(contact_seniority, "c_level"))), NOT(NOT(ISBLANK(company_domain))))',
    );
    const any = parseCondition('company.techStack.exists(t, t in ["slack", "figma"])');
    expect(any).toEqual({ kind: 'includesAny', path: 'company.techStack', values: ['slack', 'figma'] });
    if (any !== undefined) {
      expect(conditionFormula(any, () => ({ api: 'Tech_Stack__c', kind: 'multi' }))).toBe(
        'OR(INCLUDES(Tech_Stack__c, "slack"), INCLUDES(Tech_Stack__c, "figma"))',
      );
    }
    expect(parseCondition('company.techStack.exists(t, t.startsWith("x"))')).toBeUndefined();
    expect(parseCondition('contact.title.matches("^VP")')).toBeUndefined();
    expect(parseCondition('size(lead.flags) > 2')).toBeUndefined();
  });
});

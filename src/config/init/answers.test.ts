import { describe, expect, it } from 'vitest';
import {
  INIT_QUESTIONS,
  parseAnswer,
  parseList,
  unansweredQuestions,
  type InitQuestionId,
} from './answers.ts';

describe('parseAnswer: accepted answers', () => {
  const cases: [InitQuestionId, string, unknown][] = [
    ['acv', '$12,000', 12_000],
    ['acv', '12k', 12_000],
    ['acv', '12K', 12_000],
    ['acv', '12000', 12_000],
    ['acv', ' 12000 ', 12_000],
    ['acv', '1.2M', 1_200_000],
    ['acv', '$1,000/month', 12_000],
    ['acv', '$500 per month', 6_000],
    ['acv', '$25,000 a year', 25_000],
    ['acv', '10k-20k', 15_000],
    ['acv', '10-20k', 15_000],
    ['acv', 'about 30k', 30_000],
    ['cycleDays', '45', 45],
    ['cycleDays', '45 days', 45],
    ['cycleDays', '45d', 45],
    ['cycleDays', '1 day', 1],
    ['cycleDays', '6 weeks', 42],
    ['cycleDays', '3 months', 90],
    ['gtm', 'plg', 'plg'],
    ['gtm', 'PLG', 'plg'],
    ['gtm', 'Product-led', 'plg'],
    ['gtm', 'Sales-Led', 'sales-led'],
    ['gtm', 'sales led', 'sales-led'],
    ['gtm', 'HYBRID', 'hybrid'],
    ['crm', 'HubSpot', 'hubspot'],
    ['crm', 'Salesforce', 'salesforce'],
    ['crm', 'SFDC', 'salesforce'],
    ['crm', 'None', 'none'],
    ['crm', 'spreadsheets', 'none'],
    ['crm', 'HubSpot, Calendly, Clearbit', 'hubspot'],
    ['crm', 'Marketo + Salesforce', 'salesforce'],
    [
      'goals',
      'Increase conversion, reduce speed-to-lead,  , Fix handoff leaks',
      ['Increase conversion', 'reduce speed-to-lead', 'Fix handoff leaks'],
    ],
    ['goals', 'Build from scratch.', ['Build from scratch']],
    ['goals', 'a; b\nc, A', ['a', 'b', 'c']],
    ['currentState', '  shared inbox,   nobody owns it ', 'shared inbox, nobody owns it'],
    ['companyName', '  Ledgerline ', 'Ledgerline'],
    ['template', 'Mid-Market', 'mid-market'],
    ['template', 'sales-led', 'sales-led'],
    ['template', 'enterprise', 'sales-led'],
  ];
  it.each(cases)('%s %j → %j', (id, text, value) => {
    expect(parseAnswer(id, text)).toEqual({ ok: true, value });
  });
});

describe('parseAnswer: an empty answer skips the question', () => {
  it.each(INIT_QUESTIONS.map((q) => q.id))('%s', (id) => {
    expect(parseAnswer(id, '   ')).toEqual({ ok: true, value: undefined });
  });
});

describe('parseAnswer: rejected answers say what to write', () => {
  const cases: [InitQuestionId, string, string][] = [
    [
      'acv',
      'twelve',
      '`twelve` is not an amount: write the average contract value per year like `12000`, `12k` or `$12,000`',
    ],
    [
      'acv',
      '12,00',
      '`12,00` is not an amount: write the average contract value per year like `12000`, `12k` or `$12,000`',
    ],
    ['acv', '0', 'the average contract value must be more than 0'],
    [
      'acv',
      '20k-10k',
      '`20k-10k` is not an amount: write the average contract value per year like `12000`, `12k` or `$12,000`',
    ],
    [
      'acv',
      '500M',
      '500000000 looks too large for an average contract value per year: write it in whole currency units, like `250k`',
    ],
    [
      'cycleDays',
      'forever',
      '`forever` is not a number of days: write the days from first touch to closed-won, like `45` or `45 days`',
    ],
    ['cycleDays', '0', 'the sales cycle must be at least 1 day'],
    ['cycleDays', '5000', '5000 days is more than three years: write the typical cycle of one deal, in days'],
    [
      'gtm',
      'plgg',
      '`plgg` is not a go-to-market motion — did you mean `plg`?: answer `plg`, `sales-led` or `hybrid`',
    ],
    ['gtm', 'inbound', '`inbound` is not a go-to-market motion: answer `plg`, `sales-led` or `hybrid`'],
    [
      'crm',
      'Pipedrive',
      '`Pipedrive` names no CRM init knows: answer `hubspot` or `salesforce`, or `none` for any other CRM (the engine then keeps the records)',
    ],
    [
      'crm',
      'hubspt',
      '`hubspt` names no CRM init knows — did you mean `hubspot`?: answer `hubspot` or `salesforce`, or `none` for any other CRM (the engine then keeps the records)',
    ],
    [
      'crm',
      'HubSpot and Salesforce',
      'both HubSpot and Salesforce were named: answer the one that is the system of record',
    ],
    ['template', 'smb', '`smb` is not a template: answer `plg`, `sales-led` or `mid-market`'],
    ['companyName', 'x'.repeat(101), 'the name is 101 characters: keep it under 100'],
  ];
  it.each(cases)('%s %j', (id, text, message) => {
    expect(parseAnswer(id, text)).toEqual({ ok: false, message });
  });
});

describe('the question list', () => {
  it('asks the six context questions of the reference, plus name and template', () => {
    expect(INIT_QUESTIONS.map((q) => [q.id, q.context])).toEqual([
      ['companyName', false],
      ['gtm', true],
      ['acv', true],
      ['cycleDays', true],
      ['crm', true],
      ['currentState', true],
      ['goals', true],
      ['template', false],
    ]);
    for (const q of INIT_QUESTIONS) {
      expect(q.prompt).toMatch(/\?|\)$/);
      expect(q.help.length).toBeGreaterThan(20);
    }
  });

  it('lists the closed choices', () => {
    expect(INIT_QUESTIONS.find((q) => q.id === 'gtm')?.choices).toEqual(['plg', 'sales-led', 'hybrid']);
    expect(INIT_QUESTIONS.find((q) => q.id === 'crm')?.choices).toEqual(['hubspot', 'salesforce', 'none']);
    expect(INIT_QUESTIONS.find((q) => q.id === 'template')?.choices).toEqual([
      'plg',
      'sales-led',
      'mid-market',
    ]);
  });

  it('reports the context questions still open', () => {
    expect(unansweredQuestions({})).toEqual(['gtm', 'acv', 'cycleDays', 'crm', 'currentState', 'goals']);
    expect(unansweredQuestions({ gtm: 'plg', acv: 2400, goals: ['x'], companyName: 'A' })).toEqual([
      'cycleDays',
      'crm',
      'currentState',
    ]);
  });

  it('parseList keeps order and drops blanks, bullets and repeats', () => {
    expect(parseList('- one\n* two\n\n• three, One')).toEqual(['one', 'two', 'three']);
  });
});

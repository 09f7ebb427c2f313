/** `company`: the business context every default is chosen from (the reference's six questions). */
import { z } from 'zod';
import { money, timeZone } from './primitives.ts';

export const GTM_MOTIONS = ['plg', 'sales-led', 'hybrid'] as const;
export const CRMS = ['hubspot', 'salesforce', 'none'] as const;

const targetList = z.strictObject({
  primary: z.array(z.string().min(1)).default([]).describe('Counts full points.'),
  secondary: z.array(z.string().min(1)).default([]).describe('Counts the secondary points.'),
});

export const companySchema = z
  .strictObject({
    name: z.string().min(1).describe('Your company name, used in documents and messages.'),
    gtm: z.enum(GTM_MOTIONS).describe('Go-to-market motion: product-led, sales-led or hybrid.'),
    acv: money.describe('Average contract value (annual).'),
    salesCycleDays: z.number().int().positive().describe('Typical days from first touch to closed-won.'),
    crm: z.enum(CRMS).default('none').describe('The CRM of record; documents add its setup steps.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: 'expected an ISO currency code like `USD`' })
      .default('USD'),
    timezone: timeZone.default('America/New_York').describe('The company time zone (calendar default).'),
    stack: z
      .array(z.string().min(1))
      .default([])
      .describe('Tools around the CRM: marketing automation, scheduling, enrichment.'),
    currentState: z
      .string()
      .optional()
      .describe('How leads are managed today; what works and what does not.'),
    goals: z.array(z.string().min(1)).default([]).describe('What this funnel should improve.'),
    industries: targetList.prefault({}).describe('Target industries.'),
    markets: targetList.prefault({}).describe('Target geographies: country codes (US) or US states (US-CA).'),
    competitors: z
      .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: 'expected a domain like `rival.com`' }))
      .default([])
      .describe('Competitor email domains: their leads are flagged, never routed.'),
    complementaryTools: z.array(z.string().min(1)).default([]).describe('Tools whose users fit well.'),
    competitorTools: z
      .array(z.string().min(1))
      .default([])
      .describe('Competing products a prospect may use.'),
    replacedTools: z.array(z.string().min(1)).default([]).describe('Tools your product replaces.'),
  })
  .describe('The business: motion, contract value, cycle, CRM, targets and goals.');

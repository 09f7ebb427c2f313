/** `hygiene`: normalisation, duplicate matching, survivorship, required fields, audits. */
import { z } from 'zod';
import { duration, id } from './primitives.ts';

export const hygieneSchema = z
  .strictObject({
    sourcePriority: z
      .array(z.string().min(1))
      .default(['crm', 'sales', 'marketing_automation', 'enrichment', 'import', 'web'])
      .describe('Which source wins a field conflict, first wins.'),
    survivorship: z.enum(['source_priority', 'most_recent']).default('most_recent'),
    matching: z
      .strictObject({
        keys: z
          .array(z.enum(['email', 'domain_name', 'phone', 'name_company']))
          .default(['email', 'domain_name', 'phone']),
        autoMergeAbove: z.number().min(0).max(1).default(0.95),
        reviewAbove: z.number().min(0).max(1).default(0.8),
      })
      .prefault({}),
    dedupSchedule: z.enum(['daily', 'weekly', 'monthly']).default('weekly'),
    staleAfter: duration
      .prefault('12 months')
      .describe('Contacts with no activity this long are archived by the audit.'),
    requiredFields: z
      .array(z.strictObject({ stage: id, fields: z.array(z.string().min(1)).min(1) }))
      .default([])
      .describe('Fields a contact must have to enter a lifecycle stage.'),
    freeMail: z
      .strictObject({ extra: z.array(z.string()).default([]), allow: z.array(z.string()).default([]) })
      .prefault({}),
    studentDomains: z.array(z.string()).default(['edu', 'ac.uk', 'edu.au']),
    audit: z.enum(['monthly', 'quarterly']).default('quarterly'),
    importMaps: z
      .array(z.strictObject({ id, columns: z.record(z.string(), z.string().min(1)) }))
      .default([])
      .describe('Custom CSV column maps, beside the built-in hubspot and salesforce maps.'),
  })
  .describe('Data hygiene: dedup, survivorship and audits.');

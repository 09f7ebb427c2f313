/** `dealDesk`: when a deal needs review, approval tiers, approval SLAs and the exceptions log. */
import { z } from 'zod';
import { recipient } from './actions.ts';
import { condition, duration, id, money } from './primitives.ts';

export const approvalTierSchema = z.strictObject({
  id,
  name: z.string().min(1),
  when: condition('deal'),
  approvers: z.array(recipient).default([]).describe('Empty: auto-approved.'),
  mode: z.enum(['all', 'any']).default('all').describe('Whether every approver or any one must approve.'),
});

export const dealDeskSchema = z
  .strictObject({
    threshold: money.describe('Deals above this ACV go to deal desk review.'),
    standardPaymentTerms: z.array(z.string().min(1)).default(['net-30']),
    tiers: z.array(approvalTierSchema).min(1),
    match: z.enum(['all', 'first']).default('all').describe('`all`: every matching tier must approve.'),
    approvalSla: duration.prefault('2 business days'),
    escalateTo: recipient.default('manager'),
    exceptionsReview: z.enum(['monthly', 'quarterly']).default('quarterly'),
  })
  .describe('Discount and terms approvals.');

export { id };

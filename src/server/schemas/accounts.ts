/** Accounts as the API shows them: the list item (`Account`), the full record, and the list's query. */
import { z } from 'zod';
import type { AccountState } from '../../core/types.ts';
import {
  AttributeSourceSchema,
  AttributeValueSchema,
  CursorQuery,
  IsoTime,
  iso,
  isoOrNull,
  LimitQuery,
  pageOf,
} from './common.ts';
import { ContactSchema, values } from './contacts.ts';

export const AccountSchema = z
  .object({
    domain: z.string(),
    owner: z.string().nullable().describe('The account owner (rep id); null when none'),
    named: z
      .object({ owner: z.string(), tier: z.number().int() })
      .nullable()
      .describe('The named (ABM) account entry, as of its last event'),
    contactCount: z.number().int(),
    score: z
      .object({
        total: z.number().describe('The members’ scores rolled up (sum, max or average)'),
        engagedContacts: z.number().int(),
        buyingCommittee: z.boolean(),
        at: IsoTime,
      })
      .nullable(),
    attributes: z.record(z.string(), AttributeValueSchema).describe('`company.*` attributes, latest values'),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    lastActivityAt: IsoTime.nullable(),
  })
  .meta({ id: 'Account' });

export const AccountDetailSchema = AccountSchema.extend({
  attributeSources: z.record(z.string(), AttributeSourceSchema),
  members: z
    .array(
      z.object({
        contact: z.string().describe('The contact key'),
        total: z.number(),
        engagement: z.number(),
        lastActivityAt: IsoTime.nullable(),
        at: IsoTime,
      }),
    )
    .describe('Each scored contact’s score as the roll-up counts it'),
  contacts: z.array(ContactSchema).describe('The account’s contacts in key order (at most 100)'),
}).meta({ id: 'AccountDetail' });

export const AccountPageSchema = pageOf(AccountSchema).meta({ id: 'AccountPage' });

export const AccountListQuery = z.object({ limit: LimitQuery, cursor: CursorQuery });

export const AccountParams = z.object({
  ref: z.string().min(1).describe('The account’s domain (`northwind.io`), or `account:<domain>`'),
});

export type AccountView = z.infer<typeof AccountSchema>;

/** An account as listed. Does not throw. */
export function accountView(a: AccountState): AccountView {
  return {
    domain: a.domain,
    owner: a.owner ?? null,
    named: a.named === undefined ? null : { owner: a.named.owner, tier: a.named.tier },
    contactCount: a.contactCount,
    score:
      a.score === undefined
        ? null
        : {
            total: a.score.total,
            engagedContacts: a.score.engagedContacts,
            buyingCommittee: a.score.buyingCommittee,
            at: iso(a.score.at),
          },
    attributes: values(a.attributes),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    lastActivityAt: isoOrNull(a.lastActivityAt),
  };
}

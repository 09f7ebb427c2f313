/**
 * Contacts as the API lists them (`Contact`) and the list's query; the full record is in
 * contactDetail.ts. Each `*View` function builds exactly its schema's type.
 */
import { z } from 'zod';
import type { Attributes, ContactScore, ContactState } from '../../core/types.ts';
import {
  AttributeValueSchema,
  CursorQuery,
  IsoTime,
  IsoTimeQuery,
  iso,
  isoOrNull,
  LimitQuery,
  pageOf,
} from './common.ts';

export const ScoreSummarySchema = z
  .object({
    fit: z.number(),
    engagement: z.number(),
    negative: z.number(),
    total: z.number(),
    mql: z.boolean(),
    at: IsoTime.describe('When the score was last computed'),
  })
  .meta({ id: 'ScoreSummary' });

export const ContactSchema = z
  .object({
    key: z.string().describe('`email:<email>` or `id:<contact.id>`'),
    email: z.string().nullable(),
    externalId: z.string().nullable(),
    account: z.string().nullable().describe('The account domain; null for free-mail contacts'),
    stage: z.string(),
    stageEnteredAt: IsoTime,
    owner: z.string().nullable().describe('The rep id of the owner; null while unassigned'),
    score: ScoreSummarySchema.nullable().describe('As of the last update; null before any scoring'),
    flags: z.array(z.string()),
    attributes: z.record(z.string(), AttributeValueSchema).describe('`contact.*` attributes, latest values'),
    company: z.record(z.string(), AttributeValueSchema).describe('`company.*` attributes seen on its events'),
    eventCount: z.number().int(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    lastActivityAt: IsoTime.nullable(),
    lastTouchAt: IsoTime.nullable(),
    nextScoreChangeAt: IsoTime.nullable().describe(
      'When decay next changes the score; null when nothing will',
    ),
  })
  .meta({ id: 'Contact' });

export const ContactPageSchema = pageOf(ContactSchema).meta({ id: 'ContactPage' });

export const ContactListQuery = z.object({
  stage: z.string().optional().describe('Only these stages, comma-separated: `mql,sql`'),
  owner: z.string().optional().describe('Only this rep’s contacts; `none` for unassigned ones'),
  mql: z.enum(['true', 'false']).optional().describe('Only MQLs (true) or only non-MQLs (false)'),
  minScore: z.coerce.number().optional().describe('Score total at least this'),
  maxScore: z.coerce.number().optional().describe('Score total at most this'),
  updatedSince: IsoTimeQuery.optional().describe('Only contacts updated at or after this instant'),
  limit: LimitQuery,
  cursor: CursorQuery,
});

export const ContactParams = z.object({
  ref: z.string().min(1).describe('An email, a key (`email:…`, `id:…`) or a `contact.id`'),
});

export type ContactView = z.infer<typeof ContactSchema>;

/** The attributes' latest values (arrays copied). Does not throw. */
export function values(attributes: Attributes): Record<string, z.infer<typeof AttributeValueSchema>> {
  const out: Record<string, z.infer<typeof AttributeValueSchema>> = {};
  for (const [name, { value }] of Object.entries(attributes))
    out[name] = typeof value === 'object' ? [...value] : value;
  return out;
}

function scoreView(score: ContactScore | undefined): z.infer<typeof ScoreSummarySchema> | null {
  if (score === undefined) return null;
  const { fit, engagement, negative, total, mql } = score;
  return { fit, engagement, negative, total, mql, at: iso(score.at) };
}

/** A contact as listed. Does not throw. */
export function contactView(c: ContactState): ContactView {
  return {
    key: c.key,
    email: c.email ?? null,
    externalId: c.externalId ?? null,
    account: c.accountDomain ?? null,
    stage: c.stage,
    stageEnteredAt: iso(c.stageEnteredAt),
    owner: c.owner ?? null,
    score: scoreView(c.score),
    flags: [...c.flags],
    attributes: values(c.attributes),
    company: values(c.companyAttributes),
    eventCount: c.eventCount,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    lastActivityAt: isoOrNull(c.lastActivityAt),
    lastTouchAt: isoOrNull(c.lastTouchAt),
    nextScoreChangeAt: isoOrNull(c.nextDecayAt),
  };
}

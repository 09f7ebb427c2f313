/**
 * The event catalog: the input contract of the engine (DESIGN.md). Each type lists its own
 * properties and, where the catalog fixes them, their allowed values. Config may add types.
 */

export const EVENT_TYPES = [
  'identify',
  'page_view',
  'form_submit',
  'content_download',
  'webinar',
  'email',
  'product',
  'social',
  'meeting',
  'rep_activity',
  'sales_decision',
  'deal',
  'nps',
  'referral',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface PropertySpec {
  readonly name: string;
  readonly values?: readonly string[];
  readonly description: string;
}

export const PAGE_CATEGORIES = [
  'pricing',
  'demo',
  'case_study',
  'comparison',
  'blog',
  'careers',
  'homepage',
  'roi_calculator',
  'other',
] as const;
export const FORMS = [
  'demo_request',
  'contact_sales',
  'trial_signup',
  'newsletter',
  'content',
  'webinar_registration',
] as const;
export const CONTENT_KINDS = ['whitepaper', 'ebook', 'case_study', 'roi_guide'] as const;
export const EMAIL_ACTIONS = ['open', 'click', 'unsubscribe', 'bounce_hard', 'spam_complaint'] as const;
export const PRODUCT_ACTIONS = [
  'account_created',
  'onboarding_completed',
  'core_feature_used',
  'teammate_invited',
  'usage_limit_hit',
  'data_exported',
  'integration_connected',
  'active_day',
  'login',
] as const;
export const MEETING_ACTIONS = ['booked', 'held', 'no_show', 'canceled'] as const;
export const DEAL_ACTIONS = [
  'created',
  'stage_changed',
  'amount_changed',
  'close_date_changed',
  'closed_won',
  'closed_lost',
  'updated',
  'approval_decided',
] as const;
export const REASON_CODE_PATTERN = /^(FIT|ENG|QUAL)-\d{2}$/;

export const EVENT_PROPERTIES: Readonly<Record<EventType, readonly PropertySpec[]>> = {
  identify: [],
  page_view: [
    { name: 'url', description: 'the page address' },
    { name: 'category', values: PAGE_CATEGORIES, description: 'what kind of page it is' },
  ],
  form_submit: [{ name: 'form', values: FORMS, description: 'which form was sent' }],
  content_download: [{ name: 'kind', values: CONTENT_KINDS, description: 'what was downloaded' }],
  webinar: [
    { name: 'action', values: ['registered', 'attended'], description: 'registration or attendance' },
    { name: 'audience', description: 'who the webinar was for (e.g. `executive`)' },
  ],
  email: [
    { name: 'action', values: EMAIL_ACTIONS, description: 'what the contact did with the email' },
    { name: 'campaign', description: 'the campaign or newsletter it belonged to' },
  ],
  product: [{ name: 'action', values: PRODUCT_ACTIONS, description: 'what the user did in the product' }],
  social: [{ name: 'action', description: 'the kind of social engagement' }],
  meeting: [
    { name: 'action', values: MEETING_ACTIONS, description: 'booked, held, missed or canceled' },
    { name: 'startsAt', description: 'when the meeting starts (ISO time)' },
    { name: 'rep', description: 'the rep holding the meeting' },
  ],
  rep_activity: [
    { name: 'kind', values: ['call', 'email', 'meeting', 'note'], description: 'the kind of touch' },
    { name: 'rep', description: "the rep who touched the lead (defaults to the contact's owner)" },
  ],
  sales_decision: [
    { name: 'decision', values: ['accept', 'reject'], description: 'accept to SQL or reject' },
    { name: 'reasonCode', description: 'why it was rejected (FIT-01 … QUAL-03)' },
    { name: 'rep', description: 'the rep who decided' },
    {
      name: 'bant',
      description: 'BANT criteria the rep confirmed: a list of budget, authority, need, timeline',
    },
  ],
  deal: [
    { name: 'action', values: DEAL_ACTIONS, description: 'what happened to the deal' },
    { name: 'dealId', description: 'the deal' },
  ],
  nps: [
    { name: 'score', description: 'the NPS answer, 0 to 10' },
    { name: 'comment', description: 'free text' },
  ],
  referral: [
    { name: 'referred', description: "the referred contact's email" },
    { name: 'program', description: 'the referral program' },
  ],
};

export function isCatalogEventType(type: string): type is EventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * `delivery`: where the outbox goes — signed JSON webhooks, Slack incoming webhooks and SMTP email,
 * each taking the effect types it lists — and which private addresses may be destinations. URLs may
 * be written in the file; secrets and passwords are named by environment variable only. Without
 * this section nothing is sent (the outbox keeps its rows pending).
 */
import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { id } from './primitives.ts';

/** Every outbox effect type the engine writes (core/ and engine/ effects of `kind: 'outbox'`). */
export const OUTBOX_EFFECT_TYPES = [
  'assigned',
  'queued',
  'routing_review',
  'reassigned',
  'account_contact',
  'mql',
  'buying_committee',
  'notify',
  'sequence',
  'webhook',
  'activity_context',
  'sla_breached',
  'sla_escalation',
  'task_overdue',
  'sql_refused',
  'timer_reassign_refused',
  'deal_fields_missing',
  'deal_stage_skipped',
  'deal_desk_review',
  'deal_change_refused',
  'forecast_review',
  'deal_stale',
  'deal_stale_manager',
  'cs_handoff',
  'approval_requested',
  'approval_decided',
  'approval_escalated',
] as const;
export type OutboxEffectType = (typeof OUTBOX_EFFECT_TYPES)[number];

/** The types people read as alerts: what Slack and email take when `types` is not given. */
export const ALERT_TYPES: readonly OutboxEffectType[] = [
  'assigned',
  'queued',
  'routing_review',
  'reassigned',
  'mql',
  'buying_committee',
  'notify',
  'sla_breached',
  'sla_escalation',
  'task_overdue',
  'sql_refused',
  'timer_reassign_refused',
  'deal_fields_missing',
  'deal_stage_skipped',
  'deal_desk_review',
  'deal_change_refused',
  'forecast_review',
  'deal_stale',
  'deal_stale_manager',
  'cs_handoff',
  'approval_requested',
  'approval_decided',
  'approval_escalated',
];

const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
  error: 'expected an environment variable name like `REVOPS_WEBHOOK_SECRET` (upper case, digits and `_`)',
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const types = z
  .array(z.enum([...OUTBOX_EFFECT_TYPES, '*']))
  .min(1, { error: 'list at least one effect type, or `"*"` for all of them' });

/** The URL is written in the file (`url`) or read from the environment (`urlEnv`): exactly one. */
function oneUrl(
  value: { url?: string | undefined; urlEnv?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((value.url === undefined) === (value.urlEnv === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'give exactly one of `url` and `urlEnv`',
      params: {
        code: 'config.missing_key',
        hint: 'for a Slack or signed URL, prefer `urlEnv: SOME_ENV_NAME`',
      },
    });
}

export const webhookDestinationSchema = z
  .strictObject({
    id,
    url: httpUrl.optional(),
    urlEnv: envName.optional().describe('Read the URL from this environment variable.'),
    secretEnv: envName.describe(
      'Environment variable holding the Standard Webhooks signing secret (`whsec_…`).',
    ),
    types: types.default(['*']).describe('The effect types sent here; `"*"` (the default) for all.'),
  })
  .superRefine(oneUrl);

export const slackDestinationSchema = z
  .strictObject({
    id,
    url: httpUrl.optional(),
    urlEnv: envName.optional().describe('Read the incoming-webhook URL from this environment variable.'),
    types: types.optional().describe('The effect types posted here (default: the alert types).'),
  })
  .superRefine(oneUrl);

export const emailDeliverySchema = z
  .strictObject({
    host: z.string().min(1).optional().describe('SMTP server host name or address.'),
    hostEnv: envName.optional().describe('Read the SMTP host from this environment variable.'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z
      .boolean()
      .default(false)
      .describe('TLS from the first byte (port 465); otherwise STARTTLS when offered.'),
    userEnv: envName.optional().describe('SMTP user name, from this environment variable.'),
    passwordEnv: envName.optional().describe('SMTP password, from this environment variable.'),
    from: z.email({ error: 'expected an email address' }).describe('The sender address.'),
    types: types
      .optional()
      .describe('The effect types emailed to their recipients (default: the alert types).'),
  })
  .superRefine((email, ctx) => {
    if ((email.host === undefined) === (email.hostEnv === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give exactly one of `host` and `hostEnv`',
        params: {
          code: 'config.missing_key',
          hint: 'for example `host: smtp.example.com` or `hostEnv: SMTP_HOST`',
        },
      });
    if ((email.userEnv === undefined) !== (email.passwordEnv === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give both `userEnv` and `passwordEnv`, or neither',
        params: { code: 'config.inconsistent', hint: 'SMTP authentication needs a user name and a password' },
      });
  });

/** A host name, an IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export function isAllowEntry(text: string): boolean {
  if (text.includes('/')) return ipaddr.isValidCIDR(text);
  if (ipaddr.isValid(text)) return true;
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(
    text,
  );
}

export const deliverySchema = z
  .strictObject({
    webhooks: z
      .array(webhookDestinationSchema)
      .default([])
      .describe('Signed JSON webhooks (Standard Webhooks).'),
    slack: z.array(slackDestinationSchema).default([]).describe('Slack incoming webhooks.'),
    email: emailDeliverySchema
      .optional()
      .describe('SMTP email to each effect’s recipients (reps by their email).'),
    allowPrivate: z
      .array(
        z.string().refine(isAllowEntry, {
          error: 'expected a host name, an IP address or a CIDR block like `10.0.0.0/8`',
        }),
      )
      .default([])
      .describe(
        'Private, loopback, link-local or other non-public destinations allowed anyway: host names, addresses or CIDR blocks.',
      ),
  })
  .superRefine((delivery, ctx) => {
    const seen = new Map<string, string>();
    for (const kind of ['webhooks', 'slack'] as const) {
      delivery[kind].forEach((destination, i) => {
        const other = seen.get(destination.id);
        if (other !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [kind, i, 'id'],
            message: `the destination id \`${destination.id}\` is already used in ${other}`,
            params: { code: 'config.duplicate_id', hint: 'give each destination its own id' },
          });
        else seen.set(destination.id, `delivery.${kind}`);
      });
    }
  })
  .describe('Outbound delivery of the outbox: webhooks, Slack, email, and the private-address allow-list.');

export type DeliveryConfig = z.output<typeof deliverySchema>;
export type WebhookDestinationConfig = z.output<typeof webhookDestinationSchema>;
export type SlackDestinationConfig = z.output<typeof slackDestinationSchema>;
export type EmailDeliveryConfig = z.output<typeof emailDeliverySchema>;

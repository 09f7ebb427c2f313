/** `notifications`: where alerts go — Slack incoming webhooks, signed webhooks, email. */
import { z } from 'zod';
import { id } from './primitives.ts';

export const channelSchema = z.strictObject({
  id,
  kind: z.enum(['slack', 'webhook', 'email']),
  url: z.url({ error: 'expected an http(s) URL' }).optional(),
  urlEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .optional()
    .describe('Read the URL from this environment variable.'),
  secretEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .optional()
    .describe('Signing secret for webhooks.'),
  to: z.array(z.email()).optional().describe('Email recipients.'),
});

export const notificationsSchema = z
  .strictObject({
    channels: z.array(channelSchema).default([]),
    repDelivery: z
      .enum(['email', 'slack', 'both'])
      .default('email')
      .describe('How reps receive their own alerts.'),
    allowPrivateDestinations: z
      .array(z.string())
      .default([])
      .describe('Hosts on private or loopback addresses allowed as destinations.'),
    email: z.strictObject({ from: z.email().optional(), smtpUrlEnv: z.string().optional() }).prefault({}),
  })
  .describe('Notification channels and delivery.');

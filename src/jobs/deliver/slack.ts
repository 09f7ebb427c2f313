/**
 * An outbox row as a Slack incoming-webhook message: Block Kit with a mrkdwn headline (an emoji per
 * effect type), the lead's context as fields (owner, score and why, routing rule, SLA due time shown
 * in each reader's time zone with `<!date…>`), and a footer naming the effect and its key. `text`
 * carries the headline for notifications and clients without blocks. Reps with a Slack member id
 * (team.reps[].slack `U…`/`W…`) are @-mentioned.
 */
import { facts, headline, recipientText, utcText, type MessageFormat, type MessageInput } from './message.ts';

export interface SlackBlock {
  readonly type: 'section' | 'context';
  readonly text?: { readonly type: 'mrkdwn'; readonly text: string };
  readonly fields?: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
  readonly elements?: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly unfurl_links: false;
  readonly unfurl_media: false;
}

const EMOJI: Readonly<Record<string, string>> = {
  assigned: ':inbox_tray:',
  queued: ':hourglass_flowing_sand:',
  routing_review: ':mag:',
  reassigned: ':arrows_counterclockwise:',
  account_contact: ':busts_in_silhouette:',
  mql: ':fire:',
  buying_committee: ':busts_in_silhouette:',
  notify: ':bell:',
  sla_breached: ':rotating_light:',
  sla_escalation: ':warning:',
  task_overdue: ':alarm_clock:',
  sql_refused: ':no_entry:',
  timer_reassign_refused: ':warning:',
  sequence: ':envelope:',
  webhook: ':link:',
  activity_context: ':memo:',
  deal_fields_missing: ':clipboard:',
  deal_stage_skipped: ':fast_forward:',
  deal_desk_review: ':moneybag:',
  deal_change_refused: ':no_entry:',
  forecast_review: ':calendar:',
  deal_stale: ':snail:',
  deal_stale_manager: ':snail:',
  cs_handoff: ':handshake:',
  approval_requested: ':ballot_box_with_check:',
  approval_decided: ':white_check_mark:',
  approval_escalated: ':warning:',
};

/** Slack's limits: 3,000 characters of section text, 2,000 per field, 10 fields. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** mrkdwn control characters in data: `&`, `<`, `>` (Slack's escaping rules). */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MEMBER_ID = /^[UW][A-Z0-9]{2,}$/;

export const slackFormat: MessageFormat = {
  text: escapeMrkdwn,
  strong: (value) => `*${escapeMrkdwn(value)}*`,
  recipient(value, people) {
    const slack = value.startsWith('rep:') ? people.get(value.slice(4))?.slack : undefined;
    return slack !== undefined && MEMBER_ID.test(slack)
      ? `<@${slack}>`
      : escapeMrkdwn(recipientText(value, people));
  },
  time: (at) => `<!date^${Math.floor(at / 1000)}^{date_short_pretty} at {time}|${utcText(at)}>`,
};

/** The Slack message for `input`. Never throws. */
export function slackMessage(input: MessageInput): SlackMessage {
  const title = `${EMOJI[input.row.type] ?? ':bell:'} ${headline(input, slackFormat)}`;
  const fields = facts(input, slackFormat)
    .slice(0, 10)
    .map(([label, value]) => ({ type: 'mrkdwn' as const, text: clip(`*${label}*\n${value}`, 2000) }));
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(title, 3000) } }];
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `RevOps Engine · ${escapeMrkdwn(input.row.type)} · ${escapeMrkdwn(input.row.key)}`,
      },
    ],
  });
  return { text: clip(title, 3000), blocks, unfurl_links: false, unfurl_media: false };
}

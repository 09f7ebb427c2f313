/**
 * The stable error codes of RevOps Engine, namespaced `area.snake_case`. The HTTP layer maps each
 * to a status in one table; the CLI exits 2 for all of them (they are the user's to fix).
 */
import type { Issue } from './issue.ts';

export const ISSUE_CODES = [
  // config file as text
  'config.file_not_found',
  'config.file_unreadable',
  'config.yaml_syntax',
  'config.duplicate_key',
  // config against the schema
  'config.invalid_type',
  'config.invalid_value',
  'config.unknown_key',
  'config.missing_key',
  'config.invalid_duration',
  'config.invalid_money',
  'config.invalid_percent',
  'config.out_of_range',
  // rules
  'config.cel_syntax',
  'config.cel_type',
  // cross references and consistency
  'config.unknown_reference',
  'config.duplicate_id',
  'config.overlapping_buckets',
  'config.unreachable_rule',
  'config.inconsistent',
  // events
  'event.invalid_json',
  'event.invalid_csv_row',
  'event.not_an_object',
  'event.missing_field',
  'event.invalid_field',
  'event.unknown_type',
  'event.invalid_property',
  'event.no_subject',
  'event.too_large',
  'event.rejected',
  // cli
  'cli.invalid_option',
  'cli.file_exists',
  'cli.not_interactive',
  'cli.input_not_found',
  // store
  'store.unavailable',
  // routing commands (reassignment)
  'routing.not_configured',
  'routing.unknown_contact',
  'routing.no_owner',
  'routing.owner_changed',
  'routing.unknown_rep',
  'routing.invalid_request',
  // lifecycle (manual stage moves)
  'lifecycle.unknown_contact',
  'lifecycle.unknown_stage',
  'lifecycle.transition_not_allowed',
  'lifecycle.invalid_request',
  // HTTP API (the edge maps each code to a status in src/server/errorHandler.ts)
  'http.not_found',
  'http.method_not_allowed',
  'http.invalid_body',
  'http.invalid_query',
  'http.body_too_large',
  'http.batch_too_large',
  'http.unsupported_media_type',
  'http.rate_limited',
  'http.bad_request',
  'http.internal_error',
  'contact.not_found',
  'account.not_found',
  'rep.not_found',
  'task.not_found',
  'task.not_open',
  'config.unknown_version',
  'config.rejected',
  // API keys
  'auth.missing_key',
  'auth.invalid_key',
  'auth.insufficient_scope',
  'auth.not_this_approver',
  'auth.unknown_key',
  // inbound webhooks (Standard Webhooks signatures, adapters)
  'webhook.missing_signature',
  'webhook.invalid_signature',
  'webhook.timestamp_out_of_range',
  'webhook.unknown_source',
  'webhook.unmappable_payload',
  // outbound delivery
  'outbox.unknown_item',
  'outbox.not_dead',
  'outbox.destination_refused',
  // demo workspace (`revops demo`, `npm start`)
  'demo.database_not_empty',
  // pipeline (deals) and deal desk (approvals)
  'pipeline.not_configured',
  'pipeline.invalid_request',
  'pipeline.unknown_deal',
  'pipeline.deal_exists',
  'pipeline.unknown_pipeline',
  'pipeline.unknown_stage',
  'pipeline.required_fields_missing',
  'pipeline.stage_skip_blocked',
  'pipeline.deal_closed',
  'pipeline.push_reason_required',
  'approval.not_configured',
  'approval.unknown_request',
  'approval.not_pending',
  'approval.not_an_approver',
  'approval.invalid_request',
  // metrics
  'metrics.invalid_range',
  'metrics.unknown_team',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** A user-caused failure carrying its coded issues. Thrown by `x()`, returned by `safeX()`. */
export class RevopsError extends Error {
  readonly code: IssueCode;
  readonly issues: readonly Issue[];
  readonly hint: string | undefined;

  constructor(
    code: IssueCode,
    message: string,
    options: { issues?: readonly Issue[]; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RevopsError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.hint = options.hint;
  }
}

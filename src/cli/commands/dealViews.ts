/**
 * How `revops deals` and `revops approvals` show deals and approval requests: as JSON (the shapes
 * the API answers: `Deal`, `DealDetail`, `Approval`) and as text for a terminal, with staleness
 * judged at an instant against the stage limits and the averages over every stored deal.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import type { DecisionModel } from '../../core/contact/decide.ts';
import { waitingOn } from '../../core/dealdesk/approval.ts';
import { formatMoney } from '../../core/dealdesk/exceptions.ts';
import { pipelineOf } from '../../core/pipeline/model.ts';
import { stageAverages, staleness } from '../../core/pipeline/stale.ts';
import type { ApprovalRequest, DealState, StaleFlag } from '../../core/pipeline/types.ts';
import type { Store } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { approvalView, type ApprovalView } from '../../server/schemas/approvals.ts';
import { dealDetailView, dealView, type DealDetailView, type DealView } from '../../server/schemas/deals.ts';

/** Plain tables: no colours, so the output reads the same in a terminal, a pipe or a file. */
export { PLAIN };
const DAY_MS = 86_400_000;

export const iso = (at: Millis): string => new Date(at).toISOString();

/** The deal's staleness judge at `now`: the stage limits and the averages over every stored deal. */
export async function staleJudge(
  store: Store,
  model: DecisionModel,
  now: Millis,
): Promise<(deal: DealState) => StaleFlag | undefined> {
  const averages = stageAverages(await store.listDeals());
  return (deal) => {
    const pipeline = model.pipeline === undefined ? undefined : pipelineOf(model.pipeline, deal.pipeline);
    return pipeline === undefined ? undefined : staleness(deal, pipeline, now, model.addTime, averages);
  };
}

export const daysInStage = (deal: DealState, now: Millis) =>
  Math.max(0, Math.floor((now - deal.stageEnteredAt) / DAY_MS));
export const money = (deal: DealState) =>
  deal.amount === undefined ? '—' : formatMoney(deal.amount, deal.currency);

/** An approval request as JSON: the API's `Approval` shape, from the same code. */
export function approvalJson(a: ApprovalRequest, now: Millis): ApprovalView {
  return approvalView(a, now);
}

/** A deal as JSON: the API's `Deal` shape (with `approvals`, its `DealDetail` shape), from the same code. */
export function dealJson(
  d: DealState,
  now: Millis,
  stale: StaleFlag | undefined,
  approvals?: readonly ApprovalRequest[],
): DealView | DealDetailView {
  return approvals === undefined ? dealView(d, now, stale) : dealDetailView(d, now, stale, approvals);
}

/** The flags in words: `stale since 2026-12-08`, `forecast review`, `skipped discovery`. */
export function flagsText(d: DealState, stale: StaleFlag | undefined): string {
  const out: string[] = [];
  if (stale !== undefined) out.push(`stale since ${iso(stale.since).slice(0, 10)}`);
  if (d.flags.forecastReview) out.push('forecast review');
  if (d.flags.skipped.length > 0) out.push(`skipped ${d.flags.skipped.join(', ')}`);
  return out.join('; ');
}

/** One approval request in a line: `acme-1:1 pending — 25% discount — waiting on role:vp_sales`. */
export function approvalLine(a: ApprovalRequest): string {
  const exceptions =
    a.exceptions.length === 0 ? 'standard terms' : a.exceptions.map((e) => e.detail).join(', ');
  const state =
    a.status === 'pending'
      ? `waiting on ${waitingOn(a).join(', ')}, due ${iso(a.dueAt)}`
      : `decided ${a.decidedAt === undefined ? '' : iso(a.decidedAt)}`;
  return `${a.id} ${a.status}: ${exceptions}; ${state}`;
}

/** The deal in full, for a terminal. */
export function dealText(
  d: DealState,
  now: Millis,
  stale: StaleFlag | undefined,
  approvals: readonly ApprovalRequest[],
): string {
  const fields = Object.entries(d.fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const lines = [
    `Deal ${d.id}${d.name === undefined ? '' : ` — ${d.name}`}`,
    `Stage: ${d.stage} (${d.status}) in pipeline ${d.pipeline}, ${daysInStage(d, now)} days in stage`,
    `Owner: ${d.owner ?? '—'}   CS owner: ${d.csOwner ?? '—'}   Amount: ${money(d)}   Close date: ${d.closeDate ?? '—'}`,
    `Account: ${d.account ?? '—'}   Source: ${d.source ?? '—'}`,
    `Contacts: ${d.contacts.map((c) => `${c.contactKey} (${c.role})`).join(', ') || '—'}`,
    `Fields: ${fields.join(', ') || '—'}`,
    `Flags: ${flagsText(d, stale) || 'none'}`,
  ];
  const history = new Table({ head: ['At', 'From', 'To', 'Skipped'], style: PLAIN });
  for (const m of d.history) history.push([iso(m.at), m.from ?? '—', m.to, m.skipped.join(', ') || '—']);
  lines.push('Stage history:', history.toString());
  if (d.pushes.length > 0) {
    const pushes = new Table({ head: ['At', 'From', 'To', 'Slip', 'Reason'], style: PLAIN });
    for (const p of d.pushes) pushes.push([iso(p.at), p.from, p.to, `${p.slipDays}d`, p.reason]);
    lines.push('Close-date pushes:', pushes.toString());
  }
  lines.push(
    approvals.length === 0
      ? 'Approvals: none'
      : ['Approvals:', ...approvals.map((a) => `  ${approvalLine(a)}`)].join('\n'),
  );
  return lines.join('\n');
}
